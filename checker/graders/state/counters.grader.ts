import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/counters.ts';
import { defineGrader, type GradeContext, handOver } from '../../engine/grader.ts';
import { convergesRequirement, mergeLawsRequirement, mergeLeavesInputsRequirement, smallAmount, type CrdtSpec } from './crdt-histories.ts';

type Module = typeof Impl;
// The grader's own lists: the histories it draws and checks are over these names, so learner
// code only ever gets copies of them (handOver).
const nodes = ['usa', 'eu', 'asia'] as const;
const pnReplicas = ['warehouse_a', 'warehouse_b', 'warehouse_c'] as const;

function gSpec(ctx: GradeContext<Module>): CrdtSpec<Impl.GCounter, number, null> {
  return {
    replicas: nodes,
    payload: smallAmount,
    env: () => null,
    create: (_env, name) => new ctx.impl.GCounter(name, handOver(nodes)),
    apply: (_env, counter, record) => counter.increment(record.payload),
    describe: (r) => `${r.replica} increments by ${r.payload}`,
    merge: (into, from) => into.merge(from),
    observe: (counter) => counter.value(),
    expected: (seen) => seen.reduce((sum, r) => sum + r.payload, 0),
    observed: 'value()',
  };
}

type PnOp = { readonly down: boolean; readonly amount: number };

function pnSpec(ctx: GradeContext<Module>): CrdtSpec<Impl.PNCounter, PnOp, null> {
  return {
    replicas: pnReplicas,
    payload: fc.record({ down: fc.boolean(), amount: smallAmount }),
    env: () => null,
    create: (_env, name) => new ctx.impl.PNCounter(name, handOver(pnReplicas)),
    apply: (_env, counter, { payload }) => (payload.down ? counter.decrement(payload.amount) : counter.increment(payload.amount)),
    describe: (r) => `${r.replica} ${r.payload.down ? 'decrements' : 'increments'} by ${r.payload.amount}`,
    merge: (into, from) => into.merge(from),
    observe: (counter) => counter.value(),
    expected: (seen) => seen.reduce((sum, r) => sum + (r.payload.down ? -r.payload.amount : r.payload.amount), 0),
    observed: 'value()',
  };
}

