/**
 * Pattern 4: quorum reads and writes. Fill in every TODO, then run
 *   npm run exercise -- run consensus/quorum
 *
 * Each key lives on `replicationFactor` (N) home replicas. A write succeeds once W of them have
 * stored it; a read asks the live home replicas, needs R replies and returns the newest version.
 * With R + W > N every read quorum overlaps every write quorum in at least one replica, so a read
 * always sees the last successful write. Read repair and hinted handoff bring lagging replicas
 * back up to date.
 *
 * Synchronous simulation: a "request" to a replica is a method call, a down replica never answers.
 */
import { systemClock, type Clock } from '#workbook/clock';

/** When a value was written: `counter` orders writes, `timestamp` only breaks ties. */
export interface Version {
  readonly timestamp: number;
  readonly counter: number;
}

export interface VersionedValue {
  readonly value: string;
  readonly version: Version;
}

export interface NodeStatus {
  readonly id: number;
  readonly active: boolean;
  /** Keys this node stores as a replica (hints it is owed are not counted). */
  readonly keys: number;
  /** Writes waiting to be handed to this node when it recovers. */
  readonly pendingHints: number;
}

export interface ClusterStatus {
  readonly nodes: readonly NodeStatus[];
  readonly replicationFactor: number;
  readonly readQuorum: number;
  readonly writeQuorum: number;
}

/** Positive when `a` is newer than `b`, negative when older, 0 when the same version. */
export function compareVersions(a: Version, b: Version): number {
  // TODO: compare versions.
  //   1. A higher counter is newer, whatever the timestamps say (two writes in the same
  //      millisecond share a timestamp; the grader's clock never moves on its own).
  //   2. Only when the counters are equal, the later timestamp is newer.
  void a;
  void b;
  return 0;
}

class ReplicaNode {
  readonly data = new Map<string, VersionedValue>();
  active = true;

  constructor(readonly id: number) {}

  /** Stores `incoming` unless the replica already holds something at least as new. */
  store(key: string, incoming: VersionedValue): void {
    const current = this.data.get(key);
    if (!current || compareVersions(incoming.version, current.version) > 0) this.data.set(key, incoming);
  }
}

interface Hint {
  readonly key: string;
  readonly value: VersionedValue;
}

export class QuorumConsensus {
  private readonly nodes = new Map<number, ReplicaNode>();
  /** Hints kept by the coordinator (this object), per node they are meant for. */
  private readonly hints = new Map<number, Hint[]>();
  private readonly clock: Clock;
  private readonly warnings: string[] = [];
  private versionCounter = 0;
  private messageCount = 0;

  constructor(
    numNodes: number,
    readonly replicationFactor: number,
    readonly readQuorum: number,
    readonly writeQuorum: number,
    options: { clock?: Clock } = {},
  ) {
    if (replicationFactor < 1 || replicationFactor > numNodes) throw new RangeError('replicationFactor must be between 1 and numNodes');
    if (readQuorum < 1 || readQuorum > replicationFactor) throw new RangeError('readQuorum must be between 1 and replicationFactor');
    if (writeQuorum < 1 || writeQuorum > replicationFactor) throw new RangeError('writeQuorum must be between 1 and replicationFactor');
    this.clock = options.clock ?? systemClock;
    for (let id = 1; id <= numNodes; id++) this.nodes.set(id, new ReplicaNode(id));
    if (!this.isStronglyConsistent()) {
      this.warnings.push(
        `R + W = ${readQuorum + writeQuorum} <= N = ${replicationFactor}: a read quorum can miss the last write, so reads may be stale`,
      );
    }
  }

  /** R + W > N: every read quorum shares at least one replica with every write quorum. */
  isStronglyConsistent(): boolean {
    // TODO: strong consistency needs every read quorum to overlap every write quorum.
    //   Which sum must exceed which N? (N is the replication factor, not the cluster size.)
    return false;
  }

  getWarnings(): string[] {
    return [...this.warnings];
  }

