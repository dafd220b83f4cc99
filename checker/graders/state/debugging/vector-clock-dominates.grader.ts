import fc from 'fast-check';
import type * as Impl from '../../../../solutions/state/debugging/vector-clock-dominates.ts';
import { defineGrader, checkSchedules, type Scenario } from '../../../engine/grader.ts';

type Mod = typeof Impl;
type Clock = Impl.VectorClock;
type Replica = Impl.Replica<string>;

const showClock = (c: Clock): string => `{${Object.entries(c).map(([n, v]) => `${n}:${v}`).join(', ')}}`;
const values = (r: Replica): string[] => r.read().map((v) => v.value).sort();
const showValues = (vs: readonly string[]): string => (vs.length === 0 ? 'nothing' : vs.map((v) => `"${v}"`).join(', '));
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** The reference order, over every node either clock names. */
function order(a: Clock, b: Clock): Impl.Order {
  const nodes = new Set([...Object.keys(a), ...Object.keys(b)]);
  let ahead = false, behind = false;
  for (const n of nodes) {
    const x = a[n] ?? 0, y = b[n] ?? 0;
    if (x > y) ahead = true;
    if (x < y) behind = true;
  }
  return ahead && behind ? 'concurrent' : ahead ? 'after' : behind ? 'before' : 'equal';
}

/** Sparse clocks over a few nodes; zeros are sometimes written out, sometimes left out. */
const clockArb: fc.Arbitrary<Clock> = fc
  .dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(3), { maxKeys: 4 })
  .map((c) => Object.fromEntries(Object.entries(c)));

function send(s: Scenario, from: Replica, to: Replica): void {
  s.step(`${to.replicaId} receives ${from.replicaId}'s versions (${from.read().map((v) => `"${v.value}" ${showClock(v.clock)}`).join(', ') || 'none'})`);
  to.receive(from.read());
}
function write(s: Scenario, r: Replica, value: string): void {
  s.step(`${r.replicaId} writes "${value}"`);
  r.write(value);
}

type Op = { readonly kind: 'write'; readonly replica: number } | { readonly kind: 'send'; readonly from: number; readonly to: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), replica: fc.nat(2) }),
  fc.record({ kind: fc.constant('send' as const), from: fc.nat(2), to: fc.nat(2) }),
);

