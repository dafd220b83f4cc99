/**
 * Exercise: Raft consensus. Implement leader election with terms and log replication with
 * AppendEntries, so that an entry counts as committed only once a majority of the WHOLE cluster
 * holds it, and stays committed across crashes and partitions.
 *
 * Fill in every method marked TODO. The network is simulated: an RPC is a direct method call,
 * delivered only when this.canDeliver(from, to) says so; the reply's term is the receiver's
 * currentTerm, read after the call.
 *
 * Check your work: npm run exercise -- run consensus/raft
 */
import { systemClock, type Clock } from '#workbook/clock';

export type NodeRole = 'FOLLOWER' | 'CANDIDATE' | 'LEADER';

/** One slot of the replicated log. `index` is 1-based: the first entry has index 1. */
export interface LogEntry {
  readonly term: number;
  readonly command: string;
  readonly index: number;
}

/** What graders and demos may see of a node: a snapshot, not the live object. */
export interface RaftNodeView {
  readonly id: number;
  readonly role: NodeRole;
  readonly currentTerm: number;
  /** The candidate this node voted for in `currentTerm`, or -1. */
  readonly votedFor: number;
  readonly log: readonly LogEntry[];
  /** Highest log index known to be committed (0 = nothing). */
  readonly commitIndex: number;
}

export interface RaftOptions {
  readonly clock?: Clock;
}

class RaftNode {
  role: NodeRole = 'FOLLOWER';
  currentTerm = 0;
  votedFor = -1;
  log: LogEntry[] = [];
  commitIndex = 0;
  /** Leader only: for each follower, the index of the next entry to send it. */
  readonly nextIndex = new Map<number, number>();
  /** Leader only: for each follower, the highest index known to be on its log. */
  readonly matchIndex = new Map<number, number>();

  constructor(readonly id: number) {}

  lastLogIndex(): number {
    return this.log.length === 0 ? 0 : this.log[this.log.length - 1]!.index;
  }

  lastLogTerm(): number {
    return this.log.length === 0 ? 0 : this.log[this.log.length - 1]!.term;
  }

  /** Any message carrying a newer term makes this node a follower of that term, with no vote cast yet. */
  adoptTerm(term: number): void {
    // TODO: move this node into the newer `term`.
    //  1. Take the new term as the current one.
    //  2. A vote belongs to one term: in the new term this node has not voted yet.
    //  3. Whatever role it had, it is now a follower.
    void term;
  }
}

export class RaftConsensus {
  private readonly nodes = new Map<number, RaftNode>();
  private readonly failed = new Set<number>();
  /** Node id -> partition group; null when the network is whole. */
  private groupOf: Map<number, number> | null = null;
  /** Majority of the whole cluster, never of the nodes that happen to be reachable. */
  private readonly majority: number;
  private messages = 0;
  readonly clock: Clock;

