import { describe, expect, it } from 'vitest';
import { emptyProgress } from '../progress/schema.ts';
import { recordAnswer } from './record.ts';
import type { QuizItem } from './types.ts';

const item: QuizItem = {
  id: 'predict-x',
  kind: 'single',
  title: 'x',
  section: 's',
  tests: ['consensus/raft'],
  phase: 'before',
  prompt: 'p',
  options: [
    { key: 'a', text: 'O(N)', correct: true },
    { key: 'b', text: 'O(1)', correct: false },
  ],
  accept: [],
  tolerance: 0,
  answer: 'O(N)',
  line: 1,
};

describe('recordAnswer', () => {
  it('schedules a wrong answer for review the next day', () => {
    const progress = emptyProgress();
    recordAnswer(progress, item, 'b', 'incorrect', '2026-11-26T10:00:00Z', '2026-11-26');
    expect(progress.quiz['predict-x']).toMatchObject({ box: 1, dueOn: '2026-11-27' });
  });

  it('keeps a prediction without scheduling it: it is checked after the pattern passes', () => {
    const progress = emptyProgress();
    recordAnswer(progress, item, 'b', 'incorrect', '2026-11-26T10:00:00Z', '2026-11-26', { prediction: true });
    expect(progress.quiz['predict-x']?.history).toEqual([{ at: '2026-11-26T10:00:00Z', response: 'b', outcome: 'incorrect' }]);
    expect(progress.quiz['predict-x']?.dueOn).toBeUndefined();
  });

  it('ticks a checklist item instead of keeping a history', () => {
    const progress = emptyProgress();
    recordAnswer(progress, { ...item, id: 'check-x', kind: 'check' }, 'yes', undefined, '2026-11-26T10:00:00Z', '2026-11-26');
    expect(progress.checklist).toEqual({ 'check-x': true });
    expect(progress.quiz).toEqual({});
  });
});
