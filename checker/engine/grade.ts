import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { compileEngine, compileGrader, compileTarget, CompileError, type CompiledEngine } from './compile.ts';
import type { ComplexityMeasurement } from './complexity.ts';
import { createStepSignal, readStepSignal } from './progress-signal.ts';
import { locateStuckWorker, type SourcePosition } from './stuck.ts';
import { MEASURING, type CodeProblem, type GradeResult, type RequirementResult, type WorkerInput, type WorkerMessage } from './results.ts';

/**
 * Grades one file with one grader. The grader runs in a worker thread with a memory limit; if a
 * requirement (or the loading of the file) makes no progress within the time limit, or runs the
 * worker out of memory, the worker is terminated, that requirement is reported as timed out (or
 * out of memory) at the learner's door, and a fresh worker carries on with the requirements that
 * remain. The time limit is a guard against infinite loops, not part of any check: every check
 * runs on simulated time. It grows with `runs`, since more schedules take longer on any machine.
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
  /** Measure message counts once every requirement passes. */
  readonly measure?: boolean;
  /** Wall-clock guard per requirement at GUARD_BASE_RUNS runs, in ms; scaled up for more runs. */
  readonly timeoutMs?: number;
  /** Heap limit of the grading worker, in MB. */
  readonly memoryLimitMb?: number;
  /** Stops grading (Ctrl-C): the worker is terminated and the result says it was interrupted. */
  readonly signal?: AbortSignal;
  /** Workbook root, to report the target path relative to it. */
  readonly root?: string;
  /** Told the title of each requirement as it starts (a progress line on a terminal). */
  readonly onProgress?: (title: string) => void;
  /** A worker started earlier with `warmWorker` for this grader; used for the first attempt. */
  readonly warm?: WarmWorker;
}

export const DEFAULT_TIMEOUT_MS = Number(process.env.WORKBOOK_TIMEOUT_MS ?? 10_000);
/** Randomised requirements try this many schedules in a learner's verdict; the guard is set for it. */
export const GUARD_BASE_RUNS = 500;
export const DEFAULT_MEMORY_LIMIT_MB = Number(process.env.WORKBOOK_MEMORY_MB ?? 512);

/** The guard for `runs` schedules: the base guard, or proportionally more when more runs are asked. */
export function guardFor(timeoutMs: number, runs: number): number {
  return Math.round(timeoutMs * Math.max(1, runs / GUARD_BASE_RUNS));
}

/** Said of a requirement (or of loading) that ran the worker past its memory limit. */
export function outOfMemoryProblem(what: string, limitMb: number): CodeProblem {
  return {
    kind: 'memory',
    message: `out of memory in ${what}: the code used more than the ${limitMb} MB a check may use; look for a collection that only grows or a loop that keeps allocating`,
  };
}
/** All the time a verdict may spend on checks that never finish, in guards (10 s each by default). */
const LOOP_BUDGET_FACTOR = 1.5;
/** After one check has looped, the others get this share of the guard (the loop is usually shared). */
const GUARD_AFTER_LOOP_FACTOR = 0.2;
const MIN_GUARD_AFTER_LOOP_MS = 1000;

// Starting a worker and compiling the file takes far longer on a loaded machine than any check
// does, and a module that loops at load time is rare: give loading more room.
const LOAD_TIMEOUT_FACTOR = 3;

/**
 * A grading worker that has started and loaded the engine (and, when given, the grader), waiting
 * for a file to grade.
 */
export interface WarmWorker {
  readonly graderPath?: string;
  readonly worker: Promise<Worker>;
  /** The last scenario step the worker began (see progress-signal.ts). */
  readonly stepSignal: SharedArrayBuffer;
}

type StartData = { stepSignal: SharedArrayBuffer; graderModule?: string; input?: WorkerInput };

/** A worker that locks its realm down first (sandbox/entry.ts), then runs `engine`. */
export function spawnSandboxed(engine: CompiledEngine, workerData: object, memoryLimitMb = DEFAULT_MEMORY_LIMIT_MB): Worker {
  const worker = new Worker(engine.entry, {
    workerData: { ...workerData, engineModule: engine.engine, sesCodeCache: engine.sesCodeCache },
    resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb },
    // Piped, never read: graded code cannot print there, and nothing our side might print (a
    // warning of SES's, say) may land in the middle of a verdict or of --json output. Reading
    // them would keep an unused warm worker from letting the process exit.
    stdout: true,
    stderr: true,
  });
  return worker;
}

function startWorker(root: string, workerData: StartData, memoryLimitMb?: number): Promise<Worker> {
  return compileEngine(root).then((engine) => spawnSandboxed(engine, workerData, memoryLimitMb));
}

export function warmWorker(root: string, graderPath?: string): WarmWorker {
  const stepSignal = createStepSignal();
  // The engine and the grader are found (or built) side by side: both are usually cached.
  const worker = Promise.all([graderPath ? compileGrader(root, graderPath) : undefined, compileEngine(root)]).then(([graderModule, engine]) =>
    spawnSandboxed(engine, { graderModule, stepSignal }),
  );
  // An unused warm worker must not keep the process alive.
  worker.then((w) => w.unref()).catch(() => undefined);
  return { graderPath, worker, stepSignal };
}

