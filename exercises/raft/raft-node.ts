import type {
  AppendEntries, AppendReply, ClientReply, InstallSnapshot, LogEntry, NodeId, RaftEnv, RaftMessage, RaftView, RequestVote,
  Role, SnapshotReply, VoteReply,
} from '#workbook/raft-node';

/**
 * A Raft node driven by messages and timers, on the workbook's network simulator.
 * The four exercises of the raft module all grade THIS file, each a larger part of it:
 *   1. leader election      startElection, handleVoteRequest, handleVoteReply, heartbeats in tick
 *   2. log replication      handleClientRequest, sendAppend, handleAppendEntries, handleAppendReply, commit, apply
 *   3. persistence          persist() before replying, restore in the constructor
 *   4. log compaction       snapshot(), InstallSnapshot, SnapshotReply, indexes past a snapshot
 * Guide: `npm run exercise -- guide raft`. Types of the messages: checker/support/raft-node.ts.
 *
 * Rules of the simulator: no Math.random, Date or setTimeout of your own. Use env.clock,
 * env.random(), env.send(to, message), env.persister and env.apply(...). Handle each message or
 * timer and return; never wait. Log indexes are 1-based; index 0 (term 0) is "before the log".
 */

// Timing from the chapter's node, in virtual ms.
export const TICK_MS = 10;
export const HEARTBEAT_MS = 50;
export const ELECTION_TIMEOUT_MIN_MS = 150;
export const ELECTION_TIMEOUT_MAX_MS = 300;
export const RPC_TIMEOUT_MS = 100;

export class RaftNode {
  // Persistent state (exercise 3: save it before replying, restore it in the constructor).
  private term = 0;
  private votedFor: NodeId | null = null;
  /** Entries after the snapshot: log[0] has index snapshotIndex + 1 (exercise 4). */
  private log: LogEntry[] = [];
  private snapshotIndex = 0;
  private snapshotTerm = 0;
  private snapshotData = '';

  // Volatile state.
  private role: Role = 'follower';
  private leaderId: NodeId | null = null;
  private commitIndex = 0;
  private lastApplied = 0;
  private electionDeadline = 0;
  private lastBroadcast = 0;
  private votes = new Set<NodeId>();
  private readonly nextIndex = new Map<NodeId, number>();
  private readonly matchIndex = new Map<NodeId, number>();

  constructor(private readonly env: RaftEnv) {
    // TODO (exercise 3): restore term, votedFor and log from env.persister.readState().
    // TODO (exercise 4): if a snapshot was saved, hand it to the service first (env.apply) and
    //                    start commitIndex and lastApplied at snapshotIndex.
    this.resetElectionTimer();
    env.clock.setInterval(() => this.tick(), TICK_MS);
  }

  // ---- the client and the service ----------------------------------------------------------

  /** A client's command. On the leader: append it, replicate it, answer {ok: true, index, term}. */
  handleClientRequest(command: string): ClientReply {
    // TODO (exercise 2): a non-leader answers {ok: false, leader: the leader it knows, or null}.
    void command;
    return { ok: false, leader: null };
  }

  /** The service has applied everything through `index`; `data` is its state. Drop the log up to there. */
  snapshot(index: number, data: string): void {
    // TODO (exercise 4)
    void index;
    void data;
  }

  /**
   * What the grader reads of this node, after every event. Keep it true to your state. The log is
   * handed out as it is, not copied: the grader only reads it, and keeps its own record.
   */
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

  /** Every TICK_MS. */
  private tick(): void {
    // TODO (exercise 1): a leader broadcasts AppendEntries every HEARTBEAT_MS; anyone else whose
    // electionDeadline has passed starts an election. Optionally, a candidate asks again (after
    // RPC_TIMEOUT_MS) the nodes that have not answered.
  }

  private resetElectionTimer(): void {
    // TODO (exercise 1): electionDeadline = now + a random timeout in
    // [ELECTION_TIMEOUT_MIN_MS, ELECTION_TIMEOUT_MAX_MS], drawn from this.env.random().
  }

  // ---- elections (exercise 1) ----------------------------------------------------------------

  private startElection(): void {
    // TODO: next term, vote for yourself, ask every other node with RequestVote.
  }

  private handleVoteRequest(from: NodeId, m: RequestVote): void {
    // TODO: adopt a newer term; grant at most one vote per term, only to a candidate whose log is
    // at least as up to date as yours (exercise 2 makes that rule matter); answer with VoteReply.
    void from;
    void m;
  }

  private handleVoteReply(from: NodeId, m: VoteReply): void {
    // TODO: count granted votes of THIS election; a majority of the whole cluster makes you leader.
    void from;
    void m;
  }

  // ---- replication: the leader's side (exercise 2) ---------------------------------------------

  private sendAppend(peer: NodeId): void {
    // TODO: AppendEntries with the entries from nextIndex on (exercise 4: or InstallSnapshot).
    void peer;
  }

  private handleAppendReply(from: NodeId, m: AppendReply): void {
    // TODO: on success raise matchIndex/nextIndex and try to commit; on refusal back up nextIndex
    // using conflictTerm/conflictIndex and send again.
    void from;
    void m;
  }

  private handleSnapshotReply(from: NodeId, m: SnapshotReply): void {
    // TODO (exercise 4)
    void from;
    void m;
  }

  // ---- replication: the follower's side ------------------------------------------------------

  private handleAppendEntries(from: NodeId, m: AppendEntries): void {
    // TODO (exercise 1): refuse an older term; otherwise follow this leader and reset your timer.
    // TODO (exercise 2): the prevLogIndex/prevLogTerm check, append, commitIndex, reply.
    void from;
    void m;
  }

  private handleInstallSnapshot(from: NodeId, m: InstallSnapshot): void {
    // TODO (exercise 4)
    void from;
    void m;
  }
}
