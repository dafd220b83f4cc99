import fc from 'fast-check';
import { checkSchedules, sameShown, show, type GradeContext, type Scenario } from '../../engine/grader.ts';

/**
 * Random histories for state-based CRDTs, shared by the CRDT graders. A history is a list of
 * steps: a replica applies an operation, or one replica merges in another's state. The grader
 * keeps its own record of which operations each replica has seen (merging unions those sets), so
 * after every step it knows the one right value for that replica, whatever order the operations
 * arrived in and however often the same state was merged. That is the CRDT promise, checked as a
 * law rather than on an example: same operations seen, same value, and the right one.
 */

/** One operation applied somewhere in the history; `info` is what the spec recorded about it. */
export interface OpRecord<P> {
  readonly id: number;
  readonly replica: string;
  readonly payload: P;
  info: unknown;
}

export interface CrdtSpec<R, P, Env> {
  /** Replica names, in the order the history refers to them. */
  readonly replicas: readonly string[];
  readonly payload: fc.Arbitrary<P>;
  /** Fresh shared surroundings of one history (a clock, say). */
  env(ctx: GradeContext<unknown>): Env;
  create(env: Env, name: string): R;
  /**
   * Applies the operation; may fill `record.info` (a returned timestamp, the adds a remove saw).
   * `seen` is the replica's list as it stands; it grows afterwards, so keep a copy, not it.
   */
  apply(env: Env, replica: R, record: OpRecord<P>, seen: readonly OpRecord<P>[], s: Scenario): void;
  /** Step text, in the learner's terms: "usa increments by 3". Called just before `apply`. */
  describe(record: OpRecord<P>, replica: R, env: Env): string;
  /** The replica to keep in `into`'s place after it merges in `from`'s state. */
  merge(into: R, from: R): R;
  /** What is compared: a plain, normalised value. */
  observe(replica: R): unknown;
  /** The right value for a replica that has seen exactly these operations. */
  expected(seen: readonly OpRecord<P>[]): unknown;
  /**
   * Instead of comparing with `expected`: undefined when `observed` is right for these
   * operations, otherwise what was expected, in words (for values with more than one right
   * answer on a single replica, such as the order of concurrent inserts).
   */
  verify?(observed: unknown, seen: readonly OpRecord<P>[]): string | undefined;
  /** After every step: undefined when the replicas' observations are consistent with each other. */
  crossCheck?(observations: readonly unknown[]): string | undefined;
  /** What `observe` is, for messages: "value()", "elements()". */
  readonly observed: string;
}

export type Step<P> = { readonly kind: 'op'; readonly at: number; readonly payload: P } | { readonly kind: 'merge'; readonly from: number; readonly into: number };

export function historyArb<P>(spec: CrdtSpec<unknown, P, unknown>, maxLength = 24): fc.Arbitrary<Step<P>[]> {
  const n = spec.replicas.length;
  const index = fc.integer({ min: 0, max: n - 1 });
  const step: fc.Arbitrary<Step<P>> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('op' as const), at: index, payload: spec.payload }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('merge' as const), from: index, into: index }), weight: 2 },
  );
  // Mostly short histories (they shrink to readable stories), and now and then a long one, where
  // bugs that need many merges to show up (a counter that restarts, a clock that falls behind) do.
  return fc.oneof({ arbitrary: fc.array(step, { maxLength }), weight: 9 }, { arbitrary: fc.array(step, { minLength: 40, maxLength: 80 }), weight: 1 });
}

interface Run<R, P> {
  readonly replicas: R[];
  /** Per replica, 1 at the id of each operation it has seen (ids run from 1 to the number of operations). */
  readonly seen: Uint8Array[];
  readonly records: OpRecord<P>[];
  /**
   * seenRecords of each replica, kept until a merge brings it something new: filtering every
   * record on every step is quadratic in long histories, and these runs are replayed many times.
   */
  readonly seenCache: (OpRecord<P>[] | undefined)[];
}

function seenRecords<P>(run: Run<unknown, P>, i: number): OpRecord<P>[] {
  const seen = run.seen[i]!;
  return (run.seenCache[i] ??= run.records.filter((r) => seen[r.id] === 1));
}

