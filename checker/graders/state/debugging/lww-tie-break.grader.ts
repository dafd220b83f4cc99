import fc from 'fast-check';
import type * as Impl from '../../../../solutions/state/debugging/lww-tie-break.ts';
import type { Clock } from '#workbook/clock';
import { defineGrader, checkSchedules, type Scenario } from '../../../engine/grader.ts';

type Mod = typeof Impl;
type Register = Impl.LWWRegister<string>;

/** A clock that reads whatever the grader last set: the register only asks it for now(). */
function handClock(): Clock & { at: number } {
  const noTimers = (): never => {
    throw new Error('the register should only read the time (clock.now()), not set timers');
  };
  const clock = { at: 1, now: () => clock.at, setTimeout: noTimers, clearTimeout: noTimers, setInterval: noTimers, clearInterval: noTimers, sleep: noTimers };
  return clock;
}

interface Replica {
  readonly id: string;
  readonly register: Register;
  readonly clock: ReturnType<typeof handClock>;
}

const shown = (v: string | undefined): string => (v === undefined ? 'nothing' : `"${v}"`);

function replicas(ctx: { impl: Mod }, ids: readonly string[]): Replica[] {
  return ids.map((id) => {
    const clock = handClock();
    return { id, clock, register: new ctx.impl.LWWRegister<string>(id, clock) };
  });
}

function write(s: Scenario, r: Replica, value: string, at: number): void {
  s.step(`${r.id} writes "${value}" at t=${at}`);
  r.clock.at = at;
  r.register.set(value);
}

function merge(s: Scenario, into: Replica, from: Replica): void {
  s.step(`${into.id} merges ${from.id}'s state`);
  into.register.merge(from.register);
}

/** A write as the model sees it: the winner among writes is the largest (timestamp, writer). */
interface Write {
  readonly value: string;
  readonly at: number;
  readonly writer: string;
}
const beats = (a: Write, b: Write): boolean => a.at > b.at || (a.at === b.at && a.writer > b.writer);
const winner = (writes: Iterable<Write>): Write | undefined => {
  let best: Write | undefined;
  for (const w of writes) if (best === undefined || beats(w, best)) best = w;
  return best;
};

type Op = { readonly kind: 'write'; readonly replica: number; readonly bump: number } | { readonly kind: 'merge'; readonly into: number; readonly from: number };
const opArb = (n: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('write' as const), replica: fc.nat(n - 1), bump: fc.constantFrom(0, 0, 0, 1, 2) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('merge' as const), into: fc.nat(n - 1), from: fc.nat(n - 1) }) },
  );
const historyArb = fc
  .shuffledSubarray(['a', 'b', 'c', 'd', 'phone', 'laptop', 'tablet'], { minLength: 2, maxLength: 4 })
  .chain((ids) => fc.record({ ids: fc.constant(ids), ops: fc.array(opArb(ids.length), { minLength: 1, maxLength: 30 }) }));

/**
 * Plays a history against the learner's registers and a model of what each replica has heard of.
 * A replica writes at a time later than every write it has heard of (its clock is never behind
 * what it has seen), and `bump` 0 lets two replicas that have not heard of each other write at
 * the same instant, which is where ties come from.
 */
function play(ctx: { impl: Mod; scenario: (setting: string) => Scenario }, ids: readonly string[], ops: readonly Op[], check?: (s: Scenario, rs: Replica[], heard: Set<Write>[]) => void): { s: Scenario; rs: Replica[] } {
  const s = ctx.scenario(`LWW-Register replicas ${ids.map((id) => `"${id}"`).join(', ')}`);
  const rs = replicas(ctx, ids);
  const heard = ids.map(() => new Set<Write>());
  let n = 0;
  for (const op of ops) {
    if (op.kind === 'write') {
      const r = rs[op.replica]!;
      const latest = Math.max(0, ...[...heard[op.replica]!].map((w) => w.at));
      const w: Write = { value: `v${++n}`, at: latest + 1 + op.bump, writer: r.id };
      write(s, r, w.value, w.at);
      heard[op.replica]!.add(w);
    } else {
      if (op.into === op.from) continue;
      merge(s, rs[op.into]!, rs[op.from]!);
      for (const w of heard[op.from]!) heard[op.into]!.add(w);
    }
    check?.(s, rs, heard);
  }
  return { s, rs };
}

