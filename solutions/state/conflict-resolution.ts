/**
 * Conflict resolution: two replicas took different writes for the same key. Which one stands?
 * Fill in every TODO, then run
 *   npm run exercise -- run state/conflict-resolution
 *
 * Last writer wins keeps one write and drops the other, the same one on every replica. Vector
 * clocks tell a write that replaced another (keep the newer) from two writes made without
 * knowing of each other (keep both, as siblings, for the application to merge).
 */

/** A write stamped with its time and the node that made it. */
export interface Stamped<T> {
  readonly value: T;
  readonly timestamp: number;
  readonly nodeId: string;
}

export type LwwReason = 'timestamp-winner' | 'node-id-tiebreaker';

export interface LwwResolution<T> {
  readonly value: T;
  readonly reason: LwwReason;
}

export class LastWriterWinsResolver {
  /**
   * The write with the larger timestamp; on equal timestamps the one from the larger node id.
   * Symmetric: swapping the arguments gives the same winner. (One node never makes two writes
   * with the same timestamp, so (timestamp, nodeId) names a single write.)
   */
  resolveConflict<T>(first: Stamped<T>, second: Stamped<T>): LwwResolution<T> {
    if (first.timestamp !== second.timestamp) {
      return { value: first.timestamp > second.timestamp ? first.value : second.value, reason: 'timestamp-winner' };
    }
    return { value: first.nodeId >= second.nodeId ? first.value : second.value, reason: 'node-id-tiebreaker' };
  }
}

/** Node id -> number of events of that node; a missing entry means 0. */
export type VectorClock = Readonly<Record<string, number>>;

export interface Versioned<T> {
  readonly value: T;
  readonly clock: VectorClock;
}

export type Outcome = 'first-dominates' | 'second-dominates' | 'equal' | 'concurrent';

export interface VectorClockResolution<T> {
  readonly outcome: Outcome;
  /** The one value that stands, or both (siblings) when the writes were concurrent. */
  readonly values: readonly T[];
  /** The clock of what is kept: the winner's, or the entry-wise maximum of both for siblings. */
  readonly clock: VectorClock;
}

const entry = (clock: VectorClock, node: string): number => clock[node] ?? 0;
const nodesOf = (a: VectorClock, b: VectorClock): string[] => [...new Set([...Object.keys(a), ...Object.keys(b)])];

export class VectorClockResolver {
  private readonly clock = new Map<string, number>();

  constructor(
    readonly nodeId: string,
    clusterNodes: readonly string[],
  ) {
    for (const node of clusterNodes) this.clock.set(node, 0);
    this.clock.set(nodeId, 0);
  }

  /** Counts one local event and returns a copy of the clock (changing the copy changes nothing here). */
  updateLocalClock(): VectorClock {
    this.clock.set(this.nodeId, (this.clock.get(this.nodeId) ?? 0) + 1);
    return Object.fromEntries(this.clock);
  }

  /** `a` has seen everything `b` has, and more: at least as large everywhere, larger somewhere. */
  dominates(a: VectorClock, b: VectorClock): boolean {
    // Both clocks' nodes: a node only one of them mentions counts as 0 in the other.
    const nodes = nodesOf(a, b);
    return nodes.every((n) => entry(a, n) >= entry(b, n)) && nodes.some((n) => entry(a, n) > entry(b, n));
  }

  resolveConflict<T>(first: Versioned<T>, second: Versioned<T>): VectorClockResolution<T> {
    if (this.dominates(first.clock, second.clock)) return { outcome: 'first-dominates', values: [first.value], clock: first.clock };
    if (this.dominates(second.clock, first.clock)) return { outcome: 'second-dominates', values: [second.value], clock: second.clock };
    const merged = Object.fromEntries(nodesOf(first.clock, second.clock).map((n) => [n, Math.max(entry(first.clock, n), entry(second.clock, n))]));
    // Neither dominates: the same clock (one write seen twice), or two writes made apart.
    const equal = nodesOf(first.clock, second.clock).every((n) => entry(first.clock, n) === entry(second.clock, n));
    if (equal) return { outcome: 'equal', values: [first.value], clock: merged };
    return { outcome: 'concurrent', values: [first.value, second.value], clock: merged };
  }
}
