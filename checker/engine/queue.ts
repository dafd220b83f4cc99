import os from 'node:os';
import type { ComplexityMeasurement } from './complexity.ts';
import type { Declared, GradingLane } from './lane.ts';
import type { CodeProblem, RequirementResult } from './results.ts';
import type { SourcePosition } from './stuck.ts';

/**
 * The requirements of one file, handed out to one or more grading lanes (lane.ts): declared
 * order, one id at a time to whichever lane is free; the caller lists the results in declared
 * order whatever order they came in. Each requirement's verdict depends on the file, the seed,
 * the runs and the requirement alone (worker.ts), so how they were spread over lanes changes
 * nothing but the time a verdict takes.
 */

/** All the time a verdict may spend on checks that never finish, in guards (10 s each by default). */
const LOOP_BUDGET_FACTOR = 1.5;
/** After one check has looped, the others get this share of the guard (the loop is usually shared). */
const GUARD_AFTER_LOOP_FACTOR = 0.2;
const MIN_GUARD_AFTER_LOOP_MS = 1000;
/** A second lane that must start cold joins if the checks are still going after this long. */
const COLD_LANE_AFTER_MS = Number(process.env.WORKBOOK_COLD_LANE_AFTER_MS ?? 150);

/**
 * How many workers grade one file side by side: two on a machine with two cores or more, one
 * when there is one requirement to run. WORKBOOK_LANES=1 forces one (debugging, the bench).
 */
export function laneCount(requirements: number, requested?: number): number {
  const forced = requested ?? Number(process.env.WORKBOOK_LANES);
  const most = Number.isInteger(forced) && forced >= 1 ? forced : Math.min(2, os.availableParallelism());
  return Math.max(1, Math.min(most, requirements));
}

/** Said of a check (or of loading) that ran past its guard. */
export function timeoutProblem(what: string, limitMs: number, step?: string, where?: SourcePosition): CodeProblem {
  return {
    kind: 'timeout',
    ...(where ? { location: where } : {}),
    message: step
      ? `${what} did not finish within ${limitMs / 1000} s; it was stuck in this step: "${step}". Look in the code that step calls for a loop that never ends or a promise that never settles`
      : `${what} did not finish within ${limitMs / 1000} s: look for a loop that never ends or a promise that never settles`,
  };
}

/** Cores a machine needs before a second lane is started cold by default. */
const COLD_LANE_MIN_CORES = 4;

/**
 * Whether a lane that must start cold is worth starting: its start costs a quarter of a second of
 * CPU and its checks run on code V8 has not warmed up yet. Measured on this project's 2-core
 * machine, quiet or loaded, two lanes were never faster than one (raft replication 1.06-1.12 s on
 * one lane, 1.29-1.40 s on two), so by default a cold lane is started only on a machine with at
 * least COLD_LANE_MIN_CORES cores that is not already busy (one-minute load average below cores -
 * 0.5). Asked for explicitly (WORKBOOK_LANES, `lanes`), it always starts.
 */
export function coldLaneWorthIt(requested?: number): boolean {
  if (requested !== undefined || process.env.WORKBOOK_LANES) return true;
  const cores = os.availableParallelism();
  return cores >= COLD_LANE_MIN_CORES && (os.loadavg()[0] ?? 0) < cores - 0.5;
}

/** The measure of the union of some time intervals: loops on two lanes at once count once. */
function coveredTime(intervals: readonly (readonly [number, number])[]): number {
  let total = 0;
  let reached = -Infinity;
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (to > reached) {
      total += to - Math.max(from, reached);
      reached = to;
    }
  }
  return total;
}

/** A worker started ahead (watch keeps one) to be the second lane. */
export interface SecondLane {
  open(): GradingLane;
  discard(): void;
}

export interface QueueSettings {
  /** The first lane, loaded. */
  readonly first: GradingLane;
  readonly declared: Declared;
  /** How many lanes to run at most (laneCount). */
  readonly lanes: number;
  readonly second?: SecondLane;
  /** Whether to start lanes cold beyond the first (coldLaneWorthIt). */
  readonly coldLanes: boolean;
  /** A fresh lane, started cold: for a lane whose worker died, or one more lane. */
  readonly openLane: () => GradingLane;
  /** The guard of one check, in ms. */
  readonly timeoutMs: number;
  /** Measure message counts once every requirement has passed. */
  readonly measure: boolean;
  readonly aborted: () => boolean;
  readonly onProgress?: (title: string) => void;
  /** Takes a lane that ran out of requirements (its worker may be kept); by default it is stopped. */
  readonly finished?: (lane: GradingLane) => void;
}

export interface QueueOutcome {
  readonly settled: Map<string, RequirementResult>;
  readonly complexity?: ComplexityMeasurement;
}

/**
 * Hands out requirement ids in declared order, one at a time, to whichever lane is free. A file
 * that loops usually loops in every check: the first stuck check gets the full guard, checks
 * running beside it and later ones a short one, and once the loop budget is spent the rest are
 * not run, so such a verdict takes about LOOP_BUDGET_FACTOR guards of wall time in all (loops
 * on both lanes at once count once), not one guard per requirement.
 */
