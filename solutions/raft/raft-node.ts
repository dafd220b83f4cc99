import type {
  AppendEntries, AppendReply, ClientReply, InstallSnapshot, LogEntry, NodeId, RaftEnv, RaftMessage, RaftView, RequestVote,
  Role, SnapshotReply, VoteReply,
} from '#workbook/raft-node';

/**
 * A Raft node driven by messages and timers, on the workbook's network simulator. All four
 * exercises of the raft module grade this one file, each a larger part of it:
 *   1. leader election      RequestVote, VoteReply, heartbeats, election timeouts
 *   2. log replication      handleClientRequest, AppendEntries, AppendReply, commit and apply
 *   3. persistence          persist() before replying, restore in the constructor
 *   4. log compaction       snapshot(), InstallSnapshot, SnapshotReply, indexes past a snapshot
 */

// Timing from the chapter's node, in virtual ms.
export const TICK_MS = 10;
export const HEARTBEAT_MS = 50;
export const ELECTION_TIMEOUT_MIN_MS = 150;
export const ELECTION_TIMEOUT_MAX_MS = 300;
export const RPC_TIMEOUT_MS = 100;

interface Saved {
  term: number;
  votedFor: NodeId | null;
  log: LogEntry[];
  snapshotIndex: number;
  snapshotTerm: number;
}

export class RaftNode {
  // Persistent: saved by persist() before any reply or request that depends on it goes out.
  private term = 0;
  private votedFor: NodeId | null = null;
  /** Entries after the snapshot: log[0] has index snapshotIndex + 1. */
  private log: LogEntry[] = [];
  private snapshotIndex = 0;
  private snapshotTerm = 0;
  private snapshotData = '';

  // Volatile: lost in a crash.
  private role: Role = 'follower';
  private leaderId: NodeId | null = null;
  private commitIndex = 0;
  private lastApplied = 0;
  private electionDeadline = 0;
  private lastBroadcast = 0;
  private votes = new Set<NodeId>();
  private voteAskedAt = 0;
  private readonly nextIndex = new Map<NodeId, number>();
  private readonly matchIndex = new Map<NodeId, number>();

  constructor(private readonly env: RaftEnv) {
    const saved = env.persister.readState() as Saved | undefined;
    if (saved) {
      ({ term: this.term, votedFor: this.votedFor, log: this.log, snapshotIndex: this.snapshotIndex, snapshotTerm: this.snapshotTerm } = saved);
      this.snapshotData = (env.persister.readSnapshot() as string | undefined) ?? '';
      if (this.snapshotIndex > 0) {
        this.commitIndex = this.lastApplied = this.snapshotIndex;
        env.apply({ kind: 'snapshot', index: this.snapshotIndex, term: this.snapshotTerm, data: this.snapshotData });
      }
    }
    this.resetElectionTimer();
    env.clock.setInterval(() => this.tick(), TICK_MS);
  }

  // ---- the client and the service ----------------------------------------------------------

  handleClientRequest(command: string): ClientReply {
    if (this.role !== 'leader') return { ok: false, leader: this.leaderId };
    const entry: LogEntry = { index: this.lastIndex() + 1, term: this.term, command };
    this.log.push(entry);
    this.persist();
    this.advanceCommit(); // a cluster of one commits at once
    for (const peer of this.others()) this.sendAppend(peer);
    return { ok: true, index: entry.index, term: entry.term };
  }

  /** The service has applied everything through `index`; `data` is its state. Drop the log up to there. */
  snapshot(index: number, data: string): void {
    if (index <= this.snapshotIndex || index > this.lastApplied) return;
    this.snapshotTerm = this.termAt(index)!;
    this.log = this.log.slice(index - this.snapshotIndex);
    this.snapshotIndex = index;
    this.snapshotData = data;
    this.persist(true);
  }

  /** The log as it is, not a copy: the grader only reads it, and keeps its own record. */
  inspect(): RaftView {
    return {
      term: this.term, role: this.role, votedFor: this.votedFor, commitIndex: this.commitIndex,
      log: this.log, snapshotIndex: this.snapshotIndex, snapshotTerm: this.snapshotTerm,
    };
  }

