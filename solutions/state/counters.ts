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
    if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`a G-Counter only grows; cannot add ${amount}`);
    this.counters.set(this.nodeId, (this.counters.get(this.nodeId) ?? 0) + amount);
  }

  /** The total: every replica's slot added up. */
  value(): number {
    let total = 0;
    for (const count of this.counters.values()) total += count;
    return total;
  }

  /** A new counter for this replica holding, per slot, the larger of the two; both inputs stay as they were. */
  merge(other: GCounter): GCounter {
    const merged = new GCounter(this.nodeId, []);
    // Slots from either side: a replica may know of a node the other has not heard from yet.
    for (const [node, count] of this.counters) merged.counters.set(node, count);
    for (const [node, count] of other.counters) merged.counters.set(node, Math.max(count, merged.counters.get(node) ?? 0));
    return merged;
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
    this.positive.increment(amount);
  }

  /** Counts the decrement as growth of the second counter, so every slot still only grows. */
  decrement(amount = 1): void {
    this.negative.increment(amount);
  }

  value(): number {
    return this.positive.value() - this.negative.value();
  }

  /** A new counter for this replica: each half merged with the same half of `other`. */
  merge(other: PNCounter): PNCounter {
    const merged = new PNCounter(this.nodeId, []);
    merged.positive = this.positive.merge(other.positive);
    merged.negative = this.negative.merge(other.negative);
    return merged;
  }
}
