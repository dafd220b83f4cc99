/**
 * Challenge 2: Lost commits in Raft.
 *
 * What a user reported: "Two of our five nodes were down. A write reached the leader and two
 * followers, three copies in all, yet the client was told it failed. The leader crashed right
 * after, and nobody could say whether the write had happened."
 * (It had: three of five is a majority, so the entry is committed and every later leader keeps
 * it. The harm is that the client was told "failed", and that with only a bare majority up the
 * cluster can never commit anything.)
 *
 * This is a complete program: a Raft cluster reduced to log replication (a leader, AppendEntries,
 * commit on a majority). It contains exactly one bug. Run it to see the report reproduced, then
 * find and fix it:
 *
 *   npx tsx exercises/consensus/debugging/lost-commits.ts
 *   npm run exercise -- run consensus/debugging/lost-commits
 */

export type Role = 'follower' | 'candidate' | 'leader';

export interface LogEntry {
  readonly term: number;
  readonly command: string;
  /** 1-based position in the log. */
  readonly index: number;
}

export class RaftNode {
  role: Role = 'follower';
  currentTerm = 0;
  readonly log: LogEntry[] = [];
  /** Highest log index known to be committed (0: nothing yet). */
  commitIndex = 0;

  constructor(readonly id: number) {}

  getLastLogIndex(): number {
    return this.log.length;
  }

  termAt(index: number): number {
    return index === 0 ? 0 : (this.log[index - 1]?.term ?? -1);
  }
}

export interface AppendEntriesRequest {
  readonly term: number;
  readonly leaderId: number;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
}

export class RaftReplication {
  private readonly nodes = new Map<number, RaftNode>();
  private readonly nodeActive = new Map<number, boolean>();
  private readonly majoritySize: number;
  private messageCount = 0;

  constructor(nodeIds: readonly number[]) {
    for (const id of nodeIds) {
      this.nodes.set(id, new RaftNode(id));
      this.nodeActive.set(id, true);
    }
    this.majoritySize = Math.floor(nodeIds.length / 2) + 1;
  }

  /** Makes `leaderId` the leader of `term` (the election itself is another exercise). */
  makeLeader(leaderId: number, term: number): void {
    for (const node of this.nodes.values()) {
      node.currentTerm = Math.max(node.currentTerm, term);
      node.role = node.id === leaderId ? 'leader' : 'follower';
    }
  }

  simulateFailure(nodeId: number): void {
    if (this.nodes.has(nodeId)) this.nodeActive.set(nodeId, false);
  }

  simulateRecovery(nodeId: number): void {
    if (this.nodes.has(nodeId)) this.nodeActive.set(nodeId, true);
  }

  /** AppendEntries, as handled by a follower: accept only entries that follow on from its own log. */
  handleAppendEntries(followerId: number, request: AppendEntriesRequest): boolean {
    const follower = this.nodes.get(followerId);
    if (!follower || request.term < follower.currentTerm) return false;
    follower.currentTerm = request.term;
    follower.role = 'follower';
    if (request.prevLogIndex > follower.getLastLogIndex()) return false;
    if (follower.termAt(request.prevLogIndex) !== request.prevLogTerm) return false;
    // Drop anything after the matching point and take the leader's entries instead.
    follower.log.splice(request.prevLogIndex);
    follower.log.push(...request.entries);
    follower.commitIndex = Math.max(follower.commitIndex, Math.min(request.leaderCommit, follower.getLastLogIndex()));
    return true;
  }

  /**
   * A client's write: the leader appends the command, replicates it, and commits it once a
   * majority of the cluster holds a copy. Returns whether it was committed.
   */
  appendEntry(leaderId: number, command: string): boolean {
    const leader = this.nodes.get(leaderId);
    if (!leader || leader.role !== 'leader' || !this.nodeActive.get(leaderId)) return false;

    const newIndex = leader.getLastLogIndex() + 1;
    leader.log.push({ term: leader.currentTerm, command, index: newIndex });

    let replicatedCount = 0;
    for (const nodeId of this.nodes.keys()) {
      if (nodeId !== leaderId && this.nodeActive.get(nodeId)) {
        const success = this.sendAppendEntries(leaderId, nodeId);
        if (success) replicatedCount++;
      }
    }

    if (replicatedCount >= this.majoritySize) {
      leader.commitIndex = newIndex;
      return true;
    }
    return false;
  }

  getNode(id: number): RaftNode | undefined {
    return this.nodes.get(id);
  }

  getMajoritySize(): number {
    return this.majoritySize;
  }

  getMessageCount(): number {
    return this.messageCount;
  }

  /**
   * Sends the follower the leader's whole log after the point where they agree, stepping back one
   * entry at a time when the follower is missing earlier entries. One message per attempt.
   */
  private sendAppendEntries(leaderId: number, followerId: number): boolean {
    const leader = this.nodes.get(leaderId);
    if (!leader) return false;
    for (let prev = leader.getLastLogIndex() - 1; prev >= 0; prev--) {
      this.messageCount++;
      const accepted = this.handleAppendEntries(followerId, {
        term: leader.currentTerm,
        leaderId,
        prevLogIndex: prev,
        prevLogTerm: leader.termAt(prev),
        entries: leader.log.slice(prev),
        leaderCommit: leader.commitIndex,
      });
      if (accepted) return true;
      const follower = this.nodes.get(followerId);
      if (!follower || follower.currentTerm > leader.currentTerm) return false;
    }
    return false;
  }
}

/** The reported scenario: 5 nodes, leader 1, nodes 4 and 5 down, one write. */
export function main(): void {
  const cluster = new RaftReplication([1, 2, 3, 4, 5]);
  cluster.makeLeader(1, 1);
  console.log(`5 nodes, majority ${cluster.getMajoritySize()}, node 1 leads term 1`);
  cluster.simulateFailure(4);
  cluster.simulateFailure(5);
  console.log('Nodes 4 and 5 are down');
  const committed = cluster.appendEntry(1, 'SET x=1');
  const holders = [1, 2, 3, 4, 5].filter((id) => cluster.getNode(id)?.log.some((e) => e.command === 'SET x=1'));
  console.log(`"SET x=1" is stored on nodes ${holders.join(', ')} (${holders.length} of 5)`);
  console.log(`Leader commitIndex: ${cluster.getNode(1)?.commitIndex}`);
  console.log(committed ? 'Write COMMITTED' : 'Write NOT committed: the client is told it failed');
}

if (import.meta.filename === process.argv[1]) main();
