import { pathToFileURL } from 'node:url';
import { Boundary, BoundaryError, TRAPPED_GLOBALS } from './boundary.ts';
import { SUPPORT_MODULES } from './support-modules.ts';

/**
 * Evaluates a learner's bundle (CommonJS-shaped, from compile.ts) in a fresh SES Compartment of
 * its own. The realm was locked down before any of our code ran (realm.ts), so the built-ins the
 * learner shares with the grader are frozen and cannot be patched to change what the grader
 * computes. The compartment's global object holds the language's own built-ins and, beyond them,
 * only what the grader hands over:
 *   - `console`: captured and capped (output.ts);
 *   - `queueMicrotask`: ordering within one turn, no time of the machine;
 *   - `Math` whose `random` is seeded (from the run's seed and the requirement: requirementSeed), so a run replays;
 *   - `Date` that refuses the machine's time (`Date.now()`, `new Date()`), with the clock module
 *     (`#workbook/clock`) as the way to tell time;
 *   - traps for the host's names (boundary.ts), including a `process` whose only readable field is
 *     an empty `argv`.
 * No require, no import(), no fs, no timers, no channel to the parent.
 */

export interface GradedModuleOptions {
  /** The bundle's code. */
  readonly code: string;
  /** Where the bundle lives: stack frames name it, and its inline source map leads to the .ts. */
  readonly bundlePath: string;
  readonly seed: number;
  readonly console: Readonly<Record<string, (...args: unknown[]) => void>>;
  readonly boundary: Boundary;
}

/** A small, fast, seedable generator (mulberry32): learners' Math.random replays with the seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of the learner's `Math.random` while one requirement runs: from the run's seed and the
 * requirement's id alone (FNV-1a over the id, mixed with the seed), so a requirement draws the
 * same numbers whichever requirements ran before it, on whichever worker.
 */
export function requirementSeed(seed: number, requirementId: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < requirementId.length; i++) hash = Math.imul(hash ^ requirementId.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  return (hash ^ (hash >>> 16)) >>> 0;
}

function seededMath(shared: object, seed: number): object {
  const math = Object.create(Object.getPrototypeOf(shared) as object | null) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(shared)) {
    if (key !== 'random') Object.defineProperty(math, key, Object.getOwnPropertyDescriptor(shared, key)!);
  }
  Object.defineProperty(math, 'random', { value: seededRandom(seed), writable: false, enumerable: false, configurable: false });
  return harden(math);
}

/** Date for dates the code constructs from numbers; the machine's own time is out of reach. */
function guardedDate(shared: DateConstructor, boundary: Boundary): DateConstructor {
  const guarded: DateConstructor = new Proxy(shared, {
    get(target, key, receiver) {
      if (key === 'now') return () => boundary.violate('Date.now() (the machine clock; use the clock you are given)');
      return Reflect.get(target, key, receiver) as unknown;
    },
    apply: () => boundary.violate('Date() (the machine clock; use the clock you are given)'),
    construct(target, args, newTarget) {
      if (args.length === 0) boundary.violate('new Date() (the machine clock; use the clock you are given)');
      return Reflect.construct(target, args, newTarget === guarded ? target : newTarget) as object;
    },
  });
  return guarded;
}

function trapProcess(boundary: Boundary): object {
  const argv = harden([] as string[]);
  return new Proxy(harden({}), {
    get: (_target, key) => (key === 'argv' ? argv : boundary.violate(`process.${String(key)}`)),
    has: () => false,
    set: (_target, key) => boundary.violate(`process.${String(key)}`),
    defineProperty: (_target, key) => boundary.violate(`process.${String(key)}`),
  });
}

/** Evaluates the bundle and returns its exports. Throws what its top-level code throws. */
export function loadGradedModule(options: GradedModuleOptions): Record<string, unknown> {
  return prepareGradedModule(options).exports;
}

/** A graded file evaluated once, and the way to evaluate it again, as a machine of its own. */
export interface GradedModule {
  readonly exports: Record<string, unknown>;
  /**
   * A fresh evaluation of the same code: new module-level variables, its own `Math` seeded
   * `seed`, the same frozen realm. Throws what its top-level code throws.
   */
  again(seed: number): Record<string, unknown>;
}

