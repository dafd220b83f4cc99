import { describe, expect, it } from 'vitest';
import { emptyProgress, type Progress } from './schema.ts';
import { mergeProgress } from './merge.ts';

const run = (at: string, pass: boolean) => ({ at, seed: 1, passed: pass ? 3 : 1, total: 3, pass });

describe('mergeProgress', () => {
  const laptop = (): Progress => ({
    ...emptyProgress(),
    exercises: { 'consensus/raft': { runs: 4, hintsShown: 1, lastRun: run('2026-11-02T10:00:00Z', false) } },
    quiz: { q1: { history: [{ at: '2026-11-01T09:00:00Z', response: 'a', outcome: 'incorrect' }], box: 1, dueOn: '2026-11-02' } },
    checklist: { c1: true },
    challenges: { 'consensus/debugging/split-brain': { answers: { q1: 'mine' } } },
  });
  const desktop = (): Progress => ({
    ...emptyProgress(),
    exercises: {
      'consensus/raft': { runs: 2, hintsShown: 3, lastRun: run('2026-11-03T10:00:00Z', true), firstPassedAt: '2026-11-03T10:00:00Z' },
      'consensus/quorum': { runs: 1, hintsShown: 0 },
    },
    quiz: {
      q1: {
        history: [
          { at: '2026-11-01T09:00:00Z', response: 'a', outcome: 'incorrect' },
          { at: '2026-11-04T09:00:00Z', response: 'b', outcome: 'correct' },
        ],
        box: 2,
        dueOn: '2026-11-07',
      },
      q2: { history: [{ at: '2026-11-04T09:00:00Z', response: 'x', outcome: 'got-it' }], box: 2 },
    },
    checklist: { c1: false, c2: true },
    challenges: { 'consensus/debugging/split-brain': { answers: { q1: 'theirs', q2: 'only theirs' }, solvedAt: '2026-11-03' } },
  });

  it('keeps everything from both sides: larger counts, later last run, earlier first pass', () => {
    const merged = mergeProgress(laptop(), desktop());
    expect(merged.exercises['consensus/raft']).toEqual({ runs: 4, hintsShown: 3, lastRun: run('2026-11-03T10:00:00Z', true), firstPassedAt: '2026-11-03T10:00:00Z' });
    expect(merged.exercises['consensus/quorum']).toEqual({ runs: 1, hintsShown: 0 });
  });

  it('keeps every quiz answer once, in time order, with the schedule of the later answer', () => {
    const merged = mergeProgress(laptop(), desktop());
    expect(merged.quiz.q1!.history.map((h) => h.response)).toEqual(['a', 'b']);
    expect(merged.quiz.q1).toMatchObject({ box: 2, dueOn: '2026-11-07' });
    expect(merged.quiz.q2!.history).toHaveLength(1);
  });

  it('ticks stay ticked, local challenge answers win, carried ones fill gaps', () => {
    const merged = mergeProgress(laptop(), desktop());
    expect(merged.checklist).toEqual({ c1: true, c2: true });
    expect(merged.challenges['consensus/debugging/split-brain']).toEqual({ answers: { q1: 'mine', q2: 'only theirs' }, solvedAt: '2026-11-03' });
  });

  it('is idempotent: importing the same file twice changes nothing more', () => {
    const once = mergeProgress(laptop(), desktop());
    expect(mergeProgress(once, desktop())).toEqual(once);
  });
});
