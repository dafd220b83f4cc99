/**
 * Raft consensus (reference solution): leader election with terms, log replication with
 * AppendEntries, and commit once a majority of the WHOLE cluster holds an entry.
 *
 * The network is simulated: an RPC is a direct method call, delivered only when both ends are
 * alive and in the same partition group. A reply carries the receiver's term, which the sender
 * reads straight from the receiver's state after the call.
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
    this.currentTerm = term;
    this.votedFor = -1;
    this.role = 'FOLLOWER';
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
    const candidate = this.nodes.get(candidateId);
    if (!candidate || this.failed.has(candidateId)) return false;

    candidate.currentTerm += 1;
    candidate.role = 'CANDIDATE';
    candidate.votedFor = candidateId;
    const term = candidate.currentTerm;

    let votes = 1; // its own vote
    for (const voterId of this.nodes.keys()) {
      if (voterId === candidateId || !this.canDeliver(candidateId, voterId)) continue;
      this.messages += 1;
      const granted = this.requestVote(voterId, candidateId, term, candidate.lastLogIndex(), candidate.lastLogTerm());
      const replyTerm = this.nodes.get(voterId)!.currentTerm;
      if (replyTerm > candidate.currentTerm) {
        // Someone is already in a later term: this election is over.
        candidate.adoptTerm(replyTerm);
        return false;
      }
      if (granted) votes += 1;
    }

    if (candidate.role === 'CANDIDATE' && candidate.currentTerm === term && votes >= this.majority) {
      this.becomeLeader(candidate);
      return true;
    }
    return false;
  }

  /** RequestVote RPC, as handled by `voterId`. Returns whether the vote is granted. */
  requestVote(voterId: number, candidateId: number, candidateTerm: number, lastLogIndex: number, lastLogTerm: number): boolean {
    const voter = this.nodes.get(voterId);
    if (!voter) return false;

    if (candidateTerm < voter.currentTerm) return false;
    // A newer term starts with a clean slate: the vote cast in an older term does not bind this one.
    if (candidateTerm > voter.currentTerm) voter.adoptTerm(candidateTerm);

    if (voter.votedFor !== -1 && voter.votedFor !== candidateId) return false;

    // Only a candidate whose log holds everything this voter has may lead: compare last terms, then lengths.
    const upToDate =
      lastLogTerm > voter.lastLogTerm() || (lastLogTerm === voter.lastLogTerm() && lastLogIndex >= voter.lastLogIndex());
    if (!upToDate) return false;

    voter.votedFor = candidateId;
    return true;
  }

  private becomeLeader(leader: RaftNode): void {
    leader.role = 'LEADER';
    for (const id of this.nodes.keys()) {
      if (id === leader.id) continue;
      // Optimistic: assume the follower matches; sendAppendEntries backs off when it does not.
      leader.nextIndex.set(id, leader.lastLogIndex() + 1);
      leader.matchIndex.set(id, 0);
    }
  }

  /** A client write sent to `leaderId`. True only once the entry is on a majority of the cluster. */
  appendEntry(leaderId: number, command: string): boolean {
    const leader = this.nodes.get(leaderId);
    if (!leader || this.failed.has(leaderId) || leader.role !== 'LEADER') return false;

    const index = leader.lastLogIndex() + 1;
    leader.log.push({ term: leader.currentTerm, command, index });
    return this.replicateAndCommit(leader) && leader.commitIndex >= index;
  }

  /**
   * Heartbeat: one AppendEntries round from the leader to every reachable follower. It repairs
   * lagging or conflicting logs and tells followers the leader's commit index. Returns whether the
   * sender is still leader afterwards.
   */
  broadcastHeartbeat(leaderId: number): boolean {
    const leader = this.nodes.get(leaderId);
    if (!leader || this.failed.has(leaderId) || leader.role !== 'LEADER') return false;
    this.replicateAndCommit(leader);
    return leader.role === 'LEADER';
  }

  /** Sends the leader's log to every follower; commits the whole log if a majority now holds it. */
  private replicateAndCommit(leader: RaftNode): boolean {
    let copies = 1; // the leader's own log holds every entry: it is one of the majority
    for (const followerId of this.nodes.keys()) {
      if (followerId === leader.id) continue;
      if (this.sendAppendEntries(leader.id, followerId)) copies += 1;
      if (leader.role !== 'LEADER') return false; // stepped down mid-round
    }
    // Only an entry of the leader's own term may be committed by counting copies (older ones
    // are committed along with it, as its prefix).
    if (copies >= this.majority && leader.lastLogTerm() === leader.currentTerm) {
      leader.commitIndex = Math.max(leader.commitIndex, leader.lastLogIndex());
    }
    return true;
  }

  /**
   * One AppendEntries exchange from leader to follower, backing off `nextIndex` until the
   * follower's log matches. True when the follower now holds the leader's whole log.
   */
  sendAppendEntries(leaderId: number, followerId: number): boolean {
    const leader = this.nodes.get(leaderId);
    const follower = this.nodes.get(followerId);
    if (!leader || !follower || leaderId === followerId || leader.role !== 'LEADER') return false;
    if (!this.canDeliver(leaderId, followerId)) return false;

    for (;;) {
      const next = Math.min(leader.nextIndex.get(followerId) ?? leader.lastLogIndex() + 1, leader.lastLogIndex() + 1);
      const prevLogIndex = next - 1;
      const prevLogTerm = prevLogIndex > 0 ? leader.log[prevLogIndex - 1]!.term : 0;
      const entries = leader.log.slice(prevLogIndex);

      this.messages += 1;
      const ok = this.appendEntries(followerId, leader.currentTerm, leaderId, prevLogIndex, prevLogTerm, entries, leader.commitIndex);
      if (ok) {
        leader.nextIndex.set(followerId, leader.lastLogIndex() + 1);
        leader.matchIndex.set(followerId, leader.lastLogIndex());
        return true;
      }
      if (follower.currentTerm > leader.currentTerm) {
        // The reply shows a newer term: this leader is stale and must stop leading.
        leader.adoptTerm(follower.currentTerm);
        return false;
      }
      if (next <= 1) return false;
      leader.nextIndex.set(followerId, next - 1);
    }
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
    const follower = this.nodes.get(followerId);
    if (!follower || followerId === leaderId) return false;

    if (leaderTerm < follower.currentTerm) return false;
    if (leaderTerm > follower.currentTerm) follower.adoptTerm(leaderTerm);
    // A valid leader exists for this term, so a candidate of the same term gives up too.
    follower.role = 'FOLLOWER';

    // The log matching check: our entry just before the new ones must be the leader's.
    if (prevLogIndex > 0) {
      if (prevLogIndex > follower.log.length) return false;
      if (follower.log[prevLogIndex - 1]!.term !== prevLogTerm) return false;
    }

    let index = prevLogIndex;
    for (const entry of entries) {
      index += 1;
      const mine = follower.log[index - 1];
      if (mine && mine.term === entry.term) continue; // already have it; a late, repeated RPC must not cut the log
      if (mine) follower.log.length = index - 1; // conflict: drop this entry and everything after it
      follower.log.push({ term: entry.term, command: entry.command, index });
    }

    // Entries past `index` were not checked against the leader, so they cannot be called committed.
    if (leaderCommit > follower.commitIndex) {
      follower.commitIndex = Math.max(follower.commitIndex, Math.min(leaderCommit, index));
    }
    return true;
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
