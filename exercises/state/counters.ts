/**
 * CRDT counters: a grow-only counter (G-Counter) and one that also goes down (PN-Counter).
 * Fill in every TODO, then run
 *   npm run exercise -- run state/counters
 *
 * Each replica counts only in its own slot; merging takes the larger number slot by slot. A slot
 * only ever grows, so the larger number is simply the more recent one, and merging the same state
 * twice, or in another order, changes nothing.
 */

export class GCounter {
  // State is public so that another replica's merge can read it; only this class writes it.
  readonly counters = new Map<string, number>();

  /** `nodeId` is this replica; `clusterNodes` every replica, each starting at 0. */
  constructor(
    readonly nodeId: string,
    clusterNodes: readonly string[],
  ) {
    for (const node of clusterNodes) this.counters.set(node, 0);
    this.counters.set(nodeId, 0);
  }

  /** Adds `amount` to this replica's own slot. A negative amount would let a slot shrink: RangeError. */
  increment(amount = 1): void {
    // TODO: reject a negative amount with a RangeError, then add `amount` to this.nodeId's slot
    // (and to no other slot: the other replicas count their own).
    void amount;
  }

  /** The total: every replica's slot added up. */
  value(): number {
    // TODO: add up every slot.
    return 0;
  }

  /** A new counter for this replica holding, per slot, the larger of the two; both inputs stay as they were. */
  merge(other: GCounter): GCounter {
    // TODO:
    //   1. Make a new GCounter(this.nodeId, []) (it may read merged.counters: same class).
    //   2. For every slot of either side, keep the LARGER count. Not the sum: merging the same
    //      state twice must not count its increments twice.
    void other;
    return this;
  }
}

export class PNCounter {
  positive: GCounter;
  negative: GCounter;

  constructor(
    readonly nodeId: string,
    clusterNodes: readonly string[],
  ) {
    this.positive = new GCounter(nodeId, clusterNodes);
    this.negative = new GCounter(nodeId, clusterNodes);
  }

  increment(amount = 1): void {
    // TODO: count it in `positive`.
    void amount;
  }

  /** Counts the decrement as growth of the second counter, so every slot still only grows. */
  decrement(amount = 1): void {
    // TODO: count it in `negative` (as a positive amount: the slots must keep growing).
    void amount;
  }

  value(): number {
    // TODO: increments minus decrements.
    return 0;
  }

  /** A new counter for this replica: each half merged with the same half of `other`. */
  merge(other: PNCounter): PNCounter {
    // TODO: a new PNCounter(this.nodeId, []) whose positive half is this.positive merged with
    // other.positive, and whose negative half likewise.
    void other;
    return this;
  }
}