  receive(from: NodeId, message: RaftMessage): void {
    switch (message.type) {
      case 'RequestVote': return this.handleVoteRequest(from, message);
      case 'VoteReply': return this.handleVoteReply(from, message);
      case 'AppendEntries': return this.handleAppendEntries(from, message);
      case 'AppendReply': return this.handleAppendReply(from, message);
      case 'InstallSnapshot': return this.handleInstallSnapshot(from, message);
      case 'SnapshotReply': return this.handleSnapshotReply(from, message);
    }
  }

  // ---- timers --------------------------------------------------------------------------------

  private tick(): void {
    const now = this.env.clock.now();
    if (this.role === 'leader') {
      if (now - this.lastBroadcast >= HEARTBEAT_MS) this.broadcastAppend();
    } else if (now >= this.electionDeadline) {
      this.startElection();
    } else if (this.role === 'candidate' && now - this.voteAskedAt >= RPC_TIMEOUT_MS) {
      this.askForVotes(); // requests or replies may have been lost: ask those who have not answered
    }
  }

  private resetElectionTimer(): void {
    const span = ELECTION_TIMEOUT_MAX_MS - ELECTION_TIMEOUT_MIN_MS;
    this.electionDeadline = this.env.clock.now() + ELECTION_TIMEOUT_MIN_MS + Math.floor(this.env.random() * (span + 1));
  }

  // ---- elections -----------------------------------------------------------------------------

  private startElection(): void {
    this.term += 1;
    this.role = 'candidate';
    this.votedFor = this.env.id;
    this.leaderId = null;
    this.votes = new Set([this.env.id]);
    this.persist();
    this.resetElectionTimer();
    if (this.votes.size >= this.majority()) return this.becomeLeader();
    this.askForVotes();
  }

  private askForVotes(): void {
    this.voteAskedAt = this.env.clock.now();
    const request: RequestVote = { type: 'RequestVote', term: this.term, candidateId: this.env.id, lastLogIndex: this.lastIndex(), lastLogTerm: this.lastTerm() };
    for (const peer of this.others()) if (!this.votes.has(peer)) this.env.send(peer, request);
  }

  private handleVoteRequest(from: NodeId, m: RequestVote): void {
    if (m.term > this.term) this.adoptTerm(m.term);
    const upToDate = m.lastLogTerm > this.lastTerm() || (m.lastLogTerm === this.lastTerm() && m.lastLogIndex >= this.lastIndex());
    const grant = m.term === this.term && (this.votedFor === null || this.votedFor === m.candidateId) && upToDate;
    if (grant) {
      this.votedFor = m.candidateId;
      this.persist();
      this.resetElectionTimer();
    }
    this.env.send(from, { type: 'VoteReply', term: this.term, voteGranted: grant });
  }

  private handleVoteReply(from: NodeId, m: VoteReply): void {
    if (m.term > this.term) return this.adoptTerm(m.term);
    // A reply from an earlier election, arriving late, is no vote in this one.
    if (this.role !== 'candidate' || m.term !== this.term || !m.voteGranted) return;
    this.votes.add(from);
    if (this.votes.size >= this.majority()) this.becomeLeader();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.leaderId = this.env.id;
    for (const peer of this.others()) {
      this.nextIndex.set(peer, this.lastIndex() + 1);
      this.matchIndex.set(peer, 0);
    }
    this.broadcastAppend();
  }

  /** A newer term: become its follower, with no vote cast in it yet. */
  private adoptTerm(term: number): void {
    this.term = term;
    this.votedFor = null;
    this.role = 'follower';
    this.leaderId = null;
    this.persist();
  }

  // ---- replication: the leader's side ---------------------------------------------------------

  private broadcastAppend(): void {
    this.lastBroadcast = this.env.clock.now();
    for (const peer of this.others()) this.sendAppend(peer);
  }