export default defineGrader<Mod>({
  requiredExports: ['Replica', 'dominates', 'compare'],
  requirements: [
    {
      id: 'concurrent-kept-as-siblings',
      title: 'Two writes that did not see each other are both kept, as siblings, on both replicas',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Cart replicas "eu" and "us"');
        const eu = new ctx.impl.Replica<string>('eu');
        const us = new ctx.impl.Replica<string>('us');
        write(s, eu, 'book');
        send(s, eu, us);
        write(s, eu, 'book, lamp');
        write(s, eu, 'book, lamp, pen');
        write(s, us, 'book, mug');
        const fromEu = eu.read();
        const fromUs = us.read();
        s.step('the two sites exchange versions');
        eu.receive(fromUs);
        us.receive(fromEu);
        const want = ['book, lamp, pen', 'book, mug'];
        s.expect(sameSet(values(eu), want) && sameSet(values(us), want), `both to hold the siblings ${showValues(want)}`,
          () => `eu holds ${showValues(values(eu))}, us holds ${showValues(values(us))}`);
      },
    },
    {
      id: 'order-of-sparse-clocks',
      title: 'dominates and compare treat a node missing from a clock as 0, on either side',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Comparing sparse vector clocks');
        const cases: [Clock, Clock, Impl.Order][] = [
          [{ eu: 3 }, { eu: 1, us: 1 }, 'concurrent'],
          [{ eu: 1, us: 1 }, { eu: 3 }, 'concurrent'],
          [{ eu: 1 }, { eu: 1, us: 2 }, 'before'],
          [{ eu: 1, us: 2 }, { eu: 1 }, 'after'],
          [{ eu: 2, us: 0 }, { eu: 2 }, 'equal'],
          [{}, { us: 1 }, 'before'],
        ];
        for (const [a, b, want] of cases) {
          s.step(`compare(${showClock(a)}, ${showClock(b)})`);
          const got = ctx.impl.compare(a, b);
          s.expect(got === want, `"${want}"`, () => `"${got}"`);
          s.expect(ctx.impl.dominates(a, b) === (want === 'after'), `dominates to say ${want === 'after'}`, () => `it says ${!(want === 'after')}`);
        }
      },
    },
    {
      id: 'random-clock-laws',
      title: 'For random clocks, compare matches the definition, is antisymmetric, and no clock dominates itself',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.tuple(clockArb, clockArb), ([a, b]) => {
          const s = ctx.scenario(`Clocks a = ${showClock(a)}, b = ${showClock(b)}`);
          const want = order(a, b);
          const ab = ctx.impl.compare(a, b), ba = ctx.impl.compare(b, a);
          s.expect(ab === want, `compare(a, b) to be "${want}"`, () => `it was "${ab}"`);
          const mirror = { after: 'before', before: 'after', equal: 'equal', concurrent: 'concurrent' }[want];
          s.expect(ba === mirror, `compare(b, a) to be "${mirror}"`, () => `it was "${ba}"`);
          s.expect(ctx.impl.dominates(a, b) === (want === 'after'), `dominates(a, b) to be ${want === 'after'}`, () => `it was ${!(want === 'after')}`);
          s.expect(!ctx.impl.dominates(a, a), 'dominates(a, a) to be false (a clock is not ahead of itself)', 'it was true');
        }),
    },
    {
      id: 'newer-version-replaces',
      title: 'A version that has seen the siblings replaces them, on the replica that wrote it and on those it reaches',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Cart replicas "eu" and "us"');
        const eu = new ctx.impl.Replica<string>('eu');
        const us = new ctx.impl.Replica<string>('us');
        write(s, eu, 'lamp');
        write(s, us, 'mug');
        send(s, us, eu);
        s.expect(values(eu).length === 2, 'eu to hold 2 siblings', () => `it holds ${showValues(values(eu))}`);
        write(s, eu, 'lamp, mug');
        s.expect(sameSet(values(eu), ['lamp, mug']), 'eu to hold only "lamp, mug" (it saw both siblings)', () => `it holds ${showValues(values(eu))}`);
        send(s, eu, us);
        s.expect(sameSet(values(us), ['lamp, mug']), 'us to hold only "lamp, mug": it supersedes "mug"', () => `it holds ${showValues(values(us))}`);
        send(s, eu, us);
        s.expect(sameSet(values(us), ['lamp, mug']), 'receiving the same version again to change nothing', () => `us holds ${showValues(values(us))}`);
      },
    },
    {
      id: 'random-histories-keep-frontier',
      title: 'Under random writes and exchanges, every replica holds exactly the writes it heard of that no other write it heard of has seen',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => {
          const ids = ['r0', 'r1', 'r2'];
          const s = ctx.scenario('Replicas "r0", "r1", "r2", each writing its own versions');
          const rs = ids.map((id) => new ctx.impl.Replica<string>(id));
          // The model: every write, what it had seen when it was made, and what each replica has heard of.
          const seen = new Map<string, Set<string>>();
          const heard = ids.map(() => new Set<string>());
          let n = 0;
          for (const op of ops) {
            if (op.kind === 'write') {
              const value = `w${++n}`;
              seen.set(value, new Set(heard[op.replica]));
              heard[op.replica]!.add(value);
              write(s, rs[op.replica]!, value);
            } else {
              if (op.from === op.to) continue;
              send(s, rs[op.from]!, rs[op.to]!);
              for (const w of heard[op.from]!) heard[op.to]!.add(w);
            }
            rs.forEach((r, i) => {
              const known = [...heard[i]!];
              const frontier = known.filter((w) => !known.some((other) => seen.get(other)!.has(w)));
              const got = values(r);
              s.expect(sameSet(got, frontier), `${r.replicaId} to hold ${showValues(frontier.sort())}`, () => `it holds ${showValues(got)}`);
            });
          }
        }),
    },
  ],
});
