/**
 * Pattern 4: quorum reads and writes (reference solution).
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
  // The counter comes first: two writes in the same millisecond have the same timestamp,
  // and a timestamp-only comparison would let the older one win.
  if (a.counter !== b.counter) return a.counter - b.counter;
  return a.timestamp - b.timestamp;
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
    return this.readQuorum + this.writeQuorum > this.replicationFactor;
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
    const ids = [...this.nodes.keys()].sort((a, b) => a - b);
    const start = hashKey(key) % ids.length;
    const replicas: number[] = [];
    for (let i = 0; i < this.replicationFactor; i++) replicas.push(ids[(start + i) % ids.length]!);
    return replicas;
  }

  /** Returns true once W home replicas stored the value; false (and no hints) otherwise. */
  write(key: string, value: string): boolean {
    const versioned: VersionedValue = {
      value,
      version: { timestamp: this.clock.now(), counter: ++this.versionCounter },
    };
    let acks = 0;
    const missed: number[] = [];
    for (const id of this.homeReplicas(key)) {
      const node = this.nodes.get(id)!;
      this.messageCount++; // the write request
      if (!node.active) {
        missed.push(id);
        continue;
      }
      node.store(key, versioned);
      this.messageCount++; // the ack
      acks++;
    }
    // Only home acks count: a hint is a promise to deliver later, not a stored copy.
    if (acks < this.writeQuorum) return false;
    for (const id of missed) {
      const queue = this.hints.get(id) ?? [];
      queue.push({ key, value: versioned });
      this.hints.set(id, queue);
    }
    return true;
  }

  /**
   * Asks every live home replica (a replica without the key still answers, with "nothing").
   * Returns null when fewer than R replicas answer, or when none of them holds the key.
   */
  read(key: string): VersionedValue | null {
    const answered: ReplicaNode[] = [];
    let newest: VersionedValue | null = null;
    for (const id of this.homeReplicas(key)) {
      const node = this.nodes.get(id)!;
      this.messageCount++; // the read request
      if (!node.active) continue;
      this.messageCount++; // the reply
      answered.push(node);
      const held = node.data.get(key);
      // Replies can disagree: keep the newest, never just the first one.
      if (held && (!newest || compareVersions(held.version, newest.version) > 0)) newest = held;
    }
    if (answered.length < this.readQuorum || !newest) return null;
    this.readRepair(key, newest, answered);
    return newest;
  }

  /** Sends the newest value to every replica that answered with something older or nothing. */
  private readRepair(key: string, newest: VersionedValue, answered: readonly ReplicaNode[]): void {
    for (const node of answered) {
      const held = node.data.get(key);
      if (held && compareVersions(held.version, newest.version) >= 0) continue;
      node.store(key, newest);
      this.messageCount += 2; // repair write and its ack
    }
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
    for (const hint of this.hints.get(nodeId) ?? []) {
      node.store(hint.key, hint.value);
      this.messageCount += 2; // hint delivery and its ack
    }
    this.hints.delete(nodeId);
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