  private sendAppend(peer: NodeId): void {
    const next = this.nextIndex.get(peer) ?? this.lastIndex() + 1;
    if (next <= this.snapshotIndex) {
      const m: InstallSnapshot = { type: 'InstallSnapshot', term: this.term, leaderId: this.env.id, lastIncludedIndex: this.snapshotIndex, lastIncludedTerm: this.snapshotTerm, data: this.snapshotData };
      return this.env.send(peer, m);
    }
    const prevLogIndex = next - 1;
    const m: AppendEntries = {
      type: 'AppendEntries', term: this.term, leaderId: this.env.id, prevLogIndex, prevLogTerm: this.termAt(prevLogIndex)!,
      entries: this.log.slice(next - this.snapshotIndex - 1), leaderCommit: this.commitIndex,
    };
    this.env.send(peer, m);
  }

  private handleAppendReply(from: NodeId, m: AppendReply): void {
    if (m.term > this.term) return this.adoptTerm(m.term);
    if (this.role !== 'leader' || m.term !== this.term) return;
    const match = this.matchIndex.get(from) ?? 0;
    if (m.success) {
      // Replies can come late and out of order: what a follower holds only ever grows.
      if (m.matchIndex > match) this.matchIndex.set(from, m.matchIndex);
      this.nextIndex.set(from, Math.max(this.nextIndex.get(from) ?? 1, this.matchIndex.get(from)! + 1));
      this.advanceCommit();
      if (this.nextIndex.get(from)! <= this.lastIndex()) this.sendAppend(from);
      return;
    }
    // Fast backup: skip the follower's whole conflicting term in one step, not one entry per round trip.
    let next = m.conflictIndex;
    if (m.conflictTerm > 0) {
      for (let i = this.lastIndex(); i > this.snapshotIndex; i--) {
        if (this.termAt(i) === m.conflictTerm) { next = i + 1; break; }
      }
    }
    this.nextIndex.set(from, Math.max(match + 1, Math.min(next, this.lastIndex() + 1)));
    this.sendAppend(from);
  }

  private handleSnapshotReply(from: NodeId, m: SnapshotReply): void {
    if (m.term > this.term) return this.adoptTerm(m.term);
    if (this.role !== 'leader' || m.term !== this.term) return;
    if (m.lastIncludedIndex > (this.matchIndex.get(from) ?? 0)) this.matchIndex.set(from, m.lastIncludedIndex);
    this.nextIndex.set(from, Math.max(this.nextIndex.get(from) ?? 1, this.matchIndex.get(from)! + 1));
    this.advanceCommit();
    if (this.nextIndex.get(from)! <= this.lastIndex()) this.sendAppend(from);
  }

  /** Commit the highest index of THIS term stored on a majority; earlier entries commit with it. */
  private advanceCommit(): void {
    for (let n = this.lastIndex(); n > this.commitIndex; n--) {
      if (this.termAt(n) !== this.term) break; // older terms' entries are never committed by counting
      const copies = 1 + this.others().filter((p) => (this.matchIndex.get(p) ?? 0) >= n).length;
      if (copies >= this.majority()) {
        this.commitIndex = n;
        this.applyCommitted();
        return;
      }
    }
  }

  // ---- replication: the follower's side -------------------------------------------------------

  /** Shared by AppendEntries and InstallSnapshot; false when the leader's term is stale. */
  private heardFromLeader(term: number, leaderId: NodeId): boolean {
    if (term < this.term) return false;
    if (term > this.term) this.adoptTerm(term);
    this.role = 'follower';
    this.leaderId = leaderId;
    this.resetElectionTimer();
    return true;
  }

