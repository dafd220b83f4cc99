import fc from 'fast-check';
import { createSimClock, type SimClock } from './sim-clock.ts';
import { signalStep } from './progress-signal.ts';
import { copyData } from '../sim/copy.ts';

/**
 * The grader vocabulary. A grader is a list of requirements, each phrased as something a learner
 * understands ("a minority partition never commits"), each checking the learner's module through
 * its public API. A failing check throws a ScenarioFailure that tells the story of what was done,
 * what should have happened and what happened instead. Nothing here prints or colours anything:
 * the worker ships results to the CLI, which renders them.
 */

/** Safety: nothing bad ever happens. Liveness: something good eventually happens. */
export type RequirementKind = 'safety' | 'liveness' | 'behaviour';

export interface GradeContext<Impl> {
  /** The learner's module (or the solution, or a planted-bug variant), as imported. */
  readonly impl: Impl;
  /**
   * Another evaluation of the same module, sharing nothing writable with `impl` or any other: the
   * module of a machine of its own (a simulated node, and again each time it restarts; see
   * `onSeparateMachines`). `key` names the machine; its `Math.random` is seeded from the
   * requirement and the key, so a replay draws the same. Where the module was imported rather
   * than evaluated in a sandbox (benches, in-process tests), this is `impl` itself.
   */
  freshImpl(key: string): Impl;
  /** Base seed for anything random. The same seed replays the same run. */
  readonly seed: number;
  /** How many random schedules a randomised requirement should try. */
  readonly runs: number;
  /** A fresh simulated clock, starting at time 0. */
  simClock(): SimClock;
  /** A fresh scenario story. */
  scenario(setting: string): Scenario;
}

export interface Requirement<Impl> {
  /** Stable kebab-case id; shown in reports and used by `--only`. */
  readonly id: string;
  /** The requirement in plain words, as a learner would state it. */
  readonly title: string;
  readonly kind: RequirementKind;
  /** True when the check draws random schedules from `ctx.seed`. */
  readonly randomised?: boolean;
  check(ctx: GradeContext<Impl>): void | Promise<void>;
}

export interface Grader<Impl> {
  /** The names the learner's module must export, checked before any requirement runs. */
  readonly requiredExports: readonly string[];
  readonly requirements: readonly Requirement<Impl>[];
}

export function defineGrader<Impl>(grader: Grader<Impl>): Grader<Impl> {
  const ids = new Set<string>();
  for (const requirement of grader.requirements) {
    if (ids.has(requirement.id)) throw new Error(`duplicate requirement id "${requirement.id}"`);
    ids.add(requirement.id);
  }
  return grader;
}

/** What a learner reads when a requirement fails. */
export interface ScenarioReport {
  /** The setting, then each step that was taken, in order. */
  readonly steps: readonly string[];
  readonly expected: string;
  readonly actual: string;
  /** For runs on the simulator: the run drawn as a space-time diagram, one line each (checker/sim/trace-text.ts). */
  readonly diagram?: readonly string[];
  /** For runs on the simulator: the run's nodes and event log, which `trace` draws as a page. */
  readonly trace?: { readonly nodes: readonly number[]; readonly events: readonly object[] };
}

export class ScenarioFailure extends Error {
  constructor(readonly report: ScenarioReport) {
    super(`Expected ${report.expected}; actually ${report.actual}`);
    this.name = 'ScenarioFailure';
  }
}

/**
 * A grader and the engine may come from different bundles, each with its own copy of the
 * ScenarioFailure class, so failures are recognised by shape rather than by `instanceof`.
 */
export function isScenarioFailure(error: unknown): error is ScenarioFailure {
  return error instanceof Error && error.name === 'ScenarioFailure' && typeof (error as { report?: unknown }).report === 'object';
}

/**
 * A story being told while a check runs: `step` records what the grader did, `expect*` fails with
 * the story so far. Keep steps in the learner's terms: node ids, terms, milliseconds.
 */
export class Scenario {
  private readonly steps: string[];

  constructor(setting: string) {
    this.steps = [setting];
    signalStep(setting);
  }

  step(text: string): this {
    this.steps.push(text);
    signalStep(text);
    return this;
  }

  fail(expected: string, actual: string): never {
    throw new ScenarioFailure({ steps: [...this.steps], expected, actual });
  }

  /** Fails unless `condition` holds. `actual` is only computed on failure. */
  expect(condition: boolean, expected: string, actual: string | (() => string)): void {
    if (!condition) this.fail(expected, typeof actual === 'function' ? actual() : actual);
  }

  /** Fails unless `actual` deep-equals `wanted`; both are shown with `describe`. */
  expectEqual<T>(actual: T, wanted: T, what: string, describe: (value: T) => string = show): void {
    if (!deepEqual(actual, wanted)) this.fail(`${what} to be ${describe(wanted)}`, `it was ${describe(actual)}`);
  }

