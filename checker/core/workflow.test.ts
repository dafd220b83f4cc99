import { describe, expect, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import type { GradeResult } from '../engine/results.ts';
import { emptyProgress } from './progress/schema.ts';
import { nextUnfinished, recordRun, statusOf } from './workflow.ts';

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
});
