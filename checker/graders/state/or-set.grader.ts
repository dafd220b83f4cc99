import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/or-set.ts';
import { defineGrader, show, type GradeContext, type Scenario } from '../../engine/grader.ts';
import { convergesRequirement, mergeLawsRequirement, mergeLeavesInputsRequirement, type CrdtSpec, type OpRecord } from './crdt-histories.ts';

type Module = typeof Impl;
type SetOp = { readonly remove: boolean; readonly element: string };
const universe = ['bread', 'eggs', 'milk'] as const;

/** What is compared, in words: elements(), and contains() when it disagrees with it. */
function observe(set: Impl.ORSet): string {
  const elements = [...set.elements()].sort();
  const contains = universe.filter((e) => set.contains(e));
  const text = `{${elements.join(', ')}}`;
  return contains.join() === elements.join() ? text : `${text} (but contains() is true for {${contains.join(', ')}})`;
}

/** Present exactly when some add of it was observed by no remove. */
function expected(seen: readonly OpRecord<SetOp>[]): string {
  const cancelled = new Set<number>();
  for (const r of seen) if (r.payload.remove) for (const id of r.info as number[]) cancelled.add(id);
  const present = universe.filter((e) => seen.some((r) => !r.payload.remove && r.payload.element === e && !cancelled.has(r.id)));
  return `{${present.join(', ')}}`;
}

function spec(ctx: GradeContext<Module>): CrdtSpec<Impl.ORSet, SetOp, Set<string>> {
  return {
    replicas: ['alice', 'bob', 'carol'],
    payload: fc.record({ remove: fc.boolean(), element: fc.constantFrom(...universe) }),
    env: () => new Set<string>(),
    create: (_tags, name) => new ctx.impl.ORSet(name),
    apply: (tags, set, record, seen, s) => {
      const { remove, element } = record.payload;
      if (remove) {
        // The adds this remove observes: those of the element this replica has seen.
        record.info = seen.filter((r) => !r.payload.remove && r.payload.element === element).map((r) => r.id);
        set.remove(element);
        return;
      }
      const tag = set.add(element);
      // The message lists every tag so far: written only on failure, since adds are most of every history.
      if (!(typeof tag === 'string' && tag !== '' && !tags.has(tag))) s.fail(`add to return a tag never used before (used so far: ${show([...tags])})`, `it returned ${show(tag)}`);
      tags.add(tag);
    },
    describe: (r) => `${r.replica} ${r.payload.remove ? 'removes' : 'adds'} "${r.payload.element}"`,
    merge: (into, from) => into.merge(from),
    observe,
    expected,
    observed: 'elements() (and contains())',
  };
}

function expectElements(s: Scenario, set: Impl.ORSet, want: string[], who: string): void {
  s.expectEqual(observe(set), `{${[...want].sort().join(', ')}}`, `${who}'s elements()`, String);
}