  get length(): number {
    return this.steps.length;
  }
}

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v));
  } catch {
    return String(value);
  }
}

/** Whether `show` renders the two the same (the grader's notion of equal values). */
export function sameShown(a: unknown, b: unknown): boolean {
  return shownAlike(a, b) ?? show(a) === show(b);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return sameShown(a, b);
}

/**
 * `show(a) === show(b)` decided without rendering, where that is cheap and certain; undefined
 * otherwise. JSON renders a string, a boolean and a finite number each in its own way, and two of
 * them the same exactly when they are the same type and `===` (0 and -0 both render "0"); a plain
 * array renders as its elements in order, so two plain arrays of such values render the same
 * when they have the same length and their elements pair up that way. Rendering (through
 * a replacer, for Maps and Sets) is what most checks of small values spend their time on.
 */
function shownAlike(a: unknown, b: unknown): boolean | undefined {
  const plain = primitiveAlike(a, b);
  if (plain !== undefined || !plainArray(a) || !plainArray(b)) return plain;
  if (a.length !== b.length) return undefined;
  // Every pair must be decidable: an element JSON cannot render (a BigInt) makes show() fall back
  // to String(), where arrays that differ may render alike.
  let same = true;
  for (let i = 0; i < a.length; i++) {
    const pair = primitiveAlike(a[i], b[i]);
    if (pair === undefined) return undefined;
    same &&= pair;
  }
  return same;
}

function primitiveAlike(a: unknown, b: unknown): boolean | undefined {
  const type = typeof a;
  if (type !== typeof b) return undefined;
  if (type === 'string' || type === 'boolean') return a === b;
  if (type === 'number' && Number.isFinite(a) && Number.isFinite(b)) return a === b;
  return undefined;
}

function plainArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && !Object.hasOwn(value, 'toJSON');
  } catch {
    return false; // a revoked proxy, say: left to show()
  }
}

/**
 * Runs a seeded fast-check property over random schedules. Each schedule is replayed from the
 * seed; on failure fast-check shrinks it to a minimal schedule, and the ScenarioFailure thrown by
 * that minimal run is rethrown with a note of how many schedules passed first.
 */
export async function checkSchedules<T>(
  ctx: GradeContext<unknown>,
  schedules: fc.Arbitrary<T>,
  runSchedule: (schedule: T) => void | Promise<void>,
  options: { runs?: number } = {},
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(schedules, async (schedule) => {
      await runSchedule(schedule);
    }),
    { seed: ctx.seed, numRuns: options.runs ?? ctx.runs, endOnFailure: false },
  );
  if (!details.failed) return;
  const error = details.errorInstance;
  if (isScenarioFailure(error)) {
    throw new ScenarioFailure({
      ...error.report,
      steps: [
        `Random schedule (${details.numRuns <= 1 ? 'the first one tried' : `after ${details.numRuns - 1} passing ones`}, shrunk to a smallest failing case):`,
        ...error.report.steps,
      ],
    });
  }
  throw error ?? new Error(`a random schedule failed: ${String(details.counterexample)}`);
}

/**
 * A simulator's `createNode` that builds every node, and every restart of one, from a fresh
 * evaluation of the learner's module (`ctx.freshImpl`): a module-level variable belongs to one
 * node, as on separate machines, and a restarted node is a new process that keeps only what it
 * persisted. Nodes then share nothing but the messages the simulator copies between them.
 */
export function onSeparateMachines<Impl, Env extends { readonly id: number }, Node>(
  ctx: Pick<GradeContext<Impl>, 'freshImpl'>,
  build: (impl: Impl, env: Env) => Node,
): (env: Env) => Node {
  const starts = new Map<number, number>();
  return (env) => {
    const start = starts.get(env.id) ?? 0;
    starts.set(env.id, start + 1);
    return build(ctx.freshImpl(`node ${env.id} start ${start}`), env);
  };
}

/**
 * A copy of what a grader hands to learner code (node ids, replica names, a generated history):
 * whatever the code does to it, the grader's own value, which its checks read again and a later
 * requirement may share, stays as it was. Plain data only (sim/copy.ts).
 */
export function handOver<T>(value: T): T {
  return copyData(value);
}

/**
 * Builds the context a requirement runs in. `freshImpl` evaluates the module again (the worker's
 * sandbox); without one, as for an imported module, it is `impl`.
 */
export function makeContext<Impl>(impl: Impl, seed: number, runs: number, freshImpl?: (key: string) => unknown): GradeContext<Impl> {
  return {
    impl,
    freshImpl: freshImpl ? (key) => freshImpl(key) as Impl : () => impl,
    seed,
    runs,
    simClock: () => createSimClock(0),
    scenario: (setting) => new Scenario(setting),
  };
}
