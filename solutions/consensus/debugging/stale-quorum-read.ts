/**
 * A replicated key-value store with quorum reads and writes (N replicas, W acks per write, R replies per read).
 *
 * Reported symptom: the store runs with N=3, W=2, R=2, so every read should overlap the latest write.
 * Yet right after a profile update was acknowledged, some reads still showed the old profile. It
 * happened only when node 1 had been down during the update.
 *
 * Run it: npx tsx exercises/consensus/debugging/stale-quorum-read.ts
 * Grade it: npm run exercise -- run consensus/debugging/stale-quorum-read
 */

export interface VersionedValue {
  readonly value: string;
  /** Larger means newer; the coordinator numbers the writes to each key 1, 2, 3... */
  readonly version: number;
}

export class ReplicaNode {
  active = true;
  /** This replica's copy of each key. */
  readonly store = new Map<string, VersionedValue>();

  constructor(readonly id: number) {}

  get(key: string): VersionedValue | null {
    return this.store.get(key) ?? null;
  }

  put(key: string, value: VersionedValue): void {
    const current = this.store.get(key);
    // A replica never goes back to an older version of a key.
    if (current === undefined || value.version > current.version) this.store.set(key, value);
  }
}

export interface QuorumStoreOptions {
  /** R: replies a read waits for. Default: a majority. */
  readonly readQuorum?: number;
  /** W: acknowledgements a write waits for. Default: a majority. */
  readonly writeQuorum?: number;
}

export class QuorumStore {
  private readonly replicas: ReplicaNode[];
  private readonly versions = new Map<string, number>();
  private messageCount = 0;
  readonly readQuorum: number;
  readonly writeQuorum: number;

  constructor(nodeIds: readonly number[], options: QuorumStoreOptions = {}) {
    this.replicas = nodeIds.map((id) => new ReplicaNode(id));
    const majority = Math.floor(nodeIds.length / 2) + 1;
    this.readQuorum = options.readQuorum ?? majority;
    this.writeQuorum = options.writeQuorum ?? majority;
  }

  getNode(id: number): ReplicaNode {
    const node = this.replicas.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  /** Writes to every active replica; true when at least W acknowledged. */
  write(key: string, value: string): boolean {
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    let acks = 0;
    for (const node of this.replicas) {
      if (!node.active) continue;
      this.messageCount++;
      node.put(key, { value, version });
      acks++;
    }
    return acks >= this.writeQuorum;
  }

  /**
   * Asks active replicas in node order until R have replied ("not found" is a reply too).
   * Returns null when the key is unknown to all of them, or when fewer than R replicas answered.
   */
  read(key: string): VersionedValue | null {
    const responses: (VersionedValue | null)[] = [];
    for (const node of this.replicas) {
      if (responses.length >= this.readQuorum) break;
      if (!node.active) continue;
      this.messageCount++;
      responses.push(node.get(key));
    }
    if (responses.length < this.readQuorum) return null;

    // Replicas that missed a write still answer, with an older version; R + W > N only promises that
    // at least one reply is the newest, not that it comes first.
    let newest: VersionedValue | null = null;
    for (const response of responses) {
      if (response !== null && (newest === null || response.version > newest.version)) newest = response;
    }
    return newest;
  }

  getMessageCount(): number {
    return this.messageCount;
  }
}

function main(): void {
  const store = new QuorumStore([1, 2, 3], { readQuorum: 2, writeQuorum: 2 });
  store.write('profile', 'v1');
  console.log('all 3 nodes up: write "v1" (version 1)');
  store.getNode(1).active = false;
  const ok = store.write('profile', 'v2');
  console.log(`node 1 down: write "v2" (version 2) ${ok ? 'acknowledged by nodes 2 and 3' : 'failed'}`);
  store.getNode(1).active = true;
  const result = store.read('profile');
  console.log('node 1 back; read with R=2 asks node 1, then node 2');
  console.log(`read returned ${result ? `"${result.value}" (version ${result.version})` : 'nothing'}`);
}

if (import.meta.filename === process.argv[1]) main();