/** Replica `into` has now seen everything `from` had. */
function absorb(run: Run<unknown, unknown>, into: number, from: number): void {
  const [source, target] = [run.seen[from]!, run.seen[into]!];
  let grew = false;
  for (let id = 1; id <= run.records.length; id++) {
    if (source[id] === 1 && target[id] !== 1) {
      target[id] = 1;
      grew = true;
    }
  }
  if (grew) run.seenCache[into] = undefined;
}


function expectRight<R, P, E>(spec: CrdtSpec<R, P, E>, s: Scenario, run: Run<R, P>, i: number, why: string): void {
  const got = spec.observe(run.replicas[i]!);
  const problem = verifyOne(spec, got, seenRecords(run, i));
  if (problem !== undefined) s.fail(`${spec.replicas[i]}'s ${spec.observed} to be ${problem} (${why})`, `it was ${show(got)}`);
}

function verifyOne<R, P, E>(spec: CrdtSpec<R, P, E>, got: unknown, seen: readonly OpRecord<P>[]): string | undefined {
  if (spec.verify) return spec.verify(got, seen);
  const want = spec.expected(seen);
  return sameShown(got, want) ? undefined : show(want);
}

function crossCheck<R, P, E>(spec: CrdtSpec<R, P, E>, s: Scenario, run: Run<R, P>): void {
  if (!spec.crossCheck) return;
  const problem = spec.crossCheck(run.replicas.map((r) => spec.observe(r)));
  if (problem !== undefined) s.fail(`the replicas' ${spec.observed} to agree where they overlap`, problem);
}

/**
 * Plays a history, checking after every step the replicas it touched (`check`), telling each step
 * to the scenario (`narrate`). A silent replay (neither) only rebuilds the states: the same history
 * was told and played already, so describing its steps again would be work nobody reads.
 */
export function playHistory<R, P, E>(spec: CrdtSpec<R, P, E>, env: E, s: Scenario, steps: readonly Step<P>[], check = true, narrate = true): Run<R, P> {
  const operations = steps.reduce((n, step) => (step.kind === 'op' ? n + 1 : n), 0);
  const run: Run<R, P> = {
    replicas: spec.replicas.map((name) => spec.create(env, name)),
    seen: spec.replicas.map(() => new Uint8Array(operations + 1)),
    records: [],
    seenCache: spec.replicas.map(() => []),
  };
  for (const step of steps) {
    if (step.kind === 'op') {
      const record: OpRecord<P> = { id: run.records.length + 1, replica: spec.replicas[step.at]!, payload: step.payload, info: undefined };
      const before = seenRecords(run, step.at);
      if (narrate) s.step(spec.describe(record, run.replicas[step.at]!, env));
      spec.apply(env, run.replicas[step.at]!, record, before, s);
      run.records.push(record);
      run.seen[step.at]![record.id] = 1;
      // The newest record has the largest id, so it goes last, as the filter would put it.
      before.push(record);
      if (check) expectRight(spec, s, run, step.at, 'every operation it has seen, its own just now included');
    } else {
      const [from, into] = [step.from, step.into];
      if (narrate) s.step(from === into ? `${spec.replicas[into]} merges in its own state` : `${spec.replicas[into]} merges in the state of ${spec.replicas[from]}`);
      run.replicas[into] = spec.merge(run.replicas[into]!, run.replicas[from]!);
      absorb(run, into, from);
      if (check) {
        expectRight(spec, s, run, into, 'exactly the operations the two states had seen between them');
        if (from !== into) expectRight(spec, s, run, from, 'merging into another replica leaves the source unchanged');
      }
    }
    if (check) crossCheck(spec, s, run);
  }
  return run;
}

function describeMergeOrder(names: readonly string[], order: readonly number[]): string {
  return order.map((i) => names[i]).join(', ');
}

/**
 * Random histories, then every replica exchanges state with every other (in a random order, some
 * pairs twice): all replicas must agree, on the value of all operations.
 */
