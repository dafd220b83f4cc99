import type { NodeEnv } from '#workbook/node-env';

/**
 * A message-driven Raft node: election, log replication, commitment and persistence, driven only by
 * the messages it receives and a 10 ms tick. The cluster (in grading, a seeded simulator) hands it
 * everything it may touch through the constructor: `send`, timers, a persister, a random source and
 * the `apply` callback that receives committed commands.
 *
 * Log indexes start at 1; index 0 means "before the first entry" and has term 0.
 *
 * Reported symptom: on a network with long delays, a candidate became leader although only it had voted
 * for itself in that term. Brief: exercises/raft/debugging/README.md ("A leader nobody chose").
 * Grade it: npm run exercise -- run raft/debugging/late-vote
 */

export type Role = 'follower' | 'candidate' | 'leader';

export interface LogEntry {
  readonly term: number;
  readonly command: string;
}

export type RaftMessage =
  | { readonly type: 'RequestVote'; readonly term: number; readonly candidateId: number; readonly lastLogIndex: number; readonly lastLogTerm: number }
  | { readonly type: 'RequestVoteReply'; readonly term: number; readonly voteGranted: boolean; readonly from: number }
  | {
    readonly type: 'AppendEntries'; readonly term: number; readonly leaderId: number; readonly prevLogIndex: number;
    readonly prevLogTerm: number; readonly entries: readonly LogEntry[]; readonly leaderCommit: number;
  }
  | { readonly type: 'AppendEntriesReply'; readonly term: number; readonly success: boolean; readonly from: number; readonly matchIndex: number };

/** What survives a crash: written before the node answers or sends anything that depends on it. */
export interface PersistentState {
  readonly currentTerm: number;
  readonly votedFor: number | null;
  readonly log: readonly LogEntry[];
}

/** What the node hands to the service above it, once per committed entry, in index order. */
export interface Applied {
  readonly index: number;
  readonly command: string;
}

export type ClientReply = { readonly ok: true; readonly index: number; readonly term: number } | { readonly ok: false; readonly leaderId: number | null };

export const TICK_MS = 10;
export const HEARTBEAT_MS = 50;
export const ELECTION_TIMEOUT_MIN_MS = 150;
export const ELECTION_TIMEOUT_MAX_MS = 300;

export class RaftNode {
  role: Role = 'follower';
  currentTerm = 0;
  votedFor: number | null = null;
  log: LogEntry[] = [];
  commitIndex = 0;
  lastApplied = 0;
  leaderId: number | null = null;

  private readonly nextIndex = new Map<number, number>();
  private readonly matchIndex = new Map<number, number>();
  private votes = new Set<number>();
  private lastHeard: number;
  private electionTimeout: number;
  private lastHeartbeatSent = -Infinity;

  readonly id: number;
  /** The other nodes of the cluster. */
  readonly peers: readonly number[];

  constructor(private readonly env: NodeEnv<RaftMessage, Applied>) {
    this.id = env.id;
    this.peers = env.peers.filter((p) => p !== env.id);
    const saved = env.persister.readState() as PersistentState | undefined;
    if (saved) {
      this.currentTerm = saved.currentTerm;
      this.votedFor = saved.votedFor;
      this.log = saved.log.map((e) => ({ ...e }));
    }
    this.lastHeard = env.clock.now();
    this.electionTimeout = this.randomElectionTimeout();
    env.clock.setInterval(() => this.tick(), TICK_MS);
  }

  lastLogIndex(): number {
    return this.log.length;
  }

  termAt(index: number): number {
    return index === 0 ? 0 : (this.log[index - 1]?.term ?? -1);
  }

  handleClientRequest(command: string): ClientReply {
    if (this.role !== 'leader') return { ok: false, leaderId: this.leaderId };
    this.log.push({ term: this.currentTerm, command });
    this.persist();
    this.broadcastAppendEntries();
    return { ok: true, index: this.lastLogIndex(), term: this.currentTerm };
  }

  receive(from: number, message: RaftMessage): void {
    switch (message.type) {
      case 'RequestVote': return this.handleVoteRequest(from, message);
      case 'RequestVoteReply': return this.handleVoteReply(message);
      case 'AppendEntries': return this.handleAppendEntries(from, message);
      case 'AppendEntriesReply': return this.handleAppendEntriesReply(message);
    }
  }

  private tick(): void {
    const now = this.env.clock.now();
    if (this.role === 'leader') {
      if (now - this.lastHeartbeatSent >= HEARTBEAT_MS) this.broadcastAppendEntries();
    } else if (now - this.lastHeard > this.electionTimeout) {
      this.startElection();
    }
  }

  private handleVoteRequest(from: number, request: Extract<RaftMessage, { type: 'RequestVote' }>): void {
    if (request.term > this.currentTerm) this.stepDown(request.term);
    const lastTerm = this.termAt(this.lastLogIndex());
    const upToDate = request.lastLogTerm > lastTerm || (request.lastLogTerm === lastTerm && request.lastLogIndex >= this.lastLogIndex());
    const grant = request.term === this.currentTerm && (this.votedFor === null || this.votedFor === request.candidateId) && upToDate;
    if (grant) {
      this.votedFor = request.candidateId;
      this.lastHeard = this.env.clock.now();
    }
    this.persist();
    this.env.send(from, { type: 'RequestVoteReply', term: this.currentTerm, voteGranted: grant, from: this.id });
  }

