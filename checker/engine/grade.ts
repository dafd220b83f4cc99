import { Worker } from 'node:worker_threads';
import path from 'node:path';
import type { CodeProblem, GradeResult, RequirementResult, WorkerInput, WorkerMessage } from './results.ts';

/**
 * Grades one file with one grader. The grader runs in a worker thread; if a requirement (or the
 * loading of the file) makes no progress within the time limit, the worker is terminated, that
 * requirement is reported as timed out at the learner's door, and a fresh worker carries on with
 * the requirements that remain. The time limit is a guard against infinite loops, not part of
 * any check: every check runs on simulated time.
 */

export interface GradeOptions {
  readonly exerciseId: string;
  /** Absolute path of the grader module. */
  readonly graderPath: string;
  /** Absolute path of the file to grade. */
  readonly targetPath: string;
  readonly seed: number;
  readonly runs: number;
  readonly only?: readonly string[];
  /** Wall-clock guard per requirement, in ms. */
  readonly timeoutMs?: number;
  /** Workbook root, to report the target path relative to it. */
  readonly root?: string;
}

export const DEFAULT_TIMEOUT_MS = Number(process.env.WORKBOOK_TIMEOUT_MS ?? 10_000);
// Starting a worker and compiling the file takes far longer on a loaded machine than any check
// does, and a module that loops at load time is rare: give loading more room.
const LOAD_TIMEOUT_FACTOR = 3;

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const WORKER = new URL('./worker.ts', import.meta.url).href;

interface Attempt {
  readonly settled: RequirementResult[];
  readonly declared?: readonly Omit<RequirementResult, 'status'>[];
  readonly loadProblem?: CodeProblem;
  /** The requirement that was running when the worker was stopped, if it was. */
  readonly stuckOn?: string;
  readonly stuckLoading?: boolean;
}

function runWorker(input: WorkerInput, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: WORKER, input }, stdout: true, stderr: true });
    const settled: RequirementResult[] = [];
    let declared: Attempt['declared'];
    let running: string | undefined;
    let finished = false;
    let watchdog: NodeJS.Timeout;

    const finish = (attempt: Attempt): void => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      void worker.terminate();
      resolve(attempt);
    };
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () => finish(running ? { settled, declared, stuckOn: running } : { settled, declared, stuckLoading: !declared }),
        declared ? timeoutMs : timeoutMs * LOAD_TIMEOUT_FACTOR,
      );
    };

    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'loaded':
          declared = message.requirements;
          arm();
          break;
        case 'load-problem':
          finish({ settled, loadProblem: message.problem });
          break;
        case 'start':
          running = message.id;
          arm();
          break;
        case 'result':
          settled.push(message.result);
          running = undefined;
          arm();
          break;
        case 'done':
          finish({ settled, declared });
          break;
      }
    });
    worker.on('error', (error) => {
      // Errors escaping the worker are ours (the grader or the bootstrap), or a learner's code
      // crashing the thread from a timer; either way the running requirement gets the blame.
      const problem: CodeProblem = { kind: 'exception', message: `${error.name}: ${error.message}` };
      if (running) {
        const base = declared?.find((r) => r.id === running);
        if (base) settled.push({ ...base, status: 'crashed', problem });
        finish({ settled, declared });
      } else {
        finish({ settled, declared, loadProblem: declared ? undefined : { ...problem, kind: 'load' } });
      }
    });
    worker.on('exit', () => finish({ settled, declared, stuckOn: running }));
    arm();
  });
}

export async function gradeFile(options: GradeOptions): Promise<GradeResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const root = options.root ?? process.cwd();
  const relative = path.relative(root, options.targetPath);
  const target = relative.startsWith('..') ? options.targetPath : relative;
  const base = { exerciseId: options.exerciseId, target, seed: options.seed, runs: options.runs };
  const timeoutProblem = (what: string, limitMs: number): CodeProblem => ({
    kind: 'timeout',
    message: `${what} did not finish within ${limitMs / 1000} s: look for a loop that never ends or a promise that never settles`,
  });

  const results = new Map<string, RequirementResult>();
  let declared: readonly Omit<RequirementResult, 'status'>[] | undefined;
  // Each pass settles at least one more requirement, so this ends.
  for (;;) {
    const attempt = await runWorker(
      {
        graderPath: options.graderPath,
        targetPath: options.targetPath,
        seed: options.seed,
        runs: options.runs,
        only: options.only,
        skip: [...results.keys()],
      },
      timeoutMs,
    );
    if (attempt.loadProblem) return { ...base, loadProblem: attempt.loadProblem, requirements: [] };
    if (attempt.stuckLoading) {
      return { ...base, loadProblem: timeoutProblem('loading your file', timeoutMs * LOAD_TIMEOUT_FACTOR), requirements: [] };
    }
    declared ??= attempt.declared;
    for (const result of attempt.settled) results.set(result.id, result);
    if (attempt.stuckOn) {
      const stuck = declared?.find((r) => r.id === attempt.stuckOn);
      if (stuck) results.set(stuck.id, { ...stuck, status: 'timed-out', problem: timeoutProblem('this check', timeoutMs) });
    }
    const remaining = (declared ?? []).filter((r) => !results.has(r.id));
    if (!attempt.stuckOn || remaining.length === 0) break;
  }
  const requirements = (declared ?? []).map(
    (r): RequirementResult => results.get(r.id) ?? { ...r, status: 'not-run' },
  );
  return { ...base, requirements };
}
