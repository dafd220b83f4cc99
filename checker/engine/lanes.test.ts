import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IsolatedWorker as Worker } from './sandbox/isolated-worker.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gradeFile, laneCount, type GradeOptions } from './grade.ts';
import { requirementSeed } from './sandbox/compartment.ts';

/**
 * Requirements are independent: each runs on a fresh evaluation of the file with its own seeded
 * Math.random, so its verdict is the same alone, in a full run, on one lane or on two; and two
 * lanes share a file's requirements, report them in declared order, keep a looping file's time
 * bounded in all, and both stop on Ctrl-C.
 */

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const draws = (file: string, extra: Partial<GradeOptions> = {}) =>
  gradeFile({
    exerciseId: 'test/draws',
    graderPath: path.join(fixtures, 'draws.grader.ts'),
    targetPath: path.join(fixtures, file),
    seed: 7,
    runs: 10,
    root: fixtures,
    ...extra,
  });

afterEach(() => vi.restoreAllMocks());

describe('requirements on fresh evaluations', () => {
  it('gives each requirement the same verdict alone, in a full run, on one lane or two', async () => {
    const [twoLanes, oneLane] = await Promise.all([draws('draws.ts', { lanes: 2 }), draws('draws.ts', { lanes: 1 })]);
    const ids = twoLanes.requirements.map((r) => r.id);
    expect(ids).toEqual(['draw-a', 'draw-b', 'draw-c', 'draw-d', 'draw-e']);
    expect(oneLane.requirements).toEqual(twoLanes.requirements);
    const actuals = twoLanes.requirements.map((r) => r.report?.actual ?? '');
    // The module's state starts afresh for each requirement...
    for (const actual of actuals) expect(actual).toContain('call 1,');
    // ...and each requirement draws its own numbers, at load time too.
    expect(new Set(actuals).size).toBe(actuals.length);
    expect(new Set(actuals.map((a) => /drawn at load (\S+),/.exec(a)?.[1])).size).toBe(actuals.length);
    for (const id of ['draw-c', 'draw-e']) {
      const alone = await draws('draws.ts', { only: [id] });
      expect(alone.requirements).toEqual(twoLanes.requirements.filter((r) => r.id === id));
    }
  });

  it('seeds a requirement from the run seed and its id alone', () => {
    expect(requirementSeed(7, 'draw-a')).toBe(requirementSeed(7, 'draw-a'));
    expect(requirementSeed(7, 'draw-a')).not.toBe(requirementSeed(7, 'draw-b'));
    expect(requirementSeed(7, 'draw-a')).not.toBe(requirementSeed(8, 'draw-a'));
  });
});

describe('two lanes', () => {
  it('uses one lane for one requirement or when told, two otherwise on two cores', () => {
    expect(laneCount(1)).toBe(1);
    expect(laneCount(5, 1)).toBe(1);
    expect(laneCount(5, 3)).toBe(3);
    expect(laneCount(2, 3)).toBe(2);
    expect(laneCount(5)).toBe(Math.min(2, os.availableParallelism()));
  });

  it('runs two requirements at once and reports them in declared order', async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const marker = path.join(os.tmpdir(), `workbook-rendezvous-${seed}`);
    try {
      const progress: string[] = [];
      const result = await gradeFile({
        exerciseId: 'test/rendezvous',
        graderPath: path.join(fixtures, 'rendezvous.grader.ts'),
        targetPath: path.join(fixtures, 'good.ts'),
        seed,
        runs: 10,
        root: fixtures,
        lanes: 2,
        onProgress: (title) => progress.push(title),
      });
      // The first requirement finished last: it waited for the second, on the other worker.
      expect(result.requirements.map((r) => [r.id, r.status])).toEqual([
        ['waits', 'passed'],
        ['marks', 'passed'],
      ]);
      expect(progress).toContain('waits for the other requirement (and 1 more)');
    } finally {
      fs.rmSync(marker, { force: true });
    }
  }, 20_000);

  it("keeps a looping file's time within the loop budget in all, not per lane", async () => {
    const result = await draws('draws-loop.ts', { lanes: 2, timeoutMs: 1000 });
    const statuses = result.requirements.map((r) => r.status);
    // The first loop takes one guard (1 s) and a second lane may loop beside it; another round of
    // short guards (1 s) would pass the budget of 1.5 guards, so the rest are not run.
    expect(statuses[0]).toBe('timed-out');
    expect(statuses.filter((s) => s === 'timed-out').length).toBeLessThanOrEqual(2);
    expect(statuses.slice(2)).toEqual(['not-run', 'not-run', 'not-run']);
    expect(result.requirements[2]?.problem?.message).toMatch(/^not run: earlier checks already used up the time/);
    expect(result.requirements[0]?.problem?.location).toMatchObject({ file: 'draws-loop.ts', line: 2 });
  }, 20_000);

  it('stops on Ctrl-C that comes while the file compiles, before any worker runs a check', async () => {
    const controller = new AbortController();
    const started = draws('draws.ts', { lanes: 2, signal: controller.signal });
    controller.abort();
    const result = await started;
    expect(result.loadProblem?.message).toBe('grading was interrupted');
    expect(result.requirements).toEqual([]);
  });

  it('stops both workers on Ctrl-C', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const controller = new AbortController();
    const started = draws('draws-loop.ts', {
      lanes: 2,
      timeoutMs: 60_000,
      signal: controller.signal,
      onProgress: (title) => {
        if (title.includes('(and 1 more)')) controller.abort();
      },
    });
    const result = await started;
    expect(result.loadProblem?.message).toBe('grading was interrupted');
    expect(new Set(terminate.mock.contexts).size).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
