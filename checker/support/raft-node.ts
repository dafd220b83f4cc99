import type { NodeEnv, NodeId } from './node-env.ts';

/**
 * The messages, log entries and results of the raft module (`exercises/raft/`). The learner's
 * node imports these types only; the grader's simulator hands the node everything else.
 * Log indexes are 1-based: the first entry has index 1, and index 0 (term 0) stands for "before
 * the log", so prevLogIndex 0 always matches.
 */
export type { NodeId } from './node-env.ts';

export interface LogEntry {
  readonly index: number;
  readonly term: number;
  readonly command: string;
}

export interface RequestVote {
  readonly type: 'RequestVote';
  readonly term: number;
  readonly candidateId: NodeId;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

export interface VoteReply {
  readonly type: 'VoteReply';
  readonly term: number;
  readonly voteGranted: boolean;
}

export interface AppendEntries {
  readonly type: 'AppendEntries';
  readonly term: number;
  readonly leaderId: NodeId;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
}

export interface AppendReply {
  readonly type: 'AppendReply';
  readonly term: number;
  readonly success: boolean;
  /**
   * On success: the index of the last entry this request made the follower hold
   * (prevLogIndex + entries.length), NOT the follower's log length: a late reply to an older
   * request must not claim entries it never covered.
   */
  readonly matchIndex: number;
  /** On failure, for fast backup: the term of the follower's conflicting entry (0 when its log is too short)... */
  readonly conflictTerm: number;
  /** ...and the first index the follower holds with that term (or its log length + 1 when too short). */
  readonly conflictIndex: number;
}

export interface InstallSnapshot {
  readonly type: 'InstallSnapshot';
  readonly term: number;
  readonly leaderId: NodeId;
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly data: string;
}

export interface SnapshotReply {
  readonly type: 'SnapshotReply';
  readonly term: number;
  /** The lastIncludedIndex of the snapshot this answers. */
  readonly lastIncludedIndex: number;
}

export type RaftMessage = RequestVote | VoteReply | AppendEntries | AppendReply | InstallSnapshot | SnapshotReply;

/** What a node hands the service above it: each committed command once, in index order, or a snapshot to restore. */
export type ApplyMsg =
  | { readonly kind: 'command'; readonly index: number; readonly term: number; readonly command: string }
  | { readonly kind: 'snapshot'; readonly index: number; readonly term: number; readonly data: string };

export type RaftEnv = NodeEnv<RaftMessage, ApplyMsg>;

export type Role = 'follower' | 'candidate' | 'leader';

/** Answer to a client request: accepted by the leader at (index, term), or redirected to the leader this node knows (null: none known). */
export type ClientReply =
  | { readonly ok: true; readonly index: number; readonly term: number }
  | { readonly ok: false; readonly leader: NodeId | null };

/** What the grader may read of a node at any moment. */
export interface RaftView {
  readonly term: number;
  readonly role: Role;
  readonly votedFor: NodeId | null;
  readonly commitIndex: number;
  /** The entries after the snapshot, each with its own index. */
  readonly log: readonly LogEntry[];
  /** Index and term of the last entry the snapshot covers (0 and 0 without a snapshot). */
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
}