/** Stops a warm worker that will not be used. */
export function discardWarmWorker(warm: WarmWorker): void {
  warm.worker.then((w) => w.terminate()).catch(() => undefined);
}

let spare: WarmWorker | undefined;

/**
 * Starts a warm worker now, for the next `gradeFile` to use: the CLI calls this first thing for
 * grading commands, so starting the worker overlaps with loading the command. Given the grader the
 * command will use, the worker loads it too; `gradeFile` drops a spare made for another grader.
 */
export function prestartWorker(root: string, graderPath?: string): void {
  spare ??= warmWorker(root, graderPath);
}

interface Attempt {
  readonly settled: RequirementResult[];
  readonly declared?: readonly Omit<RequirementResult, 'status'>[];
  readonly loadProblem?: CodeProblem;
  readonly complexity?: ComplexityMeasurement;
  /** The requirement that was running when the worker was stopped, if it was. */
  readonly stuckOn?: string;
  /** The scenario step it had reached. */
  readonly stuckAt?: string;
  /** The line of the graded file it was executing. */
  readonly stuckWhere?: SourcePosition;
  readonly stuckLoading?: boolean;
  /** The requirement whose worker died under it (out of memory, or an error escaping the grader). */
  readonly crashedOn?: string;
  readonly loadOutOfMemory?: boolean;
  readonly interrupted?: boolean;
}

const isOutOfMemory = (error: Error): boolean => (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';

interface AttemptOptions {
  readonly timeoutMs: number;
  readonly onProgress?: (title: string) => void;
  readonly memoryLimitMb: number;
  readonly warm?: WarmWorker;
  readonly signal?: AbortSignal;
}

async function runWorker(root: string, input: WorkerInput, options: AttemptOptions): Promise<Attempt> {
  const { timeoutMs, warm, signal } = options;
  const stepSignal = warm?.stepSignal ?? createStepSignal();
  const worker = warm ? await warm.worker : await startWorker(root, { input, stepSignal }, options.memoryLimitMb);
  if (warm) {
    worker.ref();
    worker.postMessage({ input });
  }
  return new Promise((resolve) => {
    const settled: RequirementResult[] = [];
    let declared: Attempt['declared'];
    let complexity: ComplexityMeasurement | undefined;
    let running: string | undefined;
    let finished = false;
    let watchdog: NodeJS.Timeout;

    const onAbort = (): void => finish({ interrupted: true });
    const finish = (attempt: Omit<Attempt, 'settled' | 'declared' | 'complexity'>): void => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve({ settled, declared, complexity, ...attempt });
    };
    if (signal?.aborted) return finish({ interrupted: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () => {
          if (!running) return finish({ stuckLoading: !declared });
          const stuckOn = running;
          const stuckAt = readStepSignal(stepSignal);
          // Ask the stuck worker where it is before stopping it, so the learner gets a line.
          void locateStuckWorker(worker, input.targetPath).then((stuckWhere) => finish({ stuckOn, stuckAt, stuckWhere }));
        },
        declared ? timeoutMs : timeoutMs * LOAD_TIMEOUT_FACTOR,
      );
    };

    worker.on('message', (message: WorkerMessage) => {
      switch (message?.type) {
        case 'loaded':
          declared = message.requirements;
          arm();
          break;
        case 'load-problem':
          finish({ loadProblem: message.problem });
          break;
        case 'start': {
          running = message.id;
          const title = declared?.find((r) => r.id === message.id)?.title;
          if (title) options.onProgress?.(title);
          arm();
          break;
        }
        case 'result':
          settled.push(message.result);
          running = undefined;
          arm();
          break;
        case 'complexity':
          complexity = message.measurement;
          running = undefined;
          break;
        case 'done':
          finish({});
          break;
      }
    });
    worker.on('error', (error) => {
      // Errors escaping the worker are ours (the grader or the bootstrap), a learner's code
      // crashing the thread from a queued task, or the heap limit; the running requirement gets the blame.
      const base = declared?.find((r) => r.id === running);
      if (isOutOfMemory(error)) {
        if (!base) return finish(declared ? {} : { loadOutOfMemory: true });
        settled.push({ ...base, status: 'crashed', problem: outOfMemoryProblem(`"${base.title}"`, options.memoryLimitMb) });
        return finish({ crashedOn: base.id });
      }
      const problem: CodeProblem = { kind: 'exception', message: `${error.name}: ${error.message}` };
      if (base) {
        settled.push({ ...base, status: 'crashed', problem });
        finish({ crashedOn: base.id });
      } else {
        finish(declared ? {} : { loadProblem: { ...problem, kind: 'load' } });
      }
    });
    worker.on('exit', () => finish({ stuckOn: running }));
    arm();
  });
}

