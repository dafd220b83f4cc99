import { describe, it, expect } from 'vitest';
import { manifest } from '../../manifest/index.ts';
import { WORKBOOK_ROOT } from '../../paths.ts';
import { exerciseIdsOf, loadQuiz } from './index.ts';

describe('the raft quiz', () => {
  const quiz = loadQuiz(WORKBOOK_ROOT, 'raft')!;
  it('is the quiz the raft module names, and every item links only to exercises that exist', () => {
    expect(manifest.modules.find((m) => m.id === 'raft')?.quiz).toBe('quizzes/raft.md');
    const known = exerciseIdsOf(manifest);
    const ids = quiz.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of quiz.items) {
      expect(item.tests.length, item.id).toBeGreaterThan(0);
      for (const t of item.tests) expect(known, `${item.id} links ${t}`).toContain(t);
    }
  });
  it('has predictions before building, explanations after, ten certification statements and proof prompts', () => {
    const inSection = (s: string) => quiz.items.filter((i) => i.section === s);
    expect(inSection('predictions').every((i) => i.phase === 'before')).toBe(true);
    expect(inSection('predictions').length).toBeGreaterThanOrEqual(6);
    expect(inSection('explain').every((i) => i.phase === 'after' && i.kind === 'free')).toBe(true);
    expect(inSection('certification').filter((i) => i.kind === 'rate')).toHaveLength(10);
    expect(inSection('certification').filter((i) => i.kind === 'free').length).toBeGreaterThanOrEqual(2);
  });
  it('links every challenge of the module from at least one item', () => {
    const linked = new Set(quiz.items.flatMap((i) => i.tests));
    for (const e of manifest.modules.find((m) => m.id === 'raft')!.exercises) expect(linked, e.id).toContain(e.id);
  });
});