/**
 * Evaluates the bundle (as `loadGradedModule`) and keeps its compiled factory: a simulated node
 * gets a module of its own by calling the factory again, which costs microseconds where a
 * Compartment costs milliseconds, and a cluster on the simulator starts thousands of nodes per
 * verdict. Calls of one factory share nothing writable: the bundle's module-level bindings live
 * in the call, `Math` is a parameter (seeded per call), and the compartment's global object is
 * frozen, as is every built-in and whatever the grader side puts on it.
 */
export function prepareGradedModule(options: GradedModuleOptions): GradedModule {
  const { boundary } = options;
  const compartment = new Compartment({
    globals: {
      console: harden({ ...options.console }),
      queueMicrotask: harden((task: () => void) => queueMicrotask(task)),
      // Frozen by lockdown like every built-in, but not among the globals SES gives a compartment.
      Float32Array,
      Float64Array,
    },
    __options__: true,
  });
  const global = compartment.globalThis as Record<string, unknown>;
  global.Math = seededMath(global.Math as object, options.seed);
  global.Date = guardedDate(global.Date as DateConstructor, boundary);
  Object.defineProperty(global, 'process', { value: trapProcess(boundary), writable: false, configurable: false });
  for (const name of TRAPPED_GLOBALS) {
    if (Object.prototype.hasOwnProperty.call(global, name)) continue;
    Object.defineProperty(global, name, { get: () => boundary.violate(name), set: () => boundary.violate(name), configurable: false });
  }
  // SES refuses source text that looks like import() or an HTML comment. Evading rewrites such text
  // (inside strings too, harmlessly) and turns a real import(x) into a call of this trap.
  Object.defineProperty(global, '__import__', { value: (specifier: unknown) => boundary.violate(`import(${JSON.stringify(String(specifier))})`) });
  // Fixed bindings: SES turns non-writable, non-configurable globals into plain constants of the
  // evaluated code, so `Math`, `Map` or `Array` in a hot loop are not looked up through its scope
  // proxy on every use (a loop over Math.max and new Map() ran 15 to 20 times slower without this).
  for (const name of Object.getOwnPropertyNames(global)) {
    const descriptor = Object.getOwnPropertyDescriptor(global, name)!;
    if (name !== 'eval' && 'value' in descriptor && descriptor.configurable) {
      Object.defineProperty(global, name, { value: descriptor.value, writable: false, enumerable: descriptor.enumerable, configurable: false });
    }
  }
  // No new globals either: a global is the one place two evaluations of the factory could meet.
  Object.freeze(global);
  const requireSupport = harden((specifier: string) => SUPPORT_MODULES[specifier] ?? boundary.violate(`require(${JSON.stringify(specifier)})`));
  const factory = compartment.evaluate(
    `(function (module, exports, __workbookSupport, Math) {${options.code}\n})\n//# sourceURL=${pathToFileURL(options.bundlePath).href}\n`,
    { __evadeHtmlCommentTest__: true, __evadeImportExpressionTest__: true, __rejectSomeDirectEvalExpressions__: false },
  ) as (module: { exports: object }, exports: object, support: (specifier: string) => unknown, math: object) => void;
  const evaluate = (math: object): Record<string, unknown> => {
    const module = { exports: {} as Record<string, unknown> };
    factory(module, module.exports, requireSupport, math);
    return module.exports;
  };
  // A node's Math is the compartment's with a `random` of its own: inheriting the rest costs a
  // few microseconds where copying Math's forty-odd properties (seededMath) cost forty.
  const nodeMath = (seed: number): object => harden(Object.create(global.Math as object, { random: { value: seededRandom(seed) } }) as object);
  return { exports: evaluate(global.Math as object), again: (seed) => evaluate(nodeMath(seed)) };
}

/** In the worker, before any graded code: what graded code gets from our side must be frozen too. */
export function hardenWhatGradedCodeReaches(): void {
  for (const module of Object.values(SUPPORT_MODULES)) harden(module);
  // Its instances are thrown at graded code, which reaches the class through `constructor`.
  harden(BoundaryError);
}
