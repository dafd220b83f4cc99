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
    // TODO:
    //   1. Different timestamps: the larger one wins (compare numbers, not their text: 10 > 9),
    //      reason 'timestamp-winner'.
    //   2. Equal timestamps: the write of the larger nodeId wins, reason 'node-id-tiebreaker'.
    //      Decide from the two writes only, so swapping the arguments gives the same winner.
    void second;
    return { value: first.value, reason: 'timestamp-winner' };
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
    // TODO: add 1 to this node's own entry, then return a plain-object copy of the whole clock
    // (Object.fromEntries(this.clock)).
    return {};
  }

  /** `a` has seen everything `b` has, and more: at least as large everywhere, larger somewhere. */
  dominates(a: VectorClock, b: VectorClock): boolean {
    // TODO: look at the nodes of BOTH clocks (nodesOf(a, b)); a missing entry is 0 (entry(clock, node)).
    // True when a's entry is >= b's for every node and > for at least one.
    void a;
    void b;
    return false;
  }

  resolveConflict<T>(first: Versioned<T>, second: Versioned<T>): VectorClockResolution<T> {
    // TODO:
    //   1. first dominates: outcome 'first-dominates', values [first.value], clock first.clock.
    //   2. second dominates: likewise, 'second-dominates'.
    //   3. Same clock on both: 'equal' (one write, seen twice), values [first.value].
    //   4. Otherwise 'concurrent': keep BOTH values (siblings, for the application to merge);
    //      the clock is the entry-wise maximum of the two, so whatever replaces the siblings
    //      later dominates both.
    void second;
    return { outcome: 'equal', values: [first.value], clock: first.clock };
  }
}
