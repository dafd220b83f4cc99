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
    // TODO: throw a RangeError unless W and R are whole numbers between 1 and nodeCount.
    for (let id = 1; id <= nodeCount; id++) this.nodes.push(new StorageNode(id));
  }

  /** W + R > N: every read quorum overlaps every write quorum. */
  isStronglyConsistent(): boolean {
    // TODO: W + R > N.
    return false;
  }

  failNode(id: number): void {
    this.nodes[id - 1]!.up = false;
  }

  recoverNode(id: number): void {
    this.nodes[id - 1]!.up = true;
  }

  /** Stores the value on live nodes, in id order, until W have acked. Fewer than W: 'insufficient_replicas'. */
  write(key: string, value: string): WriteResult {
    // TODO:
    //   1. Give this write the next version (this.version counts up once per write attempt).
    //   2. Walk this.nodes in order; each live one stores { value, version } and acks.
    //   3. As soon as W have acked, return 'success'. Never count a failed node.
    //   4. Fewer than W live nodes: 'insufficient_replicas' (the nodes that stored it keep it).
    void key;
    void value;
    return 'success';
  }

  /** Asks live nodes, in id order, until R have replied; returns the newest value among the replies. */
  read(key: string): ReadResult {
    // TODO:
    //   1. Walk this.nodes in order; each live one replies with what it holds for the key, or
    //      with nothing: an empty reply counts toward R too. Stop after R replies.
    //   2. Fewer than R replies: { status: 'insufficient_replicas' }. Never answer from fewer.
    //   3. Otherwise the newest (largest version) value among the replies, or undefined when no
    //      reply holds the key (there is no maximum of nothing).
    void key;
    return { status: 'success', value: undefined };
  }
}