export function convergesRequirement<R, P, E>(spec: CrdtSpec<R, P, E>) {
  const n = spec.replicas.length;
  const arb = fc.record({
    steps: historyArb(spec as CrdtSpec<unknown, P, unknown>),
    order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    again: fc.integer({ min: 0, max: n - 1 }),
  });
  return (ctx: GradeContext<unknown>) =>
    checkSchedules(ctx, arb, ({ steps, order, again }) => {
      const s = ctx.scenario(`replicas ${spec.replicas.join(', ')}, all empty`);
      const env = spec.env(ctx);
      const run = playHistory(spec, env, s, steps);
      const [hub, ...rest] = order as number[];
      s.step(`anti-entropy: ${spec.replicas[hub!]} merges in ${describeMergeOrder(spec.replicas, rest)} (then ${spec.replicas[again]} once more), then each of them merges in ${spec.replicas[hub!]}'s state`);
      for (const i of [...rest, again]) {
        run.replicas[hub!] = spec.merge(run.replicas[hub!]!, run.replicas[i]!);
        absorb(run, hub!, i);
      }
      for (const i of rest) {
        run.replicas[i] = spec.merge(run.replicas[i]!, run.replicas[hub!]!);
        absorb(run, i, hub!);
      }
      const first = spec.observe(run.replicas[0]!);
      for (let i = 1; i < n; i++) {
        const got = spec.observe(run.replicas[i]!);
        if (!sameShown(got, first)) s.fail(`every replica's ${spec.observed} to be the same`, `${spec.replicas[0]}'s was ${show(first)}, ${spec.replicas[i]}'s ${show(got)}`);
      }
      const problem = verifyOne(spec, first, run.records);
      if (problem !== undefined) s.fail(`every replica's ${spec.observed} to be ${problem}, the value of all ${run.records.length} operations`, `it was ${show(first)}`);
    });
}

/** Which of the spec's replicas a law or check picks. */
const replicaIndex = (spec: { readonly replicas: readonly string[] }) =>
  fc.integer({ min: 0, max: spec.replicas.length - 1 });

/**
 * Merge laws on states reached by random histories. Each side of a law is computed on fresh
 * replays of the same history, so the laws hold for a merge that changes its receiver in place
 * (the LWW-Register's does, by its stub); mergeLeavesInputsRequirement is for the specs whose
 * stubs promise a merge that leaves its inputs alone.
 */
export function mergeLawsRequirement<R, P, E>(spec: CrdtSpec<R, P, E>) {
  const replica = replicaIndex(spec);
  const arb = fc.record({ steps: historyArb(spec as CrdtSpec<unknown, P, unknown>), a: replica, b: replica, c: replica });
  return (ctx: GradeContext<unknown>) =>
    checkSchedules(ctx, arb, ({ steps, a, b, c }) => {
      const s = ctx.scenario(`replicas ${spec.replicas.join(', ')}, all empty`);
      // Every side of every law needs its own copies of the states (a merge may change its
      // receiver). Each replay of the history yields one copy of every replica; a copy is handed
      // out once, so a replay serves several roles and few replays are needed. The told run is
      // the first of them; the others are silent (its story already says what they replay).
      const story = playHistory(spec, spec.env(ctx), s, steps, false);
      const pool: { replicas: R[]; used: Set<number> }[] = [{ replicas: [...story.replicas], used: new Set() }];
      const take = (i: number): R => {
        let entry = pool.find((p) => !p.used.has(i));
        if (!entry) {
          entry = { replicas: playHistory(spec, spec.env(ctx), ctx.scenario('replay'), steps, false, false).replicas, used: new Set() };
          pool.push(entry);
        }
        entry.used.add(i);
        return entry.replicas[i]!;
      };
      const [A, B, C] = [spec.replicas[a]!, spec.replicas[b]!, spec.replicas[c]!];
      const compare = (law: string, left: unknown, right: unknown, leftText: string, rightText: string) => {
        if (!sameShown(left, right)) s.fail(`${law}: ${leftText} and ${rightText} to have the same ${spec.observed}`, `${leftText} gives ${show(left)}, ${rightText} gives ${show(right)}`);
      };
      const m = (x: R, y: R) => spec.merge(x, y);
      s.step(`a, b and c are the states now held by ${A}, ${B} and ${C} (each side of each law uses fresh copies); "a ⊔ b" is a merged with b`);
      compare('commutative', spec.observe(m(take(a), take(b))), spec.observe(m(take(b), take(a))), 'a ⊔ b', 'b ⊔ a');
      compare('idempotent', spec.observe(m(take(a), take(a))), spec.observe(take(a)), 'a ⊔ a', 'a');
      const ab = m(take(a), take(b));
      compare('idempotent', spec.observe(m(ab, take(b))), spec.observe(m(take(a), take(b))), '(a ⊔ b) ⊔ b', 'a ⊔ b');
      const left = m(m(take(a), take(b)), take(c));
      const right = m(take(a), m(take(b), take(c)));
      compare('associative', spec.observe(left), spec.observe(right), '(a ⊔ b) ⊔ c', 'a ⊔ (b ⊔ c)');
      // Laws alone are met by a merge that does nothing useful; the merged value must also be right.
      const [seenA, seenB, seenC] = [story.seen[a]!, story.seen[b]!, story.seen[c]!];
      const problem = verifyOne(spec, spec.observe(left), story.records.filter((r) => seenA[r.id] === 1 || seenB[r.id] === 1 || seenC[r.id] === 1));
      if (problem !== undefined) s.fail(`(a ⊔ b) ⊔ c to have the ${spec.observed} of every operation the three states had seen: ${problem}`, `it has ${show(spec.observe(left))}`);
    });
}

