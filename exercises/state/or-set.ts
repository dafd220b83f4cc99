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
    // TODO:
    //   1. Make a tag no replica will ever use again: this.nodeId and this.tagCounter, counted up
    //      first. (No Math.random: unique by construction, not by luck.)
    //   2. Record it under `element` in this.added, and return it.
    void element;
    return '';
  }

  /** Tombstones the tags of `element` this replica has seen; a no-op for an element it never saw. */
  remove(element: string): void {
    // TODO: put every tag this replica has for `element` into this.removed. Only those: an add
    // you have not seen yet (made elsewhere, concurrently) must survive this remove.
    void element;
  }

  /** Present while some tag of it is not tombstoned. */
  contains(element: string): boolean {
    // TODO: true when some tag of `element` is not in this.removed.
    void element;
    return false;
  }

  elements(): Set<string> {
    // TODO: every element `contains` says is present.
    return new Set();
  }

  /** A new set for this replica: the union of both sides' tags and of both sides' tombstones. */
  merge(other: ORSet): ORSet {
    // TODO:
    //   1. const merged = new ORSet(this.nodeId); give it this.tagCounter, so the next add on the
    //      merged set does not hand out a tag this replica already used.
    //   2. Union the tags per element, and union the tombstones, from both sides.
    //   3. Leave `this` and `other` unchanged.
    void other;
    return this;
  }
}
