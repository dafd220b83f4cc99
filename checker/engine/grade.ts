import path from 'node:path';
import { compileEngine, compileGrader, compileTarget, CompileError, type CompiledEngine } from './compile.ts';
import { GradingLane } from './lane.ts';
import { verifyContentAddressed } from './sandbox/content-address.ts';
import { inertData } from './sandbox/inert.ts';
import { IsolatedWorker as Worker } from './sandbox/isolated-worker.ts';
import { coldLaneWorthIt, laneCount, runQueue, timeoutProblem } from './queue.ts';
import type { CodeProblem, GradeResult, RequirementResult, WorkerInput } from './results.ts';

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
  /** Heap limit of the grading worker, in MB; its whole process, array buffers included, is capped at processMemoryMb of it. */
  readonly memoryLimitMb?: number;
  /** Stops grading (Ctrl-C): the worker is terminated and the result says it was interrupted. */
  readonly signal?: AbortSignal;
  /** Workbook root, to report the target path relative to it. */
  readonly root?: string;
  /** Told the title of each requirement as it starts (a progress line on a terminal). */
  readonly onProgress?: (title: string) => void;
  /** A worker started earlier with `warmWorker` for this grader; used as the first lane. */
  readonly warm?: WarmWorker;
  /** A second warm worker (same grader), used as the second lane instead of starting one. */
  readonly warmSecond?: WarmWorker;
  /** How many workers grade side by side; by default laneCount, a cold second one only where coldLaneWorthIt says so. */
  readonly lanes?: number;
  /**
   * Given, it is called after a verdict that was not interrupted with the workers that graded it
   * cleanly, still running, for the next verdict with the same grader (watch): their compiled,
   * optimised code makes the next verdict faster. Without it, they are terminated.
   */
  readonly keepWorkers?: (workers: readonly WarmWorker[]) => void;
}

/**
 * A kept worker grades at most this many verdicts, then a fresh one takes over: whatever our side
 * keeps between verdicts in a worker cannot pile up without bound over a long watch.
 */
export const MAX_VERDICTS_PER_WORKER = 20;

export const DEFAULT_TIMEOUT_MS = Number(process.env.WORKBOOK_TIMEOUT_MS ?? 10_000);
/** Randomised requirements try this many schedules in a learner's verdict; the guard is set for it. */
export const GUARD_BASE_RUNS = 500;
export const DEFAULT_MEMORY_LIMIT_MB = Number(process.env.WORKBOOK_MEMORY_MB ?? 512);

/** The guard for `runs` schedules: the base guard, or proportionally more when more runs are asked. */
export function guardFor(timeoutMs: number, runs: number): number {
  return Math.round(timeoutMs * Math.max(1, runs / GUARD_BASE_RUNS));
}

export { laneCount } from './queue.ts';

/** Said of a requirement (or of loading) that ran the worker past its memory limit. */
export function outOfMemoryProblem(what: string, limitMb: number): CodeProblem {
  return {
    kind: 'memory',
    message: `out of memory in ${what}: the code used more than the ${limitMb} MB a check may use; look for a collection that only grows or a loop that keeps allocating`,
  };
}
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
  /** Verdicts it has already graded (kept workers); none for a fresh one. */
  readonly verdicts?: number;
}

type StartData = { graderModule?: string; input?: WorkerInput };

/**
 * What a grading process may hold beyond its worker's heap: the host process, Node and V8
 * themselves, ses, the engine and the grader (about 90 MB measured), and room for the array
 * buffers honest code allocates. The whole process, array buffers included, is capped at the
 * heap limit plus this.
 */
export const PROCESS_OVERHEAD_MB = 192;

/** The cap on a grading process's resident memory, everything included, for a heap limit. */
export const processMemoryMb = (heapLimitMb: number): number => heapLimitMb + PROCESS_OVERHEAD_MB;

/**
 * A worker that locks its realm down first (sandbox/entry.ts), then runs `engine`, in a process
 * of its own (sandbox/isolated-worker.ts) that is killed outright when it must stop.
 */
export function spawnSandboxed(engine: CompiledEngine, workerData: object, memoryLimitMb = DEFAULT_MEMORY_LIMIT_MB): Worker {
  verifyContentAddressed(engine.engine);
  verifyContentAddressed(engine.host);
  return new Worker(engine.host, {
    entry: engine.entry,
    workerData: { ...workerData, engineModule: engine.engine, sesCodeCache: engine.sesCodeCache },
    heapLimitMb: memoryLimitMb,
    memoryLimitMb: processMemoryMb(memoryLimitMb),
  });
}

function startWorker(root: string, workerData: StartData, memoryLimitMb?: number): Promise<Worker> {
  return compileEngine(root).then((engine) => spawnSandboxed(engine, workerData, memoryLimitMb));
}

