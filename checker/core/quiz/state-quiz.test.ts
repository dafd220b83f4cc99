import { describe, it, expect } from 'vitest';
import { manifest } from '../../manifest/index.ts';
import { WORKBOOK_ROOT } from '../../paths.ts';
import { gradeResponse } from './grade.ts';
import { exerciseIdsOf, loadAllQuizzes, loadQuiz } from './index.ts';

describe('the real state distribution quiz', () => {
  const quiz = loadQuiz(WORKBOOK_ROOT, 'state')!;
  const byId = (id: string) => quiz.items.find((i) => i.id === id)!;

  it('parses, links only to manifest exercises, and covers the chapter\'s prompts', () => {
    const known = exerciseIdsOf(manifest);
    for (const i of quiz.items) for (const t of i.tests) expect(known, `${i.id} links ${t}`).toContain(t);
    const inSection = (s: string) => quiz.items.filter((i) => i.section === s);
    expect(inSection('priming')).toHaveLength(7);
    expect(inSection('consolidation').length).toBeGreaterThanOrEqual(18);
    for (const g of ['gauntlet-recall', 'gauntlet-application', 'gauntlet-analysis', 'gauntlet-design']) expect(inSection(g).length, g).toBeGreaterThanOrEqual(4);
    expect(inSection('gauntlet-application').filter((i) => i.kind === 'numeric').length).toBeGreaterThanOrEqual(2);
    expect(inSection('anti-patterns')).toHaveLength(3);
    expect(inSection('certification').filter((i) => i.kind === 'rate')).toHaveLength(10);
    expect(inSection('certification').filter((i) => i.kind === 'free').length).toBeGreaterThanOrEqual(1);
    expect(inSection('checklist').every((i) => i.kind === 'check')).toBe(true);
  });

  it('grades the intended answers, not what the chapter\'s decision functions print', () => {
    const check = (id: string, response: string, outcome: string) => expect(gradeResponse(byId(id), response), `${id}: ${response}`).toBe(outcome);
    // The chapter's function prints "Custom_CRDT" for both (it looks for "add" and "gain" in lists of names).
    check('st-decide-crdt-list', 'OR-Set (with the bought flag as a per-item register)', 'correct');
    check('st-decide-crdt-list', 'A custom CRDT is needed', 'incorrect');
    check('st-decide-crdt-score', 'PN-Counter', 'correct');
    // It prints multi-leader for the catalogue (it compares "1M/minute" with "daily" as strings).
    check('st-decide-repl-catalogue', 'A single leader with many read replicas', 'correct');
    check('st-g2-fix-w', '4', 'correct');
    check('st-g2-min-up', 'three', 'correct');
    check('st-core-pbft', '3', 'correct');
    check('st-g1-quorum', 'R + W > N', 'correct');
    check('st-g1-quorum', 'W + R >= N', 'incorrect');
  });

  it('never teaches CAP as "pick two of three"', () => {
    const cap = byId('st-core-cap');
    expect(cap.options.find((o) => /pick any two/i.test(o.text))?.correct).toBe(false);
    expect(byId('st-take-cap').options.find((o) => /CA, CP and AP/.test(o.text))?.correct).toBe(false);
  });

  it('uses item ids no other module\'s quiz uses (progress stores answers by item id)', () => {
    const seen = new Map<string, string>();
    for (const q of loadAllQuizzes(WORKBOOK_ROOT, manifest)) {
      for (const i of q.items) {
        expect(seen.get(i.id), `${i.id} is in ${seen.get(i.id)} and ${q.moduleId}`).toBeUndefined();
        seen.set(i.id, q.moduleId);
      }
    }
  });
});