export async function runQueue(settings: QueueSettings): Promise<QueueOutcome> {
  const { first, declared, measure, timeoutMs, openLane, aborted } = settings;
  const settled = new Map<string, RequirementResult>();
  const queue = declared.map((r) => r.id);
  const running = new Map<GradingLane, string>();
  const loops: [number, number][] = [];
  let guard = timeoutMs;
  let complexity: ComplexityMeasurement | undefined;
  let measuring: GradingLane | undefined;
  const failedSoFar = (): boolean => [...settled.values()].some((r) => r.status !== 'passed');
  const titleOf = (id: string): string => declared.find((r) => r.id === id)?.title ?? id;
  const tellProgress = (): void => {
    // The requirement started first leads; the other lane's is counted beside it.
    const ids = [...running.values()];
    if (ids.length > 0) settings.onProgress?.(ids.length === 1 ? titleOf(ids[0]!) : `${titleOf(ids[0]!)} (and ${ids.length - 1} more)`);
  };
  const record = (result: RequirementResult): void => {
    settled.set(result.id, result);
    // Message counts only mean something for code that passes: stop measuring once it cannot.
    if (result.status !== 'passed' && measuring) measuring.stop();
  };

  const loading = new Set<GradingLane>();
  const whenLoaded = async (lane: GradingLane): Promise<boolean> => {
    loading.add(lane);
    const loaded = (await lane.loaded).kind === 'loaded';
    loading.delete(lane);
    return loaded;
  };
  const drive = async (initial: GradingLane): Promise<void> => {
    let lane = initial;
    if (!(await whenLoaded(lane))) return;
    while (!aborted()) {
      const id = queue.shift();
      if (id === undefined) break;
      if (loops.length > 0 && coveredTime(loops) + guard > timeoutMs * LOOP_BUDGET_FACTOR) {
        const skipped: CodeProblem = {
          kind: 'timeout',
          message: 'not run: earlier checks already used up the time allowed for code that does not finish; fix the loop they point at, then run again',
        };
        for (const left of [id, ...queue.splice(0)]) settled.set(left, { ...declared.find((r) => r.id === left)!, status: 'not-run', problem: skipped });
        break;
      }
      running.set(lane, id);
      tellProgress();
      const outcome = await lane.run(id, guard);
      running.delete(lane);
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'result' || outcome.kind === 'crashed') record(outcome.result);
      if (outcome.kind === 'stuck') {
        const limitMs = outcome.endedAt - outcome.startedAt;
        const shown = Math.round(limitMs / 100) * 100;
        record({ ...declared.find((r) => r.id === id)!, status: 'timed-out', problem: timeoutProblem('this check', shown, outcome.step, outcome.where) });
        loops.push([outcome.startedAt, outcome.endedAt]);
        guard = Math.max(MIN_GUARD_AFTER_LOOP_MS, Math.round(timeoutMs * GUARD_AFTER_LOOP_FACTOR));
        // The loop is usually shared: a check running beside this one gets no more than the short guard.
        for (const other of running.keys()) other.shortenGuard(guard);
      }
      if (lane.spent) {
        if (queue.length === 0) break;
        lane = openLane();
        if (!(await whenLoaded(lane))) return;
      }
    }
    // Nothing is left to hand out: a lane still starting would only be waited for.
    for (const late of loading) late.stop();
    // Measuring runs on the first lane to run out of requirements, while the other finishes.
    if (measure && !aborted() && !measuring && !lane.spent && !failedSoFar()) {
      measuring = lane;
      const measured = await lane.measure(timeoutMs);
      if (measured.kind === 'measured') complexity = measured.measurement;
      if (measured.kind === 'stuck') complexity = { problem: timeoutProblem('measuring message counts', timeoutMs).message };
    }
    if (settings.finished && !aborted()) settings.finished(lane);
    else lane.stop();
  };

  // A lane that starts cold costs a worker's start (a quarter of a second of CPU, more on a busy
  // machine): only worth it when the checks are not over by the time it is ready.
  let drainedNow!: () => void;
  const drained = new Promise<void>((resolve) => (drainedNow = resolve));
  const join = async (second?: SecondLane): Promise<void> => {
    if (!second) {
      if (!settings.coldLanes) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, COLD_LANE_AFTER_MS)))]);
      clearTimeout(timer);
    }
    if (queue.length === 0 || aborted()) {
      second?.discard();
      return;
    }
    await drive(second ? second.open() : openLane());
  };
  const drivers = [drive(first).finally(drainedNow)];
  if (settings.lanes >= 2) drivers.push(join(settings.second));
  else settings.second?.discard();
  for (let extra = drivers.length; extra < settings.lanes; extra++) drivers.push(join());
  await Promise.all(drivers);
  return { settled, complexity };
}
