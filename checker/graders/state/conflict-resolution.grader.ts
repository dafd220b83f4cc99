import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/conflict-resolution.ts';
import { checkSchedules, defineGrader, show, handOver } from '../../engine/grader.ts';

type Module = typeof Impl;
type Clock = Record<string, number>;
const nodes = ['alice', 'bob', 'carol'] as const;

const entry = (c: Clock, n: string) => c[n] ?? 0;
const keysOf = (a: Clock, b: Clock) => [...new Set([...Object.keys(a), ...Object.keys(b)])];
const dominates = (a: Clock, b: Clock) => keysOf(a, b).every((n) => entry(a, n) >= entry(b, n)) && keysOf(a, b).some((n) => entry(a, n) > entry(b, n));
/** Without zero entries and in a fixed key order, so {a: 1, b: 0} and {a: 1} read the same. */
const normal = (c: unknown): string =>
  c && typeof c === 'object'
    ? show(Object.fromEntries(Object.entries(c as Clock).filter(([, v]) => v !== 0).sort(([x], [y]) => x.localeCompare(y))))
    : show(c);
const clockText = (c: Clock) => `{${Object.entries(c).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;

function reference(first: { value: string; clock: Clock }, second: { value: string; clock: Clock }) {
  const merged = Object.fromEntries(keysOf(first.clock, second.clock).map((n) => [n, Math.max(entry(first.clock, n), entry(second.clock, n))]));
  if (dominates(first.clock, second.clock)) return { outcome: 'first-dominates', values: [first.value], clock: first.clock };
  if (dominates(second.clock, first.clock)) return { outcome: 'second-dominates', values: [second.value], clock: second.clock };
  if (keysOf(first.clock, second.clock).every((n) => entry(first.clock, n) === entry(second.clock, n))) return { outcome: 'equal', values: [first.value], clock: merged };
  return { outcome: 'concurrent', values: [first.value, second.value], clock: merged };
}

/** Sparse clocks over three nodes: a node may be missing, which means 0. */
const clockArb: fc.Arbitrary<Clock> = fc.dictionary(fc.constantFrom(...nodes), fc.integer({ min: 0, max: 3 }), { maxKeys: 3 });

export default defineGrader<Module>({
  requiredExports: ['LastWriterWinsResolver', 'VectorClockResolver'],
  requirements: [
    {
      id: 'lww-later-timestamp',
      title: 'Last writer wins: the larger timestamp wins whichever side it is on, compared as numbers (10 beats 9)',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const r = new impl.LastWriterWinsResolver();
        const cases: [number, string, number, string][] = [
          [1000, 'alice', 1001, 'bob'], [1001, 'alice', 1000, 'bob'], [9, 'carol', 10, 'alice'], [10, 'alice', 9, 'carol'], [99, 'bob', 100, 'alice'],
        ];
        for (const [t1, n1, t2, n2] of cases) {
          const s = scenario(`cart A = ["laptop", "mouse"] written by ${n1} at ${t1}; cart B = ["keyboard"] written by ${n2} at ${t2}`);
          s.step('resolveConflict(A, B)');
          const got = r.resolveConflict({ value: 'A', timestamp: t1, nodeId: n1 }, { value: 'B', timestamp: t2, nodeId: n2 });
          s.expectEqual(got, { value: t1 > t2 ? 'A' : 'B', reason: 'timestamp-winner' }, 'the resolution');
        }
      },
    },
    {
      id: 'lww-writer-breaks-ties',
      title: 'Last writer wins: equal timestamps go to the larger node id, whichever side it is on',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const r = new impl.LastWriterWinsResolver();
        for (const [n1, n2] of [['alice', 'bob'], ['bob', 'alice'], ['carol', 'bob'], ['bob', 'carol']]) {
          const s = scenario(`write A by ${n1} and write B by ${n2}, both at timestamp 1000`);
          s.step('resolveConflict(A, B)');
          const got = r.resolveConflict({ value: 'A', timestamp: 1000, nodeId: n1! }, { value: 'B', timestamp: 1000, nodeId: n2! });
          s.expectEqual(got, { value: n1! > n2! ? 'A' : 'B', reason: 'node-id-tiebreaker' }, 'the resolution');
        }
      },
    },
    {
      id: 'lww-symmetric',
      title: 'Last writer wins on random pairs of writes: the same winner in either argument order, the one with the largest (timestamp, node id)',
      kind: 'safety',
      randomised: true,
      check: (ctx) => {
        const write = fc.record({ timestamp: fc.integer({ min: 8, max: 11 }), nodeId: fc.constantFrom(...nodes) });
        const pair = fc.tuple(write, write).filter(([a, b]) => a.timestamp !== b.timestamp || a.nodeId !== b.nodeId);
        return checkSchedules(ctx, pair, ([a, b]) => {
          const s = ctx.scenario(`write A by ${a.nodeId} at ${a.timestamp}; write B by ${b.nodeId} at ${b.timestamp}`);
          const r = new ctx.impl.LastWriterWinsResolver();
          const want = a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.nodeId > b.nodeId) ? 'A' : 'B';
          const reason = a.timestamp === b.timestamp ? 'node-id-tiebreaker' : 'timestamp-winner';
          s.step('resolveConflict(A, B), then resolveConflict(B, A)');
          s.expectEqual(r.resolveConflict({ value: 'A', ...a }, { value: 'B', ...b }), { value: want, reason }, 'resolveConflict(A, B)');
          s.expectEqual(r.resolveConflict({ value: 'B', ...b }, { value: 'A', ...a }), { value: want, reason }, 'resolveConflict(B, A)');
        });
      },
    },
    {
      id: 'local-clock',
      title: 'updateLocalClock counts this node\'s events in its own entry and hands out copies',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const s = scenario('VectorClockResolver for bob in the cluster alice, bob, carol');
        const r = new impl.VectorClockResolver('bob', handOver(nodes));
        s.step('updateLocalClock() twice; the caller then sets carol: 7 in the copy it got');
        const first = r.updateLocalClock();
        s.expectEqual(normal(first), normal({ bob: 1 }), 'the first clock', String);
        const second = r.updateLocalClock() as Clock;
        s.expectEqual(normal(second), normal({ bob: 2 }), 'the second clock', String);
        s.expectEqual(normal(first), normal({ bob: 1 }), 'the first copy after the second tick', String);
        second.carol = 7;
        s.expectEqual(normal(r.updateLocalClock()), normal({ bob: 3 }), 'the third clock (the copy is not the resolver\'s own)', String);
      },
    },
    {
      id: 'vc-both-sides-keys',
      title: 'Vector clocks: dominance looks at the nodes of both clocks, a missing entry counting as 0',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const r = new impl.VectorClockResolver('alice', handOver(nodes));
        const cases: [Clock, Clock, boolean][] = [
          [{ alice: 2 }, { alice: 1, bob: 5 }, false],
          [{ alice: 1, bob: 5 }, { alice: 2 }, false],
          [{ alice: 1, bob: 1 }, { alice: 1 }, true],
          [{ alice: 1 }, { alice: 1, bob: 1 }, false],
          [{ alice: 1, bob: 0 }, { alice: 1 }, false],
          [{ alice: 0 }, {}, false],
          [{ carol: 1 }, {}, true],
          [{ alice: 1, bob: 2 }, { alice: 1, bob: 2 }, false],
          [{ alice: 2, bob: 2 }, { alice: 1, bob: 2 }, true],
        ];
        for (const [a, b, want] of cases) {
          const s = scenario(`a = ${clockText(a)}, b = ${clockText(b)}`);
          s.step('dominates(a, b)');
          s.expectEqual(r.dominates(handOver(a), handOver(b)), want, 'dominates(a, b)');
        }
      },
    },
    {
      id: 'vc-siblings',
      title: 'Vector clocks: two cart writes made apart ([1,0] and [0,1]) are both kept as siblings, with the merged clock; a later write replaces them',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const r = new impl.VectorClockResolver('alice', handOver(nodes));
        const s = scenario('cart A = "laptop,mouse" with clock {alice: 1}; cart B = "keyboard" with clock {bob: 1}');
        s.step('resolveConflict(A, B)');
        const got = r.resolveConflict({ value: 'laptop,mouse', clock: { alice: 1 } }, { value: 'keyboard', clock: { bob: 1 } });
        s.expectEqual(got.outcome, 'concurrent', 'the outcome');
        s.expectEqual([...got.values].sort(), ['keyboard', 'laptop,mouse'], 'the values kept (in any order)');
        s.expectEqual(normal(got.clock), normal({ alice: 1, bob: 1 }), 'the clock of the siblings', String);
        s.step('C = "keyboard,laptop,mouse" with clock {alice: 2, bob: 1} (written after seeing both); resolveConflict(siblings, C)');
        const later = r.resolveConflict({ value: 'siblings', clock: { alice: 1, bob: 1 } }, { value: 'keyboard,laptop,mouse', clock: { alice: 2, bob: 1 } });
        s.expectEqual({ outcome: later.outcome, values: later.values }, { outcome: 'second-dominates', values: ['keyboard,laptop,mouse'] }, 'the resolution');
      },
    },
    {
      id: 'vc-random-pairs',
      title: 'Vector clocks on random pairs: the right outcome, the right values and clock, and the mirror outcome with the arguments swapped',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.tuple(clockArb, clockArb), ([a, b]) => {
          const s = ctx.scenario(`write A with clock ${clockText(a)}; write B with clock ${clockText(b)}`);
          const r = new ctx.impl.VectorClockResolver('carol', handOver(nodes));
          for (const [x, y, xs, ys] of [[a, b, 'A', 'B'], [b, a, 'B', 'A']] as const) {
            s.step(`resolveConflict(${xs}, ${ys})`);
            const want = reference({ value: xs, clock: x }, { value: ys, clock: y });
            const got = r.resolveConflict({ value: xs, clock: handOver(x) }, { value: ys, clock: handOver(y) });
            s.expectEqual(got.outcome, want.outcome, `the outcome of resolveConflict(${xs}, ${ys})`);
            // Equal clocks name one write: keeping either copy is right.
            const values = want.outcome === 'equal' && show(got.values) === show([ys]) ? [xs] : [...got.values].sort();
            s.expectEqual(values, [...want.values].sort(), `the values kept by resolveConflict(${xs}, ${ys})`);
            s.expectEqual(normal(got.clock), normal(want.clock), `the clock kept by resolveConflict(${xs}, ${ys})`, String);
            s.expectEqual(r.dominates(handOver(x), handOver(y)), dominates(x, y), `dominates(${xs}, ${ys})`);
          }
        }),
    },
  ],
});