  private handleVoteReply(reply: Extract<RaftMessage, { type: 'RequestVoteReply' }>): void {
    if (reply.term > this.currentTerm) {
      this.stepDown(reply.term);
      this.persist();
      return;
    }
    if (this.role !== 'candidate' || !reply.voteGranted) return;
    this.votes.add(reply.from);
    if (this.votes.size > (this.peers.length + 1) / 2) this.becomeLeader();
  }

  private handleAppendEntries(from: number, request: Extract<RaftMessage, { type: 'AppendEntries' }>): void {
    if (request.term < this.currentTerm) {
      this.env.send(from, { type: 'AppendEntriesReply', term: this.currentTerm, success: false, from: this.id, matchIndex: 0 });
      return;
    }
    // Only a leader of the current term proves the cluster is alive.
    this.lastHeard = this.env.clock.now();
    if (request.term > this.currentTerm) this.stepDown(request.term);
    this.role = 'follower';
    this.leaderId = request.leaderId;

    if (this.termAt(request.prevLogIndex) !== request.prevLogTerm) {
      this.persist();
      this.env.send(from, { type: 'AppendEntriesReply', term: this.currentTerm, success: false, from: this.id, matchIndex: 0 });
      return;
    }
    let index = request.prevLogIndex;
    for (const entry of request.entries) {
      index++;
      // Truncate only at a real conflict: an older, shorter AppendEntries must not cut entries already acknowledged.
      if (this.termAt(index) !== entry.term) {
        this.log.length = index - 1;
        this.log.push({ ...entry });
      }
    }
    this.persist();
    const lastNew = request.prevLogIndex + request.entries.length;
    if (request.leaderCommit > this.commitIndex) this.advanceCommit(Math.min(request.leaderCommit, lastNew));
    this.env.send(from, { type: 'AppendEntriesReply', term: this.currentTerm, success: true, from: this.id, matchIndex: lastNew });
  }

  private handleAppendEntriesReply(reply: Extract<RaftMessage, { type: 'AppendEntriesReply' }>): void {
    if (reply.term > this.currentTerm) {
      this.stepDown(reply.term);
      this.persist();
      return;
    }
    if (this.role !== 'leader' || reply.term !== this.currentTerm) return;
    if (reply.success) {
      // Replies can arrive late and out of order: matchIndex only grows.
      const match = Math.max(this.matchIndex.get(reply.from) ?? 0, reply.matchIndex);
      this.matchIndex.set(reply.from, match);
      this.nextIndex.set(reply.from, match + 1);
      this.advanceLeaderCommit();
    } else {
      this.nextIndex.set(reply.from, Math.max(1, (this.nextIndex.get(reply.from) ?? 1) - 1));
    }
  }

  private startElection(): void {
    this.role = 'candidate';
    this.currentTerm++;
    this.votedFor = this.id;
    this.leaderId = null;
    this.votes = new Set([this.id]);
    this.lastHeard = this.env.clock.now();
    this.electionTimeout = this.randomElectionTimeout();
    this.persist();
    const lastLogIndex = this.lastLogIndex();
    for (const peer of this.peers) {
      this.env.send(peer, { type: 'RequestVote', term: this.currentTerm, candidateId: this.id, lastLogIndex, lastLogTerm: this.termAt(lastLogIndex) });
    }
    if (this.votes.size > (this.peers.length + 1) / 2) this.becomeLeader();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.leaderId = this.id;
    for (const peer of this.peers) {
      this.nextIndex.set(peer, this.lastLogIndex() + 1);
      this.matchIndex.set(peer, 0);
    }
    this.broadcastAppendEntries();
  }

  private broadcastAppendEntries(): void {
    this.lastHeartbeatSent = this.env.clock.now();
    for (const peer of this.peers) {
      const next = this.nextIndex.get(peer) ?? this.lastLogIndex() + 1;
      const prevLogIndex = next - 1;
      this.env.send(peer, {
        type: 'AppendEntries', term: this.currentTerm, leaderId: this.id, prevLogIndex, prevLogTerm: this.termAt(prevLogIndex),
        entries: this.log.slice(prevLogIndex), leaderCommit: this.commitIndex,
      });
    }
  }

  /** An entry of the current term on a majority is committed, and everything before it with it. */
  private advanceLeaderCommit(): void {
    for (let index = this.lastLogIndex(); index > this.commitIndex; index--) {
      if (this.termAt(index) !== this.currentTerm) break;
      const copies = 1 + this.peers.filter((p) => (this.matchIndex.get(p) ?? 0) >= index).length;
      if (copies > (this.peers.length + 1) / 2) {
        this.advanceCommit(index);
        return;
      }
    }
  }

  private advanceCommit(index: number): void {
    this.commitIndex = Math.max(this.commitIndex, index);
    while (this.lastApplied < this.commitIndex) {
      this.lastApplied++;
      this.env.apply({ index: this.lastApplied, command: this.log[this.lastApplied - 1]!.command });
    }
  }

  private stepDown(term: number): void {
    this.currentTerm = term;
    this.votedFor = null;
    this.role = 'follower';
    this.leaderId = null;
  }

  private persist(): void {
    this.env.persister.save({ currentTerm: this.currentTerm, votedFor: this.votedFor, log: this.log.map((e) => ({ ...e })) });
  }

  private randomElectionTimeout(): number {
    return ELECTION_TIMEOUT_MIN_MS + Math.floor(this.env.random() * (ELECTION_TIMEOUT_MAX_MS - ELECTION_TIMEOUT_MIN_MS));
  }
}
