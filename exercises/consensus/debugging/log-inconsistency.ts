/**
 * Raft log replication between one leader and its followers (AppendEntries plus the leader's retry loop).
 *
 * Reported symptom: after a leader change, a follower's log no longer matched the leader's. The follower
 * had answered "success" to the new leader, yet at index 2 it held an entry from term 2 where the leader
 * held one from term 1, and it applied a different command there.
 *
 * Run it: npx tsx exercises/consensus/debugging/log-inconsistency.ts
 * Grade it: npm run exercise -- run consensus/debugging/log-inconsistency
 */

export interface LogEntry {
  readonly term: number;
  readonly command: string;
}

export class RaftNode {
  currentTerm = 0;
  /** Index 1 is log[0]: Raft numbers log entries from 1, and index 0 means "before the first entry". */
  log: LogEntry[] = [];

  constructor(readonly id: number) {}

  getLastLogIndex(): number {
    return this.log.length;
  }

  /** The term of the entry at `index` (1-based), 0 for index 0, undefined past the end. */
  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    return this.log[index - 1]?.term;
  }
}

export interface ReplicationResult {
  /** True once the follower accepted an AppendEntries (its log then matches the leader's). */
  readonly converged: boolean;
  /** AppendEntries calls the leader made, including rejected ones. */
  readonly attempts: number;
  /** The nextIndex the leader ended with for this follower. */
  readonly nextIndex: number;
}

export class RaftCluster {
  private readonly nodes = new Map<number, RaftNode>();
  private messageCount = 0;

  constructor(nodeIds: readonly number[]) {
    for (const id of nodeIds) this.nodes.set(id, new RaftNode(id));
  }

  getNode(id: number): RaftNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  getMessageCount(): number {
    return this.messageCount;
  }

  /**
   * The follower's side of AppendEntries: `entries` go right after `prevLogIndex` in the leader's log,
   * and the entry there has term `prevLogTerm`. Returns true when the follower accepted them.
   */
  appendEntries(
    followerId: number,
    leaderTerm: number,
    prevLogIndex: number,
    prevLogTerm: number,
    entries: readonly LogEntry[],
  ): boolean {
    this.messageCount++;
    const follower = this.getNode(followerId);

    // A leader from an older term has been replaced: ignore it.
    if (leaderTerm < follower.currentTerm) return false;
    follower.currentTerm = leaderTerm;

    let index = prevLogIndex;
    for (const entry of entries) {
      index++;
      const existing = follower.log[index - 1];
      // A conflicting entry and everything after it came from a leader that lost: drop them.
      if (existing !== undefined && existing.term !== entry.term) follower.log.length = index - 1;
      if (follower.log.length < index) follower.log.push(entry);
    }
    return true;
  }

  /**
   * The leader's retry loop: send the entries from `nextIndex` on; on a refusal step nextIndex back by
   * one and try again. prevLogIndex 0 always matches, so the loop ends.
   */
  replicate(leaderId: number, followerId: number, nextIndex = this.getNode(leaderId).getLastLogIndex() + 1): ReplicationResult {
    const leader = this.getNode(leaderId);
    let attempts = 0;
    let next = Math.max(1, Math.min(nextIndex, leader.getLastLogIndex() + 1));
    for (;;) {
      const prevLogIndex = next - 1;
      const prevLogTerm = leader.termAt(prevLogIndex) ?? 0;
      attempts++;
      if (this.appendEntries(followerId, leader.currentTerm, prevLogIndex, prevLogTerm, leader.log.slice(prevLogIndex))) {
        return { converged: true, attempts, nextIndex: leader.getLastLogIndex() + 1 };
      }
      // A follower with a newer term will never accept this leader: give up.
      if (this.getNode(followerId).currentTerm > leader.currentTerm || next === 1) {
        return { converged: false, attempts, nextIndex: next };
      }
      next--;
    }
  }
}

function describeLog(log: readonly LogEntry[]): string {
  return `[${log.map((e) => `${e.command}(t${e.term})`).join(', ')}]`;
}

function main(): void {
  const cluster = new RaftCluster([1, 2]);
  const leader = cluster.getNode(1);
  const follower = cluster.getNode(2);
  // Reachable in Raft: the term-1 leader's e2 missed node 2; a term-2 leader's e2 reached node 2 only;
  // node 1 then won term 3 with another node's vote and appended e3.
  leader.currentTerm = 3;
  leader.log = [
    { term: 1, command: 'e1' },
    { term: 1, command: 'e2' },
    { term: 3, command: 'e3' },
  ];
  follower.currentTerm = 3;
  follower.log = [
    { term: 1, command: 'e1' },
    { term: 2, command: 'e2' },
  ];
  console.log(`leader   ${describeLog(leader.log)}`);
  console.log(`follower ${describeLog(follower.log)}`);

  const accepted = cluster.appendEntries(2, leader.currentTerm, 2, 1, [leader.log[2]!]);
  console.log(`AppendEntries(prevLogIndex=2, prevLogTerm=1, [e3]): ${accepted ? 'accepted' : 'rejected'}`);
  console.log(`follower ${describeLog(follower.log)}`);

  const result = cluster.replicate(1, 2, 3);
  console.log(`leader retry loop: ${result.attempts} attempt(s), ended with nextIndex=${result.nextIndex}`);
  console.log(`follower ${describeLog(follower.log)}`);
  const same = describeLog(leader.log) === describeLog(follower.log);
  console.log(same ? 'logs match' : 'LOGS DISAGREE');
}

if (import.meta.filename === process.argv[1]) main();
