/**
 * OR-Set (observed-remove set): a set that replicas add to and remove from on their own.
 * Fill in every TODO, then run
 *   npm run exercise -- run state/or-set
 *
 * Every add gets a tag nobody else will ever use. A remove does not delete the element: it
 * tombstones the tags of that element this replica has seen. An element is present while some
 * tag of it is not tombstoned. So a remove only cancels the adds it observed, and an add made
 * concurrently somewhere else survives it: add wins.
 */

export class ORSet {
  // State is public so that another replica's merge can read it; only this class writes it.
  /** element -> tags of the adds of it this replica has seen */
  readonly added = new Map<string, Set<string>>();
  /** tags whose adds have been removed */
  readonly removed = new Set<string>();
  tagCounter = 0;

  constructor(readonly nodeId: string) {}

  /** Adds `element` under a fresh tag and returns the tag. */
  add(element: string): string {
    this.tagCounter += 1;
    // nodeId + a counter that never goes back: unique across replicas and across this replica's life.
    const tag = `${this.nodeId}:${this.tagCounter}`;
    const tags = this.added.get(element) ?? new Set<string>();
    tags.add(tag);
    this.added.set(element, tags);
    return tag;
  }

  /** Tombstones the tags of `element` this replica has seen; a no-op for an element it never saw. */
  remove(element: string): void {
    for (const tag of this.added.get(element) ?? []) this.removed.add(tag);
  }

  /** Present while some tag of it is not tombstoned. */
  contains(element: string): boolean {
    for (const tag of this.added.get(element) ?? []) if (!this.removed.has(tag)) return true;
    return false;
  }

  elements(): Set<string> {
    const present = new Set<string>();
    for (const element of this.added.keys()) if (this.contains(element)) present.add(element);
    return present;
  }

  /** A new set for this replica: the union of both sides' tags and of both sides' tombstones. */
  merge(other: ORSet): ORSet {
    const merged = new ORSet(this.nodeId);
    // The merged set is still this replica: its next tag must not repeat one it already handed out.
    merged.tagCounter = this.tagCounter;
    for (const source of [this, other]) {
      for (const [element, tags] of source.added) {
        const into = merged.added.get(element) ?? new Set<string>();
        for (const tag of tags) into.add(tag);
        merged.added.set(element, into);
      }
      for (const tag of source.removed) merged.removed.add(tag);
    }
    return merged;
  }
}