export default defineGrader<Module>({
  requiredExports: ['GCounter', 'PNCounter'],
  requirements: [
    {
      id: 'gcounter-counts',
      title: 'A G-Counter counts its own increments (1 by default), refuses a negative amount (0 is fine), and three CDN nodes merged in any order agree on 425',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const s = scenario('G-Counters usa, eu and asia in a cluster of those three, all at 0');
        const [usa, eu, asia] = nodes.map((n) => new impl.GCounter(n, handOver(nodes)));
        s.expectEqual(usa!.value(), 0, "a new counter's value()");
        s.step('usa increments (no amount), then by 149');
        usa!.increment();
        usa!.increment(149);
        s.expectEqual(usa!.value(), 150, "usa's value()");
        s.step('usa increments by -1');
        let threw: unknown;
        try {
          usa!.increment(-1);
        } catch (error) {
          threw = error;
        }
        s.expect(threw instanceof RangeError, 'a RangeError: a G-Counter only grows', threw === undefined ? 'it returned normally' : `it threw ${String(threw)}`);
        s.expectEqual(usa!.value(), 150, "usa's value() after the refused increment");
        s.step('usa increments by 0 (not negative: nothing to refuse)');
        let zeroThrew: unknown;
        try {
          usa!.increment(0);
        } catch (error) {
          zeroThrew = error;
        }
        s.expect(zeroThrew === undefined, 'increment(0) to return normally: only a negative amount is refused', () => `it threw ${String(zeroThrew)}`);
        s.expectEqual(usa!.value(), 150, "usa's value() after adding 0");
        s.step('eu increments by 200, asia by 75');
        eu!.increment(200);
        asia!.increment(75);
        s.step('usa merged with eu then asia; eu merged with asia then usa; asia merged with usa then asia again');
        s.expectEqual(usa!.merge(eu!).merge(asia!).value(), 425, 'usa ⊔ eu ⊔ asia');
        s.expectEqual(eu!.merge(asia!).merge(usa!).value(), 425, 'eu ⊔ asia ⊔ usa');
        s.expectEqual(asia!.merge(usa!).merge(asia!).value(), 225, 'asia ⊔ usa ⊔ asia (asia counted once)');
        s.expectEqual([usa!.value(), eu!.value(), asia!.value()], [150, 200, 75], 'the three originals after all that merging');
        s.step('the merged counter for usa increments by 5');
        const merged = usa!.merge(eu!);
        merged.increment(5);
        s.expectEqual(merged.value(), 355, "the merged counter's value() (it still counts for usa)");
        s.expectEqual(merged.merge(usa!).value(), 355, 'merged ⊔ usa (usa\'s old 150 is below the merged slot of 155)');
        s.step('a new replica "lone", created knowing only itself, increments by 1 and merges in eu\'s state');
        const lone = new impl.GCounter('lone', ['lone']);
        lone.increment(1);
        s.expectEqual(lone.merge(eu!).value(), 201, 'lone ⊔ eu (slots only the other side has count too)');
        s.expectEqual(eu!.merge(lone).value(), 201, 'eu ⊔ lone');
      },
    },
    {
      id: 'gcounter-merge-laws',
      title: 'G-Counter merge is commutative, associative and idempotent on states reached by random histories',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLawsRequirement(gSpec(ctx))(ctx),
    },
    {
      id: 'gcounter-converges',
      title: 'G-Counter replicas that saw the same increments, in any order and with repeated merges, agree on their sum, after every step',
      kind: 'safety',
      randomised: true,
      check: (ctx) => convergesRequirement(gSpec(ctx))(ctx),
    },
    {
      id: 'gcounter-merge-leaves-inputs',
      title: 'A G-Counter merge leaves both counters as they were and shares nothing with them: its result thrown away or counted on, neither input changes',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLeavesInputsRequirement(gSpec(ctx))(ctx),
    },
    {
      id: 'pncounter-counts',
      title: 'A PN-Counter goes up and down: two warehouses (100 in, 30 out; 50 in, 25 out) merge to 95 either way',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const names = ['warehouse_a', 'warehouse_b'];
        const s = scenario('PN-Counters warehouse_a and warehouse_b, both at 0');
        const a = new impl.PNCounter('warehouse_a', handOver(names));
        const b = new impl.PNCounter('warehouse_b', handOver(names));
        s.step('warehouse_a increments by 100 and decrements by 30; warehouse_b increments by 50 and decrements by 25');
        a.increment(100);
        a.decrement(30);
        b.increment(50);
        b.decrement(25);
        s.expectEqual([a.value(), b.value()], [70, 25], 'the two values before any merge');
        s.step('merge both ways; warehouse_b decrements by 1 (no amount) and the two merge again');
        s.expectEqual(a.merge(b).value(), 95, 'a ⊔ b');
        s.expectEqual(b.merge(a).value(), 95, 'b ⊔ a');
        b.decrement();
        s.expectEqual(a.merge(b).merge(b).value(), 94, 'a ⊔ b ⊔ b');
        s.step('a counter goes below zero: warehouse_a (merged) decrements by 100');
        const low = a.merge(b);
        low.decrement(100);
        s.expectEqual(low.value(), -6, 'value() (a PN-Counter may go negative)');
      },
    },
    {
      id: 'pncounter-merge-laws',
      title: 'PN-Counter merge is commutative, associative and idempotent on states reached by random histories',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLawsRequirement(pnSpec(ctx))(ctx),
    },
    {
      id: 'pncounter-converges',
      title: 'PN-Counter replicas that saw the same operations, in any order and with repeated merges, agree on increments minus decrements, after every step',
      kind: 'safety',
      randomised: true,
      check: (ctx) => convergesRequirement(pnSpec(ctx))(ctx),
    },
    {
      id: 'pncounter-merge-leaves-inputs',
      title: 'A PN-Counter merge leaves both counters as they were and shares nothing with them: its result thrown away or counted on, neither input changes',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLeavesInputsRequirement(pnSpec(ctx))(ctx),
    },
  ],
});