export default defineGrader<Mod>({
  requiredExports: ['LWWRegister'],
  requirements: [
    {
      id: 'tie-same-winner-everywhere',
      title: 'Devices that heard of the same two same-millisecond writes show the same value, whatever order they synced in',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('LWW-Register on 3 devices: "phone", "laptop", "tablet"');
        const [phone, laptop, tablet] = replicas(ctx, ['phone', 'laptop', 'tablet']) as [Replica, Replica, Replica];
        write(s, phone, 'mobile@', 1000);
        write(s, laptop, 'laptop@', 1000);
        merge(s, tablet, laptop);
        merge(s, tablet, phone);
        merge(s, laptop, phone);
        merge(s, phone, laptop);
        const values = [phone, laptop, tablet].map((r) => r.register.get());
        s.expect(values.every((v) => v === 'mobile@'),
          'all three to show "mobile@": same timestamp, and writer "phone" is larger than writer "laptop"',
          () => `phone shows ${shown(values[0])}, laptop ${shown(values[1])}, tablet ${shown(values[2])}`);
      },
    },
    {
      id: 'tie-goes-to-larger-writer',
      title: 'On equal timestamps the write of the larger writer id wins on every replica, whichever arrives first',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('LWW-Register replicas "a", "b", "m", "z"');
        const [a, b, m, z] = replicas(ctx, ['a', 'b', 'm', 'z']) as [Replica, Replica, Replica, Replica];
        write(s, a, 'from-a', 500);
        write(s, b, 'from-b', 500);
        merge(s, z, a);
        merge(s, z, b);
        merge(s, m, b);
        merge(s, m, a);
        merge(s, a, m);
        const values = [a, b, m, z].map((r) => r.register.get());
        s.expect(values.every((v) => v === 'from-b'),
          'every replica to show "from-b": t=500 on both, and writer "b" beats writer "a"',
          () => `a shows ${shown(values[0])}, b ${shown(values[1])}, m ${shown(values[2])}, z ${shown(values[3])}`);
      },
    },
    {
      id: 'later-write-replaces',
      title: 'A later write replaces the value on every replica it reaches, whatever the writer and holder ids',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('LWW-Register replicas "a", "b", "z"');
        const [a, b, z] = replicas(ctx, ['a', 'b', 'z']) as [Replica, Replica, Replica];
        write(s, z, 'old', 100);
        merge(s, a, z);
        merge(s, b, z);
        write(s, a, 'new', 200);
        merge(s, z, a);
        merge(s, b, z);
        const values = [a, b, z].map((r) => r.register.get());
        s.expect(values.every((v) => v === 'new'),
          'every replica to show "new" (t=200 beats t=100, even though writer "a" is smaller than "z")',
          () => `a shows ${shown(values[0])}, b ${shown(values[1])}, z ${shown(values[2])}`);
        s.expect(a.register.getTimestamp() === 200 && z.register.getTimestamp() === 200, 'their timestamps to be 200',
          () => `a has ${a.register.getTimestamp()}, z has ${z.register.getTimestamp()}`);
      },
    },
    {
      id: 'empty-merge-keeps-value',
      title: 'Merging a replica that has not written anything changes nothing, and merging twice is the same as once',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('LWW-Register replicas "a", "z"');
        const [a, z] = replicas(ctx, ['a', 'z']) as [Replica, Replica];
        write(s, a, 'only', 10);
        merge(s, a, z);
        s.expect(a.register.get() === 'only', 'a to still show "only"', () => `it shows ${shown(a.register.get())}`);
        merge(s, z, a);
        merge(s, z, a);
        merge(s, a, a);
        s.expect(z.register.get() === 'only' && a.register.get() === 'only', 'both to show "only"',
          () => `a shows ${shown(a.register.get())}, z ${shown(z.register.get())}`);
      },
    },
    {
      // A clock can read 0 (simulated clocks start there): a write made then is still a write that a
      // replica which has heard of nothing else must show, whatever its writer id.
      id: 'write-at-time-zero-travels',
      title: 'A write made when the clock reads 0 reaches a replica that has not written, whatever the writer id',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('LWW-Register replicas "A1", "laptop", "tablet", "z"');
        const [a1, laptop, tablet, z] = replicas(ctx, ['A1', 'laptop', 'tablet', 'z']) as [Replica, Replica, Replica, Replica];
        write(s, a1, 'first', 0);
        write(s, laptop, 'second', 0);
        merge(s, tablet, a1);
        merge(s, z, laptop);
        s.expect(tablet.register.get() === 'first', 'tablet to show "first": the only write it has heard of',
          () => `it shows ${shown(tablet.register.get())}`);
        s.expect(z.register.get() === 'second', 'z to show "second": the only write it has heard of',
          () => `it shows ${shown(z.register.get())}`);
      },
    },
    {
      id: 'random-histories-converge',
      title: 'Under random writes (with ties) and merges, every replica always shows the winning write among those it has heard of',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, historyArb, ({ ids, ops }) => {
          play(ctx, ids, ops, (s, rs, heard) => {
            rs.forEach((r, i) => {
              const best = winner(heard[i]!);
              const got = r.register.get();
              s.expect(got === best?.value,
                `${r.id} to show ${best ? `"${best.value}" (t=${best.at}, written by ${best.writer})` : 'nothing'}: the largest timestamp it has heard of, ties to the larger writer id`,
                () => `it shows ${shown(got)}`);
            });
          });
        }),
    },
    {
      id: 'random-full-sync-agrees',
      title: 'After random histories and a full round of syncs in any order, all replicas agree',
      kind: 'liveness',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, historyArb.chain((h) => fc.record({ h: fc.constant(h), order: fc.array(fc.tuple(fc.nat(h.ids.length - 1), fc.nat(h.ids.length - 1)), { maxLength: 12 }) })), ({ h, order }) => {
          const { s, rs } = play(ctx, h.ids, h.ops);
          for (const [i, j] of order) if (i !== j) merge(s, rs[i]!, rs[j]!);
          s.step('Every replica merges every other one, in turn, twice over');
          for (let round = 0; round < 2; round++) for (const into of rs) for (const from of rs) if (into !== from) into.register.merge(from.register);
          const values = rs.map((r) => r.register.get());
          s.expect(values.every((v) => v === values[0]), 'every replica to show the same value',
            () => rs.map((r, i) => `${r.id} shows ${shown(values[i])}`).join(', '));
        }),
    },
  ],
});