  /**
   * The key's home replicas: hash the key onto a ring of ALL node ids and take N consecutive
   * nodes. Failures do not change the answer; otherwise a write and a later read could land on
   * disjoint sets of nodes and the quorum overlap would mean nothing.
   */
  homeReplicas(key: string): number[] {
    // TODO: pick the key's stable home replicas.
    //   1. Hash the key with hashKey (below) to a position on a ring of ALL node ids, 1..numNodes.
    //   2. Take replicationFactor consecutive ids from there, wrapping around the ring.
    //   Do not skip failed nodes: the same key must always get the same replicas.
    void key;
    return [];
  }

  /** Returns true once W home replicas stored the value; false (and no hints) otherwise. */
  write(key: string, value: string): boolean {
    // TODO: quorum write.
    //   1. Give the value a new version: the next versionCounter, and clock.now() as timestamp.
    //   2. Send it to each home replica (one message). A live replica stores it with
    //      node.store and acks (one more message); a failed one never answers.
    //   3. Fewer than W acks: return false. Leave no hints; the replicas that stored the value
    //      keep it (nothing is rolled back), so a later read may still return it.
    //   4. Otherwise queue a hint in this.hints for every home replica that missed the write
    //      (hints never count as acks) and return true.
    void key;
    void value;
    return false;
  }

  /**
   * Asks every live home replica (a replica without the key still answers, with "nothing").
   * Returns null when fewer than R replicas answer, or when none of them holds the key.
   */
  read(key: string): VersionedValue | null {
    // TODO: quorum read.
    //   1. Send a read request to each home replica (one message); each live one replies (one
    //      message), with its value or with nothing. Both kinds of reply count toward R.
    //   2. Fewer than R replies: return null.
    //   3. Pick the NEWEST value among the replies (compareVersions), not the first one.
    //   4. Read-repair the replicas that replied with something older or with nothing (readRepair
    //      below), then return the newest.
    void key;
    return null;
  }

  /** Sends the newest value to every replica that answered with something older or nothing. */
  private readRepair(key: string, newest: VersionedValue, answered: readonly ReplicaNode[]): void {
    // TODO: read repair.
    //   For each replica that answered with nothing or an older version, store the newest
    //   value on it (a repair write and its ack: two messages). Leave up-to-date ones alone.
    void key;
    void newest;
    void answered;
  }

  simulateFailure(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (node) node.active = false;
  }

  /** Brings the node back and hands it every write it missed while it was down. */
  simulateRecovery(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (!node) return;
    node.active = true;
    // TODO: hinted handoff. Deliver every hint queued for this node, in order, with node.store
    //   (a delivery and its ack: two messages), then forget them.
  }

  /** What one replica stores for the key right now (for inspection; sends no message). */
  getReplicaValue(nodeId: number, key: string): VersionedValue | null {
    return this.nodes.get(nodeId)?.data.get(key) ?? null;
  }

  getStatus(): ClusterStatus {
    return {
      nodes: [...this.nodes.values()].map((node) => ({
        id: node.id,
        active: node.active,
        keys: node.data.size,
        pendingHints: this.hints.get(node.id)?.length ?? 0,
      })),
      replicationFactor: this.replicationFactor,
      readQuorum: this.readQuorum,
      writeQuorum: this.writeQuorum,
    };
  }

  printStatus(): void {
    const status = this.getStatus();
    console.log(`Cluster: ${status.nodes.length} nodes, R=${this.readQuorum}, W=${this.writeQuorum}, RF=${this.replicationFactor}`);
    for (const node of status.nodes) {
      console.log(`  Node ${node.id}: ${node.active ? 'ACTIVE' : 'FAILED'} (${node.keys} keys, ${node.pendingHints} hints)`);
    }
  }

  /** Every request to a replica and every reply counts as one message. */
  getMessageCount(): number {
    return this.messageCount;
  }

  /** Nothing runs in the background in this simulation, so there is nothing to stop. */
  shutdown(): void {}
}

/** FNV-1a: a small, stable string hash (the same key always maps to the same ring position). */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
