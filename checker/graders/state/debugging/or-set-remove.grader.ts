import fc from 'fast-check';
import type * as Impl from '../../../../solutions/state/debugging/or-set-remove.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario } from '../../../engine/grader.ts';

type Mod = typeof Impl;
type ORSet = Impl.ORSet;
const list = (items: readonly string[]): string => `[${items.join(', ')}]`;

function expectItems(s: Scenario, who: string, set: ORSet, want: readonly string[], why = ''): void {
  const got = set.elements();
  s.expect(got.join() === [...want].sort().join(), `${who} to hold ${list([...want].sort())}${why}`, () => `it holds ${list(got)}`);
}

type Op =
  | { readonly kind: 'add'; readonly replica: number; readonly item: string }
  | { readonly kind: 'remove'; readonly replica: number; readonly item: string }
  | { readonly kind: 'merge'; readonly into: number; readonly from: number };
const item = fc.constantFrom('bread', 'eggs', 'milk');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), replica: fc.nat(2), item }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), replica: fc.nat(2), item }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('merge' as const), into: fc.nat(2), from: fc.nat(2) }) },
);
const IDS = ['alice', 'bob', 'carol'];

const describe = (op: Op): string =>
  op.kind === 'merge' ? `${IDS[op.into]} merges ${IDS[op.from]}'s state` : `${IDS[op.replica]} ${op.kind === 'add' ? 'adds' : 'removes'} ${op.item}`;

/** Replays a history on three fresh replicas; `onStep` sees the model after each operation. */
function replay(ctx: GradeContext<Mod>, ops: readonly Op[], s?: Scenario, onStep?: (rs: ORSet[], expected: string[][]) => void): ORSet[] {
  const rs = IDS.map((id) => new ctx.impl.ORSet(id));
  // The model: which adds (item, unique id) each replica knows, and which of them it knows to be cancelled.
  const adds = IDS.map(() => new Map<number, string>());
  const cancelled = IDS.map(() => new Set<number>());
  let next = 0;
  for (const op of ops) {
    if (op.kind === 'merge' && op.into === op.from) continue;
    s?.step(describe(op));
    if (op.kind === 'add') {
      rs[op.replica]!.add(op.item);
      adds[op.replica]!.set(next++, op.item);
    } else if (op.kind === 'remove') {
      rs[op.replica]!.remove(op.item);
      for (const [id, it] of adds[op.replica]!) if (it === op.item) cancelled[op.replica]!.add(id);
    } else {
      rs[op.into]!.merge(rs[op.from]!);
      for (const [id, it] of adds[op.from]!) adds[op.into]!.set(id, it);
      for (const id of cancelled[op.from]!) cancelled[op.into]!.add(id);
    }
    onStep?.(rs, IDS.map((_, i) => [...new Set([...adds[i]!].filter(([id]) => !cancelled[i]!.has(id)).map(([, it]) => it))].sort()));
  }
  return rs;
}

const historiesArb = fc.array(opArb, { minLength: 1, maxLength: 25 });