  private handleAppendEntries(from: NodeId, m: AppendEntries): void {
    const refuse = (conflictTerm: number, conflictIndex: number): void =>
      this.env.send(from, { type: 'AppendReply', term: this.term, success: false, matchIndex: 0, conflictTerm, conflictIndex });
    if (!this.heardFromLeader(m.term, m.leaderId)) return refuse(0, 0);

    // Entries the snapshot already covers are committed, hence the leader's too: skip them.
    let prevLogIndex = m.prevLogIndex;
    let entries = m.entries;
    if (prevLogIndex < this.snapshotIndex) {
      entries = entries.filter((e) => e.index > this.snapshotIndex);
      prevLogIndex = this.snapshotIndex;
    } else if (prevLogIndex > this.lastIndex()) {
      return refuse(0, this.lastIndex() + 1);
    } else if (this.termAt(prevLogIndex) !== m.prevLogTerm) {
      const conflictTerm = this.termAt(prevLogIndex)!;
      let first = prevLogIndex;
      while (first - 1 > this.snapshotIndex && this.termAt(first - 1) === conflictTerm) first--;
      return refuse(conflictTerm, first);
    }

    let changed = false;
    for (const e of entries) {
      const mine = this.termAt(e.index);
      if (mine === e.term) continue;
      // Truncate only at a real conflict: a late, shorter request must not cut entries that agree.
      if (mine !== undefined) this.log.length = e.index - this.snapshotIndex - 1;
      this.log.push({ index: e.index, term: e.term, command: e.command });
      changed = true;
    }
    if (changed) this.persist();

    const covered = m.prevLogIndex + m.entries.length;
    if (m.leaderCommit > this.commitIndex) {
      this.commitIndex = Math.max(this.commitIndex, Math.min(m.leaderCommit, covered));
      this.applyCommitted();
    }
    this.env.send(from, { type: 'AppendReply', term: this.term, success: true, matchIndex: covered, conflictTerm: 0, conflictIndex: 0 });
  }

  private handleInstallSnapshot(from: NodeId, m: InstallSnapshot): void {
    if (!this.heardFromLeader(m.term, m.leaderId)) {
      return this.env.send(from, { type: 'SnapshotReply', term: this.term, lastIncludedIndex: 0 });
    }
    if (m.lastIncludedIndex > this.lastApplied) {
      // Keep what follows the snapshot only if the log agrees with it there.
      const keep = this.termAt(m.lastIncludedIndex) === m.lastIncludedTerm ? this.log.slice(m.lastIncludedIndex - this.snapshotIndex) : [];
      this.log = keep;
      this.snapshotIndex = m.lastIncludedIndex;
      this.snapshotTerm = m.lastIncludedTerm;
      this.snapshotData = m.data;
      this.persist(true);
      this.commitIndex = Math.max(this.commitIndex, m.lastIncludedIndex);
      this.lastApplied = m.lastIncludedIndex;
      this.env.apply({ kind: 'snapshot', index: m.lastIncludedIndex, term: m.lastIncludedTerm, data: m.data });
      this.applyCommitted();
    }
    this.env.send(from, { type: 'SnapshotReply', term: this.term, lastIncludedIndex: m.lastIncludedIndex });
  }

  // ---- shared --------------------------------------------------------------------------------

  /** Each committed entry goes to the service exactly once, in index order. */
  private applyCommitted(): void {
    while (this.lastApplied < this.commitIndex) {
      this.lastApplied += 1;
      const e = this.log[this.lastApplied - this.snapshotIndex - 1]!;
      this.env.apply({ kind: 'command', index: e.index, term: e.term, command: e.command });
    }
  }

  private persist(withSnapshot = false): void {
    const state: Saved = { term: this.term, votedFor: this.votedFor, log: this.log, snapshotIndex: this.snapshotIndex, snapshotTerm: this.snapshotTerm };
    if (withSnapshot) this.env.persister.save(state, this.snapshotData);
    else this.env.persister.save(state);
  }

  private others(): NodeId[] {
    return this.env.peers.filter((p) => p !== this.env.id);
  }

  private majority(): number {
    return Math.floor(this.env.peers.length / 2) + 1;
  }

  private lastIndex(): number {
    return this.snapshotIndex + this.log.length;
  }

  private lastTerm(): number {
    return this.log.length > 0 ? this.log[this.log.length - 1]!.term : this.snapshotTerm;
  }

  /** Term of the entry at `index`: 0 before the log, undefined if compacted away or missing. */
  private termAt(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index < this.snapshotIndex) return undefined;
    return this.log[index - this.snapshotIndex - 1]?.term;
  }
}