  constructor(nodeIds: Iterable<number>, options: RaftOptions = {}) {
    for (const id of nodeIds) this.nodes.set(id, new RaftNode(id));
    this.majority = Math.floor(this.nodes.size / 2) + 1;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * `candidateId` runs for leader in a new term. Returns true when it won a majority.
   */
  startElection(candidateId: number): boolean {
    // TODO: run an election for `candidateId` and return whether it won.
    //  1. A failed or unknown node cannot run: return false.
    //  2. Become CANDIDATE, move to the next term, and vote for yourself (that vote counts as 1).
    //  3. Ask every other node you can reach (this.canDeliver) for its vote with this.requestVote,
    //     sending your term and your last log index and term. Count each request in this.messages.
    //  4. After each request, look at the voter's currentTerm: if it is higher than yours, adopt it
    //     (node.adoptTerm), and give up: return false.
    //  5. Count only votes actually granted. With a majority of the WHOLE cluster (this.majority),
    //     become leader (this.becomeLeader) and return true; otherwise return false.
    return false;
  }

  /** RequestVote RPC, as handled by `voterId`. Returns whether the vote is granted. */
  requestVote(voterId: number, candidateId: number, candidateTerm: number, lastLogIndex: number, lastLogTerm: number): boolean {
    // TODO: decide whether `voterId` grants its vote.
    //  1. A candidate from an older term than the voter's gets no vote.
    //  2. A newer term than the voter's: the voter adopts it, which also forgets its old vote.
    //  3. The voter already voted for someone else in this term: no vote.
    //  4. The candidate's log must be at least as up to date as the voter's: a higher last term
    //     wins; with equal last terms, the longer (or equal) log wins.
    //  5. Grant: remember the vote (votedFor) and return true.
    return false;
  }

  private becomeLeader(leader: RaftNode): void {
    // TODO: make `leader` the leader.
    //  1. Set its role to LEADER.
    //  2. For every other node: nextIndex = your last log index + 1, matchIndex = 0.
  }

  /** A client write sent to `leaderId`. True only once the entry is on a majority of the cluster. */
  appendEntry(leaderId: number, command: string): boolean {
    // TODO: a client write sent to `leaderId`.
    //  1. Only a live node that believes it is LEADER accepts writes; otherwise return false.
    //  2. Append { term: currentTerm, command, index: last index + 1 } to the leader's own log.
    //  3. Replicate it (this.replicateAndCommit) and return true only if the leader is still
    //     leader and its commitIndex now covers the new entry.
    return false;
  }

  /**
   * Heartbeat: one AppendEntries round from the leader to every reachable follower. It repairs
   * lagging or conflicting logs and tells followers the leader's commit index. Returns whether the
   * sender is still leader afterwards.
   */
  broadcastHeartbeat(leaderId: number): boolean {
    // TODO: one heartbeat round.
    //  1. Only a live LEADER sends heartbeats; otherwise return false.
    //  2. Run this.replicateAndCommit for it, then return whether it is still LEADER.
    return false;
  }

  /** Sends the leader's log to every follower; commits the whole log if a majority now holds it. */
  private replicateAndCommit(leader: RaftNode): boolean {
    // TODO: replicate the leader's log to everyone and commit when a majority holds it.
    //  1. Count the copies of the log: the leader's own, plus one per follower for which
    //     this.sendAppendEntries succeeds.
    //  2. If the leader stepped down during the round, return false at once.
    //  3. With copies from a majority of the WHOLE cluster, and the last entry from the leader's
    //     current term, raise commitIndex to the last log index. Return true. Never count copies
    //     of an entry from an earlier term: it commits only along with one of the current term
    //     (see "Committing entries from earlier terms" in the guide).
    return false;
  }

  /**
   * One AppendEntries exchange from leader to follower, backing off `nextIndex` until the
   * follower's log matches. True when the follower now holds the leader's whole log.
   */
  sendAppendEntries(leaderId: number, followerId: number): boolean {
    // TODO: bring one follower's log in line with the leader's.
    //  1. Give up (false) unless the sender is LEADER and the follower is reachable (this.canDeliver).
    //  2. Take next = nextIndex of the follower. Send this.appendEntries with prevLogIndex = next - 1,
    //     prevLogTerm = the term of the leader's entry there (0 when prevLogIndex is 0), every leader
    //     entry from `next` on, and the leader's commitIndex. Count each attempt in this.messages.
    //  3. Success: nextIndex = last index + 1, matchIndex = last index; return true.
    //  4. Refused and the follower's term is higher: the leader is stale; adopt that term, return false.
    //  5. Refused otherwise: the logs disagree at prevLogIndex. Step nextIndex back by one and try
    //     again, until it succeeds or next is already 1.
    return false;
  }

  /** AppendEntries RPC, as handled by `followerId`. */
  appendEntries(
    followerId: number,
    leaderTerm: number,
    leaderId: number,
    prevLogIndex: number,
    prevLogTerm: number,
    entries: readonly LogEntry[],
    leaderCommit: number,
  ): boolean {
    // TODO: the follower's side of AppendEntries.
    //  1. A leader from an older term is refused.
    //  2. A newer term is adopted; either way the follower is now a FOLLOWER of this leader.
    //  3. The follower must hold an entry at prevLogIndex whose term is prevLogTerm (nothing to
    //     check when prevLogIndex is 0); otherwise refuse, so the leader backs off.
    //  4. Walk the entries: one this follower already has (same index and term) is skipped; at the
    //     first one that conflicts (same index, other term), delete it and everything after it;
    //     then append what is missing, numbering indexes from prevLogIndex + 1.
    //  5. If leaderCommit is above the follower's commitIndex, move commitIndex to the smaller of
    //     leaderCommit and the index of the last entry this message covered, but never lower it:
    //     a late, repeated message may cover fewer entries than are already committed. Return true.
    return false;
  }

  /** The live node that believes it leads, in the highest term; -1 when there is none. */
  getLeader(): number {
    let best: RaftNode | undefined;
    for (const node of this.nodes.values()) {
      if (node.role !== 'LEADER' || this.failed.has(node.id)) continue;
      if (!best || node.currentTerm > best.currentTerm) best = node;
    }
    return best ? best.id : -1;
  }

  getCommittedEntries(nodeId: number): LogEntry[] {
    const node = this.nodes.get(nodeId);
    if (!node) return [];
    return node.log.slice(0, node.commitIndex).map((e) => ({ ...e }));
  }

  getNode(id: number): RaftNodeView {
    const node = this.nodes.get(id);
    if (!node) throw new RangeError(`no node ${id} in this cluster`);
    return Object.freeze({
      id: node.id,
      role: node.role,
      currentTerm: node.currentTerm,
      votedFor: node.votedFor,
      log: Object.freeze(node.log.map((e) => Object.freeze({ ...e }))),
      commitIndex: node.commitIndex,
    });
  }

  simulateFailure(nodeId: number): void {
    this.failed.add(nodeId);
  }

  /** The node restarts as a follower; its term, vote and log survived on disk. */
  simulateRecovery(nodeId: number): void {
    if (!this.failed.delete(nodeId)) return;
    const node = this.nodes.get(nodeId);
    if (node) node.role = 'FOLLOWER';
  }

  /** Cuts the network into groups; nodes listed in no group are cut off from everyone. */
  partition(groups: readonly (readonly number[])[]): void {
    this.groupOf = new Map();
    groups.forEach((group, g) => {
      for (const id of group) this.groupOf!.set(id, g);
    });
  }

  heal(): void {
    this.groupOf = null;
  }

  getMessageCount(): number {
    return this.messages;
  }

  /** Whether a message from `from` reaches `to` (and its reply comes back). */
  private canDeliver(from: number, to: number): boolean {
    if (this.failed.has(from) || this.failed.has(to)) return false;
    if (!this.groupOf) return true;
    const a = this.groupOf.get(from);
    return a !== undefined && a === this.groupOf.get(to);
  }
}
