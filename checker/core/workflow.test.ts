import { describe, expect, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import type { GradeResult } from '../engine/results.ts';
import { emptyProgress } from './progress/schema.ts';
import { nextUnfinished, noPredictionNote, recordRun, statusOf } from './workflow.ts';
import { loadQuiz, patternIdsOf } from './quiz/index.ts';
import { isPending, stageOf } from './quiz/stage.ts';
import { WORKBOOK_ROOT } from '../paths.ts';

const result = (exerciseId: string, statuses: ('passed' | 'failed')[]): GradeResult => ({
  exerciseId,
  target: `exercises/${exerciseId}.ts`,
  seed: 7,
  runs: 10,
  requirements: statuses.map((status, i) => ({ id: `r${i}`, title: `r${i}`, kind: 'safety', randomised: false, status })),
});

describe('workflow', () => {
  it('starts with the first exercise of the first module', () => {
    expect(nextUnfinished(manifest, emptyProgress())?.id).toBe('consensus/leader-election');
  });

  it('moves on only once the last run passed', () => {
    const progress = emptyProgress();
    const at = new Date('2026-11-26T10:00:00Z');
    recordRun(progress, result('consensus/leader-election', ['passed', 'failed']), at);
    expect(statusOf(progress, 'consensus/leader-election')).toBe('started');
    expect(nextUnfinished(manifest, progress)?.id).toBe('consensus/leader-election');
    recordRun(progress, result('consensus/leader-election', ['passed', 'passed']), at);
    expect(statusOf(progress, 'consensus/leader-election')).toBe('done');
    expect(progress.exercises['consensus/leader-election']).toMatchObject({ runs: 2, firstPassedAt: at.toISOString(), lastRun: { passed: 2, total: 2, pass: true, seed: 7 } });
    expect(nextUnfinished(manifest, progress)?.id).toBe('consensus/raft');
  });

  it('keeps the first pass date when a later run fails', () => {
    const progress = emptyProgress();
    recordRun(progress, result('consensus/raft', ['passed']), new Date('2026-11-01T00:00:00Z'));
    recordRun(progress, result('consensus/raft', ['failed']), new Date('2026-11-02T00:00:00Z'));
    expect(progress.exercises['consensus/raft']?.firstPassedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(statusOf(progress, 'consensus/raft')).toBe('started');
  });

  it('with no prediction, points to a command that still asks the question once the pattern passed', () => {
    const quiz = loadQuiz(WORKBOOK_ROOT, 'consensus')!;
    const progress = emptyProgress();
    recordRun(progress, result('consensus/quorum', ['passed']), new Date('2026-11-30T10:00:00Z'));
    const note = noPredictionNote(quiz, 'consensus/quorum')!;
    expect(note).not.toContain('--before');
    const asked = /quiz --item ([\w,-]+)/.exec(note)![1]!.split(',');
    expect(asked.length).toBeGreaterThan(0);
    for (const id of asked) {
      const item = quiz.items.find((i) => i.id === id)!;
      // `quiz --item` asks it now: it is in its verify stage and still pending.
      expect(stageOf(item, progress, patternIdsOf(manifest))).toBe('verify');
      expect(isPending(item, progress, patternIdsOf(manifest))).toBe(true);
    }
    expect(noPredictionNote(quiz, 'consensus/debugging/split-brain')).toBeUndefined();
  });
});