export function warmWorker(root: string, graderPath?: string): WarmWorker {
  // The engine and the grader are found (or built) side by side: both are usually cached.
  const worker = Promise.all([graderPath ? compileGrader(root, graderPath) : undefined, compileEngine(root)]).then(([graderModule, engine]) => {
    if (graderModule) verifyContentAddressed(graderModule);
    return spawnSandboxed(engine, { graderModule });
  });
  // An unused warm worker must not keep the process alive.
  worker.then((w) => w.unref()).catch(() => undefined);
  return { graderPath, worker };
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

/** Workers kept from the last verdict in this process, when it keeps them (keepWorkersBetweenVerdicts). */
let betweenVerdicts: { keep: boolean; workers: readonly WarmWorker[] } = { keep: false, workers: [] };

/**
 * For a process that grades again and again (the menu): each verdict leaves its workers, compiled
 * and optimised, to the next one of the same grader, as `watch` does with its own. Off, the
 * workers kept so far are stopped.
 */
export function keepWorkersBetweenVerdicts(keep: boolean): void {
  if (!keep) for (const w of betweenVerdicts.workers) discardWarmWorker(w);
  betweenVerdicts = { keep, workers: [] };
}

/** The workers kept from the last verdict, waiting for the next (to look at, as tests do). */
export function workersKeptBetweenVerdicts(): readonly WarmWorker[] {
  return betweenVerdicts.workers;
}

/** The kept workers for `graderPath`, taken; those kept for another grader are stopped. */
function takeKept(graderPath: string): readonly WarmWorker[] {
  const workers = betweenVerdicts.workers;
  betweenVerdicts = { ...betweenVerdicts, workers: [] };
  if (workers.every((w) => w.graderPath === graderPath)) return workers;
  for (const w of workers) discardWarmWorker(w);
  return [];
}

/**
 * Grades the file; the result is inert (sandbox/inert.ts) wherever its text came from, the worker,
 * the compiler or the file's path, with the learner's file named as `target` in stacks.
 */
export async function gradeFile(options: GradeOptions): Promise<GradeResult> {
  const result = await gradeInWorkers(options);
  return inertData(result, [[options.targetPath, result.target]]);
}

async function gradeInWorkers(options: GradeOptions): Promise<GradeResult> {
  const timeoutMs = guardFor(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.runs);
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const root = options.root ?? process.cwd();
  const relative = path.relative(root, options.targetPath);
  const target = relative.startsWith('..') ? options.targetPath : relative;
  const base = { exerciseId: options.exerciseId, target, seed: options.seed, runs: options.runs };
  const interrupted = (): GradeResult => ({ ...base, loadProblem: { kind: 'load', message: 'grading was interrupted' }, requirements: [] });

  // A process that keeps workers between verdicts (the menu) offers the last verdict's, and keeps this one's.
  const between = betweenVerdicts.keep && !options.warm && !options.keepWorkers;
  const keeping = options.keepWorkers ?? (between ? (workers: readonly WarmWorker[]) => (betweenVerdicts = { ...betweenVerdicts, workers }) : undefined);
  const [keptFirst, keptSecond] = between ? takeKept(options.graderPath) : [];
  if (keptFirst && spare) {
    discardWarmWorker(spare);
    spare = undefined;
  }
  const offered = options.warm ?? keptFirst ?? spare;
  if (offered === spare) spare = undefined;
  const warm = offered && (offered.graderPath === undefined || offered.graderPath === options.graderPath) ? offered : undefined;
  if (offered && !warm) discardWarmWorker(offered);
  // A second warm worker offered (watch keeps one) joins as soon as the first lane has loaded;
  // otherwise a second lane is started only once grading turns out to take a while (runQueue).
  const wantsSecond = laneCount(options.only?.length ?? Infinity, options.lanes) >= 2;
  const secondWarm = options.warmSecond ?? keptSecond;
  const offeredSecond = secondWarm && secondWarm.graderPath === options.graderPath ? secondWarm : undefined;
  if (secondWarm && (!offeredSecond || !wantsSecond)) discardWarmWorker(secondWarm);
  let second = wantsSecond ? offeredSecond : undefined;
  if (options.signal?.aborted) {
    for (const w of [warm, second]) if (w) discardWarmWorker(w);
    return interrupted();
  }

  // Workers for the next verdict, when the caller keeps them (keepWorkers): those that graded
  // cleanly, and warm ones this verdict did not need.
  const kept: WarmWorker[] = [];
  const letGo = (w: WarmWorker): void => {
    if (keeping) kept.push(w);
    else discardWarmWorker(w);
  };
  const handBack = (wasInterrupted: boolean): void => {
    if (wasInterrupted || !keeping) for (const w of kept) discardWarmWorker(w);
    else keeping(kept);
  };

  let graderModule: string;
  let targetModule: string;
  try {
    [graderModule, targetModule] = await Promise.all([compileGrader(root, options.graderPath), compileTarget(root, options.targetPath)]);
    verifyContentAddressed(graderModule);
  } catch (error) {
    for (const w of [warm, second]) if (w) letGo(w);
    handBack(false);
    if (error instanceof CompileError) return { ...base, loadProblem: relativeLocation(root, error.problem), requirements: [] };
    throw error;
  }
  const input: WorkerInput = { graderModule, targetModule, targetPath: options.targetPath, seed: options.seed, runs: options.runs, only: options.only };
  const lanes = new Set<GradingLane>();
  /** How many verdicts each lane's worker will have graded once this one is done. */
  const verdictsOf = new Map<GradingLane, number>();
  const openLane = (from?: WarmWorker): GradingLane => {
    const worker = from
      ? from.worker.then((w) => {
          // A kept worker that has died since (threadId -1) is replaced by a fresh one.
          if (w.threadId < 0) return startWorker(root, { input }, memoryLimitMb);
          w.ref();
          w.postMessage({ input });
          return w;
        })
      : startWorker(root, { input }, memoryLimitMb);
    const lane = new GradingLane(worker, {
      targetPath: options.targetPath,
      memoryLimitMb,
      loadTimeoutMs: timeoutMs * LOAD_TIMEOUT_FACTOR,
      outOfMemory: (what) => outOfMemoryProblem(what, processMemoryMb(memoryLimitMb)),
    });
    lanes.add(lane);
    verdictsOf.set(lane, (from?.verdicts ?? 0) + 1);
    return lane;
  };
  // A lane done with its work: its worker kept for the next verdict when asked, else stopped.
  const finished = (lane: GradingLane): void => {
    const verdicts = verdictsOf.get(lane) ?? 1;
    const worker = keeping && verdicts < MAX_VERDICTS_PER_WORKER ? lane.release() : undefined;
    if (!worker) return lane.stop();
    worker.unref();
    // An idle worker's late error must not become an uncaught 'error' event of the process (one
    // such listener per worker, however often it is kept: more would draw Node's leak warning).
    if (worker.listenerCount('error') === 0) worker.on('error', () => undefined);
    kept.push({ graderPath: options.graderPath, worker: Promise.resolve(worker), verdicts });
  };
  const stopAll = (): void => {
    for (const lane of lanes) lane.stop();
    if (second) letGo(second);
    second = undefined;
  };
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    stopAll();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Ctrl-C while compiling: the listener above came too late to hear it.
  if (options.signal?.aborted) onAbort();
  try {
    if (aborted) {
      if (warm) discardWarmWorker(warm);
      return interrupted();
    }
    const first = openLane(warm);
    const load = await first.loaded;
    if (aborted || load.kind === 'stopped') return interrupted();
    if (load.kind !== 'loaded') {
      // A file that does not load leaves a sound worker waiting for the next one (a save in watch).
      if (load.kind === 'load-problem') finished(first);
      stopAll();
      if (load.kind === 'load-problem') return { ...base, loadProblem: relativeLocation(root, load.problem), requirements: [] };
      if (load.kind === 'load-out-of-memory') return { ...base, loadProblem: outOfMemoryProblem('loading your file', processMemoryMb(memoryLimitMb)), requirements: [] };
      return { ...base, loadProblem: timeoutProblem('loading your file', timeoutMs * LOAD_TIMEOUT_FACTOR), requirements: [] };
    }
    const declared = load.declared;
    // From here the queue owns the second warm worker: opens it as a lane or lets it go.
    const handed = second;
    second = undefined;
    const results = await runQueue({
      first,
      declared,
      lanes: laneCount(declared.length, options.lanes),
      second: handed && { open: () => openLane(handed), discard: () => letGo(handed) },
      coldLanes: coldLaneWorthIt(options.lanes),
      openLane: () => openLane(),
      timeoutMs,
      measure: options.measure === true && load.measures,
      aborted: () => aborted,
      onProgress: options.onProgress,
      finished,
    });
    if (aborted) return interrupted();
    const requirements = declared.map((r): RequirementResult => {
      const result = results.settled.get(r.id) ?? { ...r, status: 'not-run' };
      return result.problem ? { ...result, problem: relativeLocation(root, result.problem) } : result;
    });
    const complexity = results.complexity && requirements.every((r) => r.status === 'passed') ? results.complexity : undefined;
    return complexity ? { ...base, requirements, complexity } : { ...base, requirements };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stopAll();
    handBack(aborted);
  }
}

/** Shows a location inside the workbook as a path from its root, the way the learner opens it. */
export function relativeLocation(root: string, problem: CodeProblem): CodeProblem {
  if (!problem.location) return problem;
  const relative = path.relative(root, problem.location.file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? problem : { ...problem, location: { ...problem.location, file: relative } };
}