/** Numbers 1 to 5: the amounts used by counter histories. */
export const smallAmount = fc.integer({ min: 1, max: 5 });

/**
 * The stubs promise a merge that returns a new state and leaves both inputs as they were. The
 * history requirements cannot see a merge that changes its receiver (the receiver is replaced by
 * the result), nor a result that shares a map or set with an input (the two are never used
 * apart). So: a merge whose result is thrown away must change neither input; operations on a
 * kept result must not reach either input; operations on an input must not reach the result.
 * The operations run against fresh surroundings: the result is a fork of the receiver's replica,
 * and a fork may hand out the receiver's next tag again without anyone merging the two.
 */
export function mergeLeavesInputsRequirement<R, P, E>(spec: CrdtSpec<R, P, E>) {
  const replica = replicaIndex(spec);
  const arb = fc.record({
    steps: historyArb(spec as CrdtSpec<unknown, P, unknown>),
    a: replica,
    b: replica,
    ops: fc.array(spec.payload, { minLength: 1, maxLength: 3 }),
  });
  return (ctx: GradeContext<unknown>) =>
    checkSchedules(ctx, arb, ({ steps, a, b, ops }) => {
      const s = ctx.scenario(`replicas ${spec.replicas.join(', ')}, all empty`);
      const run = playHistory(spec, spec.env(ctx), s, steps, false);
      const [A, B] = [spec.replicas[a]!, spec.replicas[b]!];
      const [x, y] = [run.replicas[a]!, run.replicas[b]!];
      const seen = (...of: number[]) => run.records.filter((r) => of.some((i) => run.seen[i]![r.id] === 1));
      let nextId = run.records.length;
      const play = (env: E, replica: R, name: string, seenBy: OpRecord<P>[]) => {
        for (const payload of ops) {
          const record: OpRecord<P> = { id: ++nextId, replica: name, payload, info: undefined };
          s.step(`  ${spec.describe(record, replica, env)}`);
          spec.apply(env, replica, record, seenBy, s);
          seenBy.push(record);
        }
      };
      const unchanged = (replica: R, before: unknown, what: string, after: string) => {
        const now = spec.observe(replica);
        if (!sameShown(now, before)) s.fail(`${what}'s ${spec.observed} to stay ${show(before)} ${after}`, `it became ${show(now)}`);
      };
      const [beforeX, beforeY] = [spec.observe(x), spec.observe(y)];
      s.step(`${A} ⊔ ${B} is computed and its result thrown away`);
      spec.merge(x, y);
      unchanged(x, beforeX, A, `(a merge leaves its inputs as they were)`);
      unchanged(y, beforeY, B, `(a merge leaves its inputs as they were)`);
      s.step(`merged = ${A} ⊔ ${B}; the merged state (still ${A}'s replica) then does:`);
      const merged = spec.merge(x, y);
      play(spec.env(ctx), merged, A, seen(a, b));
      unchanged(x, beforeX, A, 'after operations on the merged state (it must share nothing with its inputs)');
      unchanged(y, beforeY, B, 'after operations on the merged state (it must share nothing with its inputs)');
      if (a === b) return;
      const mergedNow = spec.observe(merged);
      s.step(`then ${B} itself does:`);
      play(spec.env(ctx), y, B, seen(b));
      unchanged(merged, mergedNow, 'the merged state', `after operations on ${B} (it must share nothing with its inputs)`);
    });
}
