import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileEngine } from './compile.ts';
import { discardWarmWorker, gradeFile, guardFor, keepWorkersBetweenVerdicts, spawnSandboxed, workersKeptBetweenVerdicts, type WarmWorker } from './grade.ts';
import { isPass } from './results.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const grader = path.join(fixtures, 'adder.grader.ts');
const grade = (file: string, timeoutMs = 10_000) =>
  gradeFile({ exerciseId: 'test/adder', graderPath: grader, targetPath: file, seed: 1, runs: 10, timeoutMs, root: fixtures });

// The syntax-error fixture is kept as .txt so that tsc and vitest do not trip over it.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-test-'));
fs.writeFileSync(path.join(scratch, 'package.json'), '{"type":"module"}');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('gradeFile', () => {
  it('passes a correct file and keeps what it printed beside each requirement', async () => {
    const result = await grade(path.join(fixtures, 'good.ts'));
    expect(isPass(result)).toBe(true);
    expect(result.target).toBe('good.ts');
    expect(result.requirements[0]?.output).toEqual(['adding 1 and 2']);
  });

  it('reports a wrong answer as a scenario with expected and actual', async () => {
    const result = await grade(path.join(fixtures, 'wrong.ts'));
    expect(isPass(result)).toBe(false);
    expect(result.requirements[0]).toMatchObject({
      status: 'failed',
      report: { steps: ['an adder', 'add(1, 2)'], expected: 'the sum to be 3', actual: 'it was -1' },
    });
  });

  it('stops an infinite loop, reports it as timed out, and still runs the rest', async () => {
    const result = await grade(path.join(fixtures, 'loops.ts'), 1000);
    expect(result.requirements.map((r) => r.status)).toEqual(['passed', 'timed-out']);
    expect(result.requirements[1]?.problem?.message).toContain('did not finish within 1 s; it was stuck in this step: "add(-1, -2)"');
    // The worker is paused through the inspector before it is stopped: the loop's own line.
    expect(result.requirements[1]?.problem?.location).toMatchObject({ file: 'loops.ts', line: 2 });
  });

  it('names the step a check was waiting in when the code under it left the worker idle', async () => {
    const file = path.join(fixtures, 'never-settles.ts');
    const result = await gradeFile({ exerciseId: 'test/waits', graderPath: path.join(fixtures, 'waits.grader.ts'), targetPath: file, seed: 1, runs: 10, timeoutMs: 1000, root: fixtures, only: ['waits'] });
    expect(result.requirements[0]?.status).toBe('timed-out');
    expect(result.requirements[0]?.problem?.message).toContain('it was stuck in this step: "await wait()"');
  });

  it('names no step for a check stuck before its first, not the step of the requirement before it', async () => {
    const file = path.join(fixtures, 'never-settles.ts');
    const result = await gradeFile({ exerciseId: 'test/waits', graderPath: path.join(fixtures, 'waits.grader.ts'), targetPath: file, seed: 1, runs: 10, timeoutMs: 1000, root: fixtures, only: ['steps', 'spins-first'], lanes: 1 });
    expect(result.requirements.map((r) => r.status)).toEqual(['passed', 'timed-out']);
    expect(result.requirements[1]?.problem?.message).not.toContain('stuck in this step');
    expect(result.requirements[1]?.problem?.location).toMatchObject({ file: 'never-settles.ts', line: 6 });
  });

  it("locates an exception at the learner's file and line", async () => {
    const result = await grade(path.join(fixtures, 'throws.ts'));
    // Inside the workbook, locations are given from its root, as the learner would open the file.
    expect(result.requirements[1]).toMatchObject({
      status: 'crashed',
      problem: { kind: 'exception', message: 'RangeError: negative input', location: { file: 'throws.ts', line: 2 } },
    });
  });

  it('locates a syntax error and runs nothing', async () => {
    const file = path.join(scratch, 'syntax-error.ts');
    fs.copyFileSync(path.join(fixtures, 'syntax-error.ts.txt'), file);
    const result = await grade(file);
    expect(result.requirements).toEqual([]);
    expect(result.loadProblem).toMatchObject({ kind: 'syntax', location: { file, line: 1 } });
  });

  it('locates an exception thrown while the file loads', async () => {
    const result = await grade(path.join(fixtures, 'throws-at-load.ts'));
    expect(result.requirements).toEqual([]);
    expect(result.loadProblem).toMatchObject({ kind: 'exception', location: { file: 'throws-at-load.ts', line: 1 } });
    expect(result.loadProblem?.message).toMatch(/^loading the file threw SyntaxError/);
  });

  it('names a missing export', async () => {
    const result = await grade(path.join(fixtures, 'missing-export.ts'));
    expect(result.loadProblem).toMatchObject({ kind: 'missing-export' });
    expect(result.loadProblem?.message).toContain('`add`');
  });

  it('reports a file that does not exist', async () => {
    const result = await grade(path.join(fixtures, 'nowhere.ts'));
    expect(result.loadProblem?.kind).toBe('load');
  });

  it('grades the next file on the workers it keeps, with that file\'s verdict, across files that do not load', async () => {
    const keep = async (file: string, warm?: WarmWorker) => {
      let kept: readonly WarmWorker[] = [];
      const result = await gradeFile({ exerciseId: 'test/adder', graderPath: grader, targetPath: file, seed: 1, runs: 10, root: fixtures, warm, lanes: 1, keepWorkers: (w) => (kept = w) });
      expect(kept).toHaveLength(1);
      return { result, next: kept[0]!, thread: (await kept[0]!.worker).threadId };
    };
    const wrong = await keep(path.join(fixtures, 'wrong.ts'));
    expect(wrong.result.requirements[0]?.status).toBe('failed');
    const good = await keep(path.join(fixtures, 'good.ts'), wrong.next);
    expect(isPass(good.result)).toBe(true);
    expect(good.result.requirements[0]?.output).toEqual(['adding 1 and 2']);
    const broken = await keep(path.join(fixtures, 'throws-at-load.ts'), good.next);
    expect(broken.result.loadProblem?.kind).toBe('exception');
    const missing = await keep(path.join(fixtures, 'missing-export.ts'), broken.next);
    expect(missing.result.loadProblem?.kind).toBe('missing-export');
    const again = await keep(path.join(fixtures, 'wrong.ts'), missing.next);
    expect(again.result.requirements.map((r) => r.status)).toEqual(wrong.result.requirements.map((r) => r.status));
    // One worker all along.
    expect(new Set([wrong.thread, good.thread, broken.thread, missing.thread, again.thread]).size).toBe(1);
    expect(again.next.verdicts).toBe(5);
    // Kept again and again, it gathers no listeners (Node warns of a leak past ten).
    let next = again.next;
    for (let i = 0; i < 8; i++) next = (await keep(path.join(fixtures, 'good.ts'), next)).next;
    const worker = await next.worker;
    for (const event of ['error', 'message', 'exit']) expect(worker.listenerCount(event), event).toBeLessThanOrEqual(2);
    discardWarmWorker(next);
  });

  it('keeps no worker that a check had to stop, and replaces a kept worker that died', async () => {
    let kept: readonly WarmWorker[] = [];
    const keepWorkers = (w: readonly WarmWorker[]): void => {
      kept = w;
    };
    await gradeFile({ exerciseId: 'test/adder', graderPath: grader, targetPath: path.join(fixtures, 'loops.ts'), seed: 1, runs: 10, timeoutMs: 1000, root: fixtures, lanes: 1, keepWorkers });
    expect(kept).toEqual([]);
    await gradeFile({ exerciseId: 'test/adder', graderPath: grader, targetPath: path.join(fixtures, 'good.ts'), seed: 1, runs: 10, root: fixtures, lanes: 1, keepWorkers });
    const dead = kept[0]!;
    await (await dead.worker).terminate();
    const result = await gradeFile({ exerciseId: 'test/adder', graderPath: grader, targetPath: path.join(fixtures, 'good.ts'), seed: 1, runs: 10, root: fixtures, lanes: 1, warm: dead });
    expect(isPass(result)).toBe(true);
  });

  it('refuses to start a worker on an engine bundle changed after it was built', async () => {
    const engine = await compileEngine(fixtures);
    const tampered = path.join(scratch, `grading.${path.basename(engine.engine).split('.')[1]}.mjs`);
    fs.writeFileSync(tampered, `${fs.readFileSync(engine.engine, 'utf8')}\n// changed\n`);
    expect(() => spawnSandboxed({ ...engine, engine: tampered }, {})).toThrow(/does not match its content hash/);
  });

  it('in a process that keeps workers between verdicts, grades each verdict of a grader on the last one\'s worker', async () => {
    keepWorkersBetweenVerdicts(true);
    try {
      const threads: number[] = [];
      for (const file of ['wrong.ts', 'good.ts', 'throws-at-load.ts', 'good.ts']) {
        const result = await gradeFile({ exerciseId: 'test/adder', graderPath: grader, targetPath: path.join(fixtures, file), seed: 1, runs: 10, root: fixtures, lanes: 1 });
        expect(isPass(result)).toBe(file === 'good.ts');
        const [kept] = workersKeptBetweenVerdicts();
        threads.push((await kept!.worker).threadId);
      }
      expect(new Set(threads).size).toBe(1);
      expect(workersKeptBetweenVerdicts()[0]?.verdicts).toBe(4);
      // Another grader's verdict does not get this grader's worker.
      await gradeFile({ exerciseId: 'test/waits', graderPath: path.join(fixtures, 'waits.grader.ts'), targetPath: path.join(fixtures, 'good.ts'), seed: 1, runs: 10, root: fixtures, lanes: 1 });
      expect(workersKeptBetweenVerdicts()[0]?.graderPath).toBe(path.join(fixtures, 'waits.grader.ts'));
    } finally {
      keepWorkersBetweenVerdicts(false);
    }
    expect(workersKeptBetweenVerdicts()).toEqual([]);
  });

  it('scales the wall-clock guard with the runs asked for, never below the base', () => {
    expect(guardFor(10_000, 500)).toBe(10_000);
    expect(guardFor(10_000, 20)).toBe(10_000);
    expect(guardFor(10_000, 5000)).toBe(100_000);
    expect(guardFor(2000, 750)).toBe(3000);
  });
});
