/**
 * Quorum-based replication: every key on all N nodes; a write needs W acks, a read R replies.
 * Fill in every TODO, then run
 *   npm run exercise -- run state/quorum-store
 *
 * With W + R > N every read quorum shares a node with every write quorum, so a read meets the last
 * successful write and picks it out by its version. This is the document's QuorumDB with its bugs
 * fixed: a read with fewer than R replies is refused (not answered from whatever came back), and
 * a key nobody holds reads as undefined (not the maximum of nothing).
 *
 * Synchronous simulation: a request to a node is a method call; a failed node never answers.
 */

export type WriteResult = 'success' | 'insufficient_replicas';
export type ReadResult = { readonly status: 'success'; readonly value: string | undefined } | { readonly status: 'insufficient_replicas' };

interface Stored {
  readonly value: string;
  /** Orders writes: larger is newer. Handed out by the coordinator, one per write attempt. */
  readonly version: number;
}

class StorageNode {
  readonly data = new Map<string, Stored>();
  up = true;

  constructor(readonly id: number) {}
}

export class QuorumDB {
  private readonly nodes: StorageNode[] = [];
  private version = 0;

  /** Nodes 1..nodeCount. W and R must each be between 1 and nodeCount (RangeError otherwise). */
  constructor(
    readonly nodeCount: number,
    readonly writeQuorum: number,
    readonly readQuorum: number,
  ) {
    for (const [name, q] of [['W', writeQuorum], ['R', readQuorum]] as const) {
      if (!Number.isInteger(q) || q < 1 || q > nodeCount) throw new RangeError(`${name} = ${q} must be between 1 and N = ${nodeCount}`);
    }
    for (let id = 1; id <= nodeCount; id++) this.nodes.push(new StorageNode(id));
  }

  /** W + R > N: every read quorum overlaps every write quorum. */
  isStronglyConsistent(): boolean {
    return this.writeQuorum + this.readQuorum > this.nodeCount;
  }

  failNode(id: number): void {
    this.nodes[id - 1]!.up = false;
  }

  recoverNode(id: number): void {
    this.nodes[id - 1]!.up = true;
  }

  /** Stores the value on live nodes, in id order, until W have acked. Fewer than W: 'insufficient_replicas'. */
  write(key: string, value: string): WriteResult {
    const stored: Stored = { value, version: ++this.version };
    let acks = 0;
    for (const node of this.nodes) {
      if (!node.up) continue;
      node.data.set(key, stored);
      acks++;
      if (acks >= this.writeQuorum) return 'success';
    }
    // The nodes that did store it keep it (no rollback); the caller is told it failed.
    return 'insufficient_replicas';
  }

  /** Asks live nodes, in id order, until R have replied; returns the newest value among the replies. */
  read(key: string): ReadResult {
    const replies: (Stored | undefined)[] = [];
    for (const node of this.nodes) {
      if (!node.up) continue;
      // A node without the key still replies: "I have nothing" counts toward R.
      replies.push(node.data.get(key));
      if (replies.length >= this.readQuorum) break;
    }
    if (replies.length < this.readQuorum) return { status: 'insufficient_replicas' };
    let newest: Stored | undefined;
    for (const reply of replies) if (reply && (!newest || reply.version > newest.version)) newest = reply;
    return { status: 'success', value: newest?.value };
  }
}