export default defineGrader<Mod>({
  requiredExports: ['ORSet'],
  requirements: [
    {
      id: 'unobserved-add-survives',
      title: 'The shopping list of the report: after Bob\'s remove of bread and the syncs, both lists hold milk, bread and eggs',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('OR-Set replicas "alice" and "bob"');
        const alice = new ctx.impl.ORSet('alice');
        const bob = new ctx.impl.ORSet('bob');
        s.step('alice adds milk and bread; bob adds eggs and milk');
        alice.add('milk');
        alice.add('bread');
        bob.add('eggs');
        bob.add('milk');
        s.step('bob removes bread (he has never seen it)');
        bob.remove('bread');
        s.step('alice merges bob; bob merges alice');
        alice.merge(bob);
        bob.merge(alice);
        expectItems(s, 'alice', alice, ['bread', 'eggs', 'milk'], ': Alice added bread and nobody who had it removed it');
        expectItems(s, 'bob', bob, ['bread', 'eggs', 'milk']);
      },
    },
    {
      id: 'concurrent-add-wins',
      title: 'An add made concurrently with a remove of the same item survives the merge, on both sides',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('OR-Set replicas "alice" and "bob"');
        const alice = new ctx.impl.ORSet('alice');
        const bob = new ctx.impl.ORSet('bob');
        s.step('alice adds milk; bob merges alice (now he sees milk)');
        alice.add('milk');
        bob.merge(alice);
        s.step('concurrently: bob removes milk, alice adds milk again');
        bob.remove('milk');
        alice.add('milk');
        s.step('bob merges alice; alice merges bob');
        bob.merge(alice);
        alice.merge(bob);
        expectItems(s, 'alice', alice, ['milk'], ": alice's second add was not seen by bob's remove");
        expectItems(s, 'bob', bob, ['milk']);
      },
    },
    {
      id: 'observed-remove-removes',
      title: 'A remove cancels the adds it saw, everywhere the remove reaches',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('OR-Set replicas "alice", "bob", "carol"');
        const [alice, bob, carol] = IDS.map((id) => new ctx.impl.ORSet(id)) as [ORSet, ORSet, ORSet];
        s.step('alice adds milk and eggs; bob and carol merge alice');
        alice.add('milk');
        alice.add('eggs');
        bob.merge(alice);
        carol.merge(alice);
        s.step('bob removes milk');
        bob.remove('milk');
        expectItems(s, 'bob', bob, ['eggs']);
        s.step('alice merges bob; carol merges alice');
        alice.merge(bob);
        carol.merge(alice);
        expectItems(s, 'alice', alice, ['eggs'], ': the only add of milk was seen by the remove');
        expectItems(s, 'carol', carol, ['eggs']);
      },
    },
    {
      id: 'add-again-after-remove',
      title: 'An item removed and added again is back, here and on every replica that merges it, even one that saw the remove',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('OR-Set replicas "alice" and "bob"');
        const alice = new ctx.impl.ORSet('alice');
        const bob = new ctx.impl.ORSet('bob');
        s.step('alice adds bread, removes it, adds it again');
        alice.add('bread');
        alice.remove('bread');
        alice.add('bread');
        expectItems(s, 'alice', alice, ['bread']);
        s.step('bob merges alice (sees bread), removes bread; alice merges bob');
        bob.merge(alice);
        bob.remove('bread');
        alice.merge(bob);
        expectItems(s, 'alice', alice, []);
        s.step('alice adds bread again; bob merges alice; alice merges bob');
        alice.add('bread');
        bob.merge(alice);
        alice.merge(bob);
        expectItems(s, 'alice', alice, ['bread']);
        expectItems(s, 'bob', bob, ['bread'], ': the new add came after his remove');
      },
    },
    {
      id: 'random-histories-match-model',
      title: 'Under random adds, removes and merges, every replica holds exactly the items with an add its known removes did not cancel (elements() and has() alike)',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, historiesArb, (ops) => {
          const s = ctx.scenario('OR-Set replicas "alice", "bob", "carol", all empty');
          replay(ctx, ops, s, (rs, expected) =>
            rs.forEach((r, i) => {
              expectItems(s, IDS[i]!, r, expected[i]!);
              // has() must agree with the items, also for an item this replica has never heard of.
              for (const it of ['bread', 'eggs', 'milk']) {
                const want = expected[i]!.includes(it);
                s.expect(r.has(it) === want, `${IDS[i]}.has("${it}") to be ${want}`, () => `it is ${String(r.has(it))}`);
              }
            }),
          );
          const final = replay(ctx, ops);
          s.step('then everyone merges everyone, twice over');
          for (let round = 0; round < 2; round++) for (const into of final) for (const from of final) if (into !== from) into.merge(from);
          const views = final.map((r) => r.elements().join());
          s.expect(views.every((v) => v === views[0]), 'all three to hold the same items', () => final.map((r, i) => `${IDS[i]} ${list(r.elements())}`).join(', '));
        }),
    },
    {
      id: 'merge-laws',
      title: 'For random replica states, merge is idempotent, commutative and associative',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, historiesArb, (ops) => {
          const s = ctx.scenario('Three replica states A (alice), B (bob), C (carol) built by a random history; each law checked on fresh copies');
          for (const op of ops) if (!(op.kind === 'merge' && op.into === op.from)) s.step(describe(op));
          const copy = (i: number): ORSet => replay(ctx, ops)[i]!;
          const a = copy(0);
          const before = a.elements();
          a.merge(copy(0));
          a.merge(a);
          s.expect(a.elements().join() === before.join(), `A merged with itself to stay ${list(before)} (idempotent)`, () => `it became ${list(a.elements())}`);
          const ab = copy(0);
          ab.merge(copy(1));
          const ba = copy(1);
          ba.merge(copy(0));
          s.expect(ab.elements().join() === ba.elements().join(), `A ⊔ B to equal B ⊔ A (commutative): ${list(ab.elements())}`, () => `B ⊔ A is ${list(ba.elements())}`);
          const left = copy(0);
          left.merge(copy(1));
          left.merge(copy(2));
          const bc = copy(1);
          bc.merge(copy(2));
          const right = copy(0);
          right.merge(bc);
          s.expect(left.elements().join() === right.elements().join(), `(A ⊔ B) ⊔ C to equal A ⊔ (B ⊔ C) (associative): ${list(left.elements())}`, () => `A ⊔ (B ⊔ C) is ${list(right.elements())}`);
        }),
    },
  ],
});
