/**
 * An observed-remove set (OR-Set), the CRDT behind a shared shopping list or playlist: replicas add and
 * remove items on their own and merge each other's state in any order, any number of times.
 *
 * The contract (add wins):
 *   - every `add` is a distinct event, identified by a unique tag;
 *   - a `remove` cancels the adds of that item that this replica has seen so far, and nothing else:
 *     an add made elsewhere that this replica had not seen when it removed the item survives;
 *   - so an item is in the set exactly when some add of it has not been cancelled by a remove;
 *   - `merge` takes in another replica's state. Replicas that have seen the same adds and removes,
 *     in any order and with repeats, show the same items.
 *
 * Reported symptom: Alice and Bob share a shopping list. Alice added bread. Bob, who had never seen
 * bread on his list, tidied up and removed it anyway (his app let him type the name). After the
 * next sync bread was gone for Alice too, and when Alice added it again Bob's next sync took it away
 * once more.
 *
 * Run it: npx tsx exercises/state/debugging/or-set-remove.ts
 * Grade it: npm run exercise -- challenge state/5
 */

function tagsOf(adds: Map<string, Set<string>>, item: string): Set<string> {
  let tags = adds.get(item);
  if (!tags) adds.set(item, (tags = new Set()));
  return tags;
}

/** The state is public so that you can print it while debugging; only the methods change it. */
export class ORSet {
  /** item -> unique tags of the adds of it that this replica has seen. */
  readonly adds = new Map<string, Set<string>>();
  /**
   * Tags of the adds that some remove has cancelled. A remove is known by the adds it observed, never
   * by the item's name: the name would also cancel adds the remover never saw.
   */
  readonly removed = new Set<string>();
  /** Adds made here so far; numbers this replica's tags. */
  counter = 0;

  constructor(readonly replicaId: string) {}

  /** Adds an item; returns the tag of this add. */
  add(item: string): string {
    this.counter += 1;
    const tag = `${this.replicaId}:${this.counter}`;
    tagsOf(this.adds, item).add(tag);
    return tag;
  }

  remove(item: string): void {
    for (const tag of this.adds.get(item) ?? []) this.removed.add(tag);
  }

  has(item: string): boolean {
    for (const tag of this.adds.get(item) ?? []) if (!this.removed.has(tag)) return true;
    return false;
  }

  /** The items in the set, sorted. */
  elements(): string[] {
    return [...this.adds.keys()].filter((item) => this.has(item)).sort();
  }

  merge(other: ORSet): void {
    for (const [item, tags] of other.adds) for (const tag of tags) tagsOf(this.adds, item).add(tag);
    for (const tag of other.removed) this.removed.add(tag);
  }
}

function main(): void {
  const alice = new ORSet('alice');
  const bob = new ORSet('bob');
  alice.add('milk');
  alice.add('bread');
  bob.add('eggs');
  bob.add('milk');
  bob.remove('bread');
  console.log('alice adds milk, bread; bob adds eggs, milk, then removes bread (which he has never seen)');
  alice.merge(bob);
  bob.merge(alice);
  console.log(`after syncing: alice [${alice.elements().join(', ')}], bob [${bob.elements().join(', ')}]`);
  alice.add('bread');
  alice.merge(bob);
  console.log(`alice adds bread again and syncs: alice [${alice.elements().join(', ')}]`);
  console.log('Bob never saw Alice\'s bread, so his remove should not have touched it: both lists should be [bread, eggs, milk].');
}

if (import.meta.filename === process.argv[1]) main();
