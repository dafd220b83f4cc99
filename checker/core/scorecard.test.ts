import { describe, it, expect } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import type { GradeResult } from '../engine/results.ts';
import { emptyProgress } from './progress/schema.ts';
import { loadQuiz } from './quiz/index.ts';
import { computeScorecard, type GradeOutcome } from './scorecard.ts';

const quiz = loadQuiz(WORKBOOK_ROOT, 'consensus')!;
const grade = (id: string, statuses: ('passed' | 'failed')[]): GradeResult => ({
  exerciseId: id, target: id, seed: 1, runs: 1,
  requirements: statuses.map((status, i) => ({ id: `r${i}`, title: 'r', kind: 'safety', randomised: false, status })),
});
const rateAll = (progress: ReturnType<typeof emptyProgress>, ratings: ('missed' | 'partly' | 'got-it')[]): void => {
  quiz.items.filter((i) => i.section === 'certification' && i.kind === 'rate').forEach((item, k) => {
    progress.quiz[item.id] = { history: [{ at: '2025-01-01T00:00:00Z', response: ratings[k]!, outcome: ratings[k]! }], box: 0 };
  });
};

describe('computeScorecard', () => {
  it('counts requirements from grader runs, not from what progress claims', () => {
    const progress = emptyProgress();
    progress.exercises['consensus/raft'] = { runs: 9, hintsShown: 2, firstPassedAt: '2025-01-01T00:00:00Z', lastRun: { at: 'x', seed: 1, passed: 9, total: 9, pass: true } };
    const grades = new Map<string, GradeOutcome>([['consensus/raft', grade('consensus/raft', ['passed', 'failed', 'passed'])]]);
    const card = computeScorecard({ manifest, moduleId: 'consensus', progress, grades, quiz });
    const raft = card.patterns.find((p) => p.id === 'consensus/raft')!;
    expect(raft.requirements).toMatchObject({ done: 2, total: 3 });
    expect(raft.passing).toBe(false);
    expect(raft.hintsUsed).toBe(2);
    expect(card.patterns.find((p) => p.id === 'consensus/quorum')!.requirements.problem).toBe('not graded');
  });
  it('counts 7 challenges and 7 planted bugs, crediting bugs only for solved challenges', () => {
    const grades = new Map<string, GradeOutcome>([
      ['consensus/debugging/split-brain', grade('consensus/debugging/split-brain', ['passed'])],
      ['consensus/debugging/lost-commits', grade('consensus/debugging/lost-commits', ['failed'])],
      ['consensus/debugging/incident', { problem: 'no grader yet' }],
    ]);
    const card = computeScorecard({ manifest, moduleId: 'consensus', progress: emptyProgress(), grades, quiz });
    expect(card.debugging.solved).toEqual({ done: 1, total: 7 });
    expect(card.debugging.bugsFixed).toEqual({ done: 2, total: 7 });
  });
  it('keeps auto-graded and self-rated quiz scores apart', () => {
    const progress = emptyProgress();
    progress.quiz['calc7-naive'] = { history: [{ at: 'a', response: '2', outcome: 'correct' }], box: 0 };
    progress.quiz['calc7-majority'] = { history: [{ at: 'a', response: '2', outcome: 'incorrect' }], box: 1, dueOn: '2025-01-02' };
    progress.quiz['s3-why'] = { history: [{ at: 'a', response: 'x', outcome: 'partly' }], box: 1 };
    const card = computeScorecard({ manifest, moduleId: 'consensus', progress, grades: new Map(), quiz });
    expect(card.module.quiz.auto).toMatchObject({ correct: 1, answered: 2 });
    expect(card.module.quiz.self).toMatchObject({ gotIt: 0, partly: 1, missed: 0 });
  });
  it('passes the gate at 8 (partly counts half) and names what to revisit below it', () => {
    const progress = emptyProgress();
    rateAll(progress, ['got-it', 'got-it', 'got-it', 'got-it', 'got-it', 'got-it', 'got-it', 'partly', 'partly', 'missed']);
    const card = computeScorecard({ manifest, moduleId: 'consensus', progress, grades: new Map(), quiz });
    expect(card.certification.score).toBe(8);
    expect(card.certification.selfRated).toBe(true);
    // Self-rated 8 with no graded work passing is not mastery.
    expect(card.certification.mastered).toBe(false);
    expect(card.certification.graded.passes).toBe(false);
    expect(card.certification.caveats.length).toBeGreaterThan(0);

    rateAll(progress, ['got-it', 'got-it', 'got-it', 'got-it', 'got-it', 'got-it', 'got-it', 'partly', 'missed', 'missed']);
    const below = computeScorecard({ manifest, moduleId: 'consensus', progress, grades: new Map(), quiz });
    expect(below.certification.score).toBe(7.5);
    expect(below.certification.mastered).toBe(false);
    expect(below.certification.revisit).toHaveLength(4); // three statements + the proof prompt
    expect(below.certification.revisit[0]).toMatch(/partly.*revisit/);
  });
  it('sets a prediction beside its verified answer and the measured growth', () => {
    const progress = emptyProgress();
    progress.exercises['consensus/raft'] = { runs: 1, hintsShown: 0, firstPassedAt: '2025-01-10T00:00:00Z' };
    progress.quiz['predict-raft-messages'] = {
      box: 0,
      history: [
        { at: '2025-01-01T00:00:00Z', response: 'd', outcome: 'incorrect' },
        { at: '2025-01-11T00:00:00Z', response: 'c', outcome: 'correct' },
      ],
    };
    const measurements = new Map([['consensus/raft', { operation: 'one entry', points: [5, 10, 20, 40].map((n) => ({ n, messages: 2 * (n - 1) })) }]]);
    const card = computeScorecard({ manifest, moduleId: 'consensus', progress, grades: new Map(), quiz, measurements });
    const row = card.predictions.find((p) => p.itemId === 'predict-raft-messages')!;
    expect(row).toMatchObject({ predicted: 'd', predictedOutcome: 'incorrect', verified: 'c', verifiedOutcome: 'correct' });
    expect(row.measured).toMatchObject({ growth: 'O(N)' });
  });
  it('masters the module only when the self-rating reaches 8 AND every pattern passes AND half the challenges (rounded up) are solved', () => {
    const progress = emptyProgress();
    rateAll(progress, Array(10).fill('got-it'));
    const patterns = manifest.modules.find((m) => m.id === 'consensus')!.exercises.filter((e) => e.kind === 'pattern');
    const challenges = manifest.modules.find((m) => m.id === 'consensus')!.exercises.filter((e) => e.kind !== 'pattern');
    const needed = Math.ceil(challenges.length / 2);
    const grades = new Map<string, GradeOutcome>(patterns.map((e) => [e.id, grade(e.id, ['passed'])]));
    challenges.slice(0, needed - 1).forEach((e) => grades.set(e.id, grade(e.id, ['passed'])));
    const short = computeScorecard({ manifest, moduleId: 'consensus', progress, grades, quiz });
    expect(short.certification.graded.challengesSolved).toEqual({ done: needed - 1, total: challenges.length, required: needed });
    expect(short.certification.mastered).toBe(false);

    grades.set(challenges[needed - 1]!.id, grade(challenges[needed - 1]!.id, ['passed']));
    expect(computeScorecard({ manifest, moduleId: 'consensus', progress, grades, quiz }).certification.mastered).toBe(true);

    grades.set(patterns[0]!.id, grade(patterns[0]!.id, ['passed', 'failed']));
    const failing = computeScorecard({ manifest, moduleId: 'consensus', progress, grades, quiz });
    expect(failing.certification.graded.patternsPassing).toEqual({ done: patterns.length - 1, total: patterns.length });
    expect(failing.certification.mastered).toBe(false);
  });
});