export async function gradeFile(options: GradeOptions): Promise<GradeResult> {
  const timeoutMs = guardFor(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.runs);
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const root = options.root ?? process.cwd();
  const relative = path.relative(root, options.targetPath);
  const target = relative.startsWith('..') ? options.targetPath : relative;
  const base = { exerciseId: options.exerciseId, target, seed: options.seed, runs: options.runs };
  const timeoutProblem = (what: string, limitMs: number, step?: string, where?: SourcePosition): CodeProblem => ({
    kind: 'timeout',
    ...(where ? { location: where } : {}),
    message: step
      ? `${what} did not finish within ${limitMs / 1000} s; it was stuck in this step: "${step}". Look in the code that step calls for a loop that never ends or a promise that never settles`
      : `${what} did not finish within ${limitMs / 1000} s: look for a loop that never ends or a promise that never settles`,
  });

  const results = new Map<string, RequirementResult>();
  let declared: readonly Omit<RequirementResult, 'status'>[] | undefined;
  let complexity: ComplexityMeasurement | undefined;
  const offered = options.warm ?? spare;
  if (offered === spare) spare = undefined;
  let warm = offered && (offered.graderPath === undefined || offered.graderPath === options.graderPath) ? offered : undefined;
  if (offered && !warm) discardWarmWorker(offered);

  let graderModule: string;
  let targetModule: string;
  try {
    [graderModule, targetModule] = await Promise.all([compileGrader(root, options.graderPath), compileTarget(root, options.targetPath)]);
  } catch (error) {
    if (warm) discardWarmWorker(warm);
    if (error instanceof CompileError) return { ...base, loadProblem: relativeLocation(root, error.problem), requirements: [] };
    throw error;
  }
  // A file that loops usually loops in every check: the first stuck check gets the full guard,
  // later ones a short one, and once the loop budget is spent the rest are not run, so such a
  // verdict takes about LOOP_BUDGET_FACTOR guards in all instead of one guard per requirement.
  let guard = timeoutMs;
  let spentOnLoops = 0;
  // Each pass settles at least one more requirement, so this ends.
  for (;;) {
    const attempt = await runWorker(
      root,
      {
        graderModule,
        targetModule,
        targetPath: options.targetPath,
        seed: options.seed,
        runs: options.runs,
        only: options.only,
        skip: [...results.keys()],
        measure: options.measure,
      },
      { timeoutMs: guard, memoryLimitMb, warm, signal: options.signal, onProgress: options.onProgress },
    );
    warm = undefined;
    if (attempt.interrupted) return { ...base, loadProblem: { kind: 'load', message: 'grading was interrupted' }, requirements: [] };
    if (attempt.loadProblem) return { ...base, loadProblem: relativeLocation(root, attempt.loadProblem), requirements: [] };
    if (attempt.loadOutOfMemory) return { ...base, loadProblem: outOfMemoryProblem('loading your file', memoryLimitMb), requirements: [] };
    if (attempt.stuckLoading) {
      return { ...base, loadProblem: timeoutProblem('loading your file', timeoutMs * LOAD_TIMEOUT_FACTOR), requirements: [] };
    }
    declared ??= attempt.declared;
    complexity ??= attempt.complexity;
    for (const result of attempt.settled) results.set(result.id, result);
    if (attempt.stuckOn === MEASURING) {
      complexity = { problem: timeoutProblem('measuring message counts', timeoutMs).message };
      break;
    }
    if (attempt.stuckOn) {
      const stuck = declared?.find((r) => r.id === attempt.stuckOn);
      if (stuck) results.set(stuck.id, { ...stuck, status: 'timed-out', problem: timeoutProblem('this check', guard, attempt.stuckAt, attempt.stuckWhere) });
      spentOnLoops += guard;
      guard = Math.max(MIN_GUARD_AFTER_LOOP_MS, Math.round(timeoutMs * GUARD_AFTER_LOOP_FACTOR));
    }
    const remaining = (declared ?? []).filter((r) => !results.has(r.id));
    if ((!attempt.stuckOn && !attempt.crashedOn) || remaining.length === 0) break;
    if (spentOnLoops + guard > timeoutMs * LOOP_BUDGET_FACTOR) {
      const skipped: CodeProblem = {
        kind: 'timeout',
        message: 'not run: earlier checks already used up the time allowed for code that does not finish; fix the loop they point at, then run again',
      };
      for (const r of remaining) results.set(r.id, { ...r, status: 'not-run', problem: skipped });
      break;
    }
  }
  if (!declared) {
    return { ...base, loadProblem: { kind: 'load', message: 'the grader stopped before running any check' }, requirements: [] };
  }
  const requirements = declared.map((r): RequirementResult => {
    const result = results.get(r.id) ?? { ...r, status: 'not-run' };
    return result.problem ? { ...result, problem: relativeLocation(root, result.problem) } : result;
  });
  return complexity ? { ...base, requirements, complexity } : { ...base, requirements };
}

/** Shows a location inside the workbook as a path from its root, the way the learner opens it. */
export function relativeLocation(root: string, problem: CodeProblem): CodeProblem {
  if (!problem.location) return problem;
  const relative = path.relative(root, problem.location.file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? problem : { ...problem, location: { ...problem.location, file: relative } };
}