export default defineGrader<Module>({
  requiredExports: ['ORSet'],
  requirements: [
    {
      id: 'playlist',
      title: 'A collaborative playlist: adds from both sides survive, a remove of a song one side added takes it out',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const s = scenario('OR-Sets alice and bob, both empty');
        const alice = new impl.ORSet('alice');
        const bob = new impl.ORSet('bob');
        s.step('alice adds "Bohemian Rhapsody" and "Stairway to Heaven"; bob adds "Hotel California" and "Bohemian Rhapsody"');
        alice.add('Bohemian Rhapsody');
        alice.add('Stairway to Heaven');
        bob.add('Hotel California');
        bob.add('Bohemian Rhapsody');
        s.expect(alice.contains('Stairway to Heaven'), 'alice to contain "Stairway to Heaven"', 'contains returned false');
        s.step('alice removes "Stairway to Heaven"; bob adds "Sweet Child O\' Mine"; alice ⊔ bob');
        alice.remove('Stairway to Heaven');
        s.expect(!alice.contains('Stairway to Heaven'), 'alice no longer to contain "Stairway to Heaven"', 'contains returned true');
        bob.add("Sweet Child O' Mine");
        const merged = alice.merge(bob);
        s.expectEqual([...merged.elements()].sort(), ['Bohemian Rhapsody', 'Hotel California', "Sweet Child O' Mine"], 'the merged playlist');
        s.expectEqual([...bob.merge(alice).elements()].sort(), ['Bohemian Rhapsody', 'Hotel California', "Sweet Child O' Mine"], 'bob ⊔ alice');
        s.step('on the merged set, "Bohemian Rhapsody" is removed (both adds of it are seen), then the merged set merges bob again');
        merged.remove('Bohemian Rhapsody');
        s.expect(!merged.merge(bob).contains('Bohemian Rhapsody'), '"Bohemian Rhapsody" to stay out: bob has no add of it the remove did not see', 'it is back');
      },
    },
    {
      id: 'add-wins',
      title: 'Add wins: an add the remover never saw survives the remove (a concurrent re-add, or a remove of an element the replica never had)',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('OR-Sets alice and bob, both empty');
        const alice = new impl.ORSet('alice');
        let bob = new impl.ORSet('bob');
        s.step('alice adds "milk" and "bread"; bob adds "eggs" and "milk"; bob removes "bread", which he has never seen');
        alice.add('milk');
        alice.add('bread');
        bob.add('eggs');
        bob.add('milk');
        bob.remove('bread');
        s.step('alice ⊔ bob and bob ⊔ alice');
        expectElements(s, alice.merge(bob), ['bread', 'eggs', 'milk'], 'alice ⊔ bob');
        expectElements(s, bob.merge(alice), ['bread', 'eggs', 'milk'], 'bob ⊔ alice');
        s.step('bob takes alice\'s state (bob = bob ⊔ alice); then, concurrently, alice removes "milk" and bob adds "milk" again');
        bob = bob.merge(alice);
        alice.remove('milk');
        bob.add('milk');
        expectElements(s, alice, ['bread'], 'alice');
        s.step('they merge both ways');
        expectElements(s, alice.merge(bob), ['bread', 'eggs', 'milk'], 'alice ⊔ bob (bob\'s new add of "milk" was not seen by the remove)');
        expectElements(s, bob.merge(alice), ['bread', 'eggs', 'milk'], 'bob ⊔ alice');
        s.step('both remove "eggs" concurrently, then merge');
        const [a2, b2] = [alice.merge(bob), bob.merge(alice)];
        a2.remove('eggs');
        b2.remove('eggs');
        expectElements(s, a2.merge(b2), ['bread', 'milk'], 'the merge of two concurrent removes of "eggs"');
      },
    },
    {
      id: 're-add',
      title: 'An element removed and added again on the same replica is present, before and after merging with any older state',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('OR-Set alice, empty; bob, empty');
        let alice = new impl.ORSet('alice');
        const bob = new impl.ORSet('bob');
        s.step('alice adds "milk"; bob adds "eggs"; alice = alice ⊔ bob; alice removes "milk" then adds "milk" again');
        alice.add('milk');
        const old = alice.merge(new impl.ORSet('nobody'));
        bob.add('eggs');
        alice = alice.merge(bob);
        alice.remove('milk');
        alice.add('milk');
        expectElements(s, alice, ['eggs', 'milk'], 'alice');
        s.step('alice merges in a copy of her state from before the remove');
        expectElements(s, alice.merge(old), ['eggs', 'milk'], 'alice ⊔ old');
        s.step('alice = alice ⊔ bob again; she adds "bread", removes "milk", and adds "bread" once more');
        alice = alice.merge(bob);
        alice.add('bread');
        alice.remove('milk');
        expectElements(s, alice, ['bread', 'eggs'], 'alice');
      },
    },
    {
      id: 'merge-laws',
      title: 'OR-Set merge is commutative, associative and idempotent on states reached by random histories',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLawsRequirement(spec(ctx))(ctx),
    },
    {
      id: 'merge-leaves-inputs',
      title: 'Merge leaves both sets as they were and shares no tag set with them: its result thrown away or added to and removed from, neither input changes',
      kind: 'safety',
      randomised: true,
      check: (ctx) => mergeLeavesInputsRequirement(spec(ctx))(ctx),
    },
    {
      id: 'converges',
      title: 'Under random adds, removes and merges, every replica shows exactly the elements with an add no remove it has seen observed, after every step, and all agree once they exchange state',
      kind: 'safety',
      randomised: true,
      check: (ctx) => convergesRequirement(spec(ctx))(ctx),
    },
  ],
});
