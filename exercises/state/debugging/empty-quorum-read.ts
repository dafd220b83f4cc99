/**
 * A quorum-replicated key-value store: N storage nodes, a write waits for W acknowledgements, a
 * read for R replies, with W + R > N so that every read quorum overlaps every write quorum.
 *
 * The contract:
 *   - `write` stores the value on nodes in order until W of them acknowledge and answers "success";
 *     with fewer than W nodes reachable it answers "insufficient_replicas" (copies already made stay:
 *     such a write may or may not be seen later).
 *   - `read` asks nodes in order until R of them reply. With R replies it answers the newest version
 *     among them (a node that never saw the key replies "nothing, version 0"). With fewer than R
 *     replies it answers "insufficient_replicas": fewer than R replies need not overlap the last
 *     write, so any value would be a guess.
 *
 * Reported symptom: during a rack failure that left one of three nodes up, the profile page showed
 * a user their old address although the change had been confirmed. When the last node went down
 * too, the page crashed with a TypeError instead of saying the store was unavailable.
 *
 * Run it: npx tsx exercises/state/debugging/empty-quorum-read.ts
 * Grade it: npm run exercise -- challenge state/2
 */

export class NodeUnavailable extends Error {
  constructor(readonly nodeId: string) {
    super(`node ${nodeId} did not answer (timeout)`);
    this.name = 'NodeUnavailable';
  }
}

export interface Versioned {
  readonly value: string | undefined;
  /** Larger is newer; the store numbers the writes to each key 1, 2, 3...; 0 means never written. */
  readonly version: number;
}

export class StorageNode {
  /** False while the node is down or cut off: every request to it times out. */
  up = true;
  /** What this node stores (public for inspection). */
  readonly data = new Map<string, Versioned>();

  constructor(readonly id: string) {}

  write(key: string, entry: Versioned): void {
    if (!this.up) throw new NodeUnavailable(this.id);
    const current = this.data.get(key);
    if (current === undefined || entry.version > current.version) this.data.set(key, entry);
  }

  read(key: string): Versioned {
    if (!this.up) throw new NodeUnavailable(this.id);
    return this.data.get(key) ?? { value: undefined, version: 0 };
  }
}

export type WriteResult = 'success' | 'insufficient_replicas';
export type ReadResult = { readonly status: 'ok'; readonly value: string | undefined; readonly version: number } | { readonly status: 'insufficient_replicas' };

export class QuorumStore {
  /** The last version handed out per key (public for inspection). */
  readonly versions = new Map<string, number>();

  constructor(
    readonly nodes: readonly StorageNode[],
    /** W: acknowledgements a write needs. */
    readonly writeQuorum: number,
    /** R: replies a read needs. */
    readonly readQuorum: number,
  ) {}

  write(key: string, value: string): WriteResult {
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    let acknowledged = 0;
    for (const node of this.nodes) {
      try {
        node.write(key, { value, version });
        acknowledged++;
        if (acknowledged >= this.writeQuorum) return 'success';
      } catch (error) {
        if (!(error instanceof NodeUnavailable)) throw error;
      }
    }
    return 'insufficient_replicas';
  }

  read(key: string): ReadResult {
    const responses: Versioned[] = [];
    for (const node of this.nodes) {
      try {
        responses.push(node.read(key));
        if (responses.length >= this.readQuorum) break;
      } catch (error) {
        if (!(error instanceof NodeUnavailable)) throw error;
      }
    }

    // The newest of the replies.
    const newest = responses.reduce((best, reply) => (reply.version > best.version ? reply : best));
    return { status: 'ok', value: newest.value, version: newest.version };
  }
}

function main(): void {
  const nodes = ['n1', 'n2', 'n3'].map((id) => new StorageNode(id));
  const [n1, n2, n3] = nodes as [StorageNode, StorageNode, StorageNode];
  const store = new QuorumStore(nodes, 2, 2);
  console.log(`N=3, W=2, R=2. write "old street": ${store.write('address', 'old street')} (on n1, n2)`);
  n1.up = false;
  console.log(`n1 down. write "new street": ${store.write('address', 'new street')} (on n2, n3)`);
  n1.up = true;
  n2.up = false;
  n3.up = false;
  console.log('n1 back, n2 and n3 down (rack failure). read:', JSON.stringify(store.read('address')));
  n1.up = false;
  try {
    console.log('every node down. read:', JSON.stringify(store.read('address')));
  } catch (error) {
    console.log(`every node down. read threw ${(error as Error).name}: ${(error as Error).message}`);
  }
}

if (import.meta.filename === process.argv[1]) main();
