/**
 * Type-level proof that every stub exports the same API as its solution: same export names, same
 * constructor parameters, same public members with the same types. `npm test` runs `tsc` over
 * this file (api-parity.test.ts); a mismatch is a compile error naming the export.
 */
import type * as LeaderElectionStub from '../../exercises/consensus/leader-election.ts';
import type * as LeaderElectionSolution from '../../solutions/consensus/leader-election.ts';
import type * as RaftStub from '../../exercises/consensus/raft.ts';
import type * as RaftSolution from '../../solutions/consensus/raft.ts';
import type * as LockStub from '../../exercises/consensus/distributed-lock.ts';
import type * as LockSolution from '../../solutions/consensus/distributed-lock.ts';
import type * as QuorumStub from '../../exercises/consensus/quorum.ts';
import type * as QuorumSolution from '../../solutions/consensus/quorum.ts';
import type * as SplitBrainStub from '../../exercises/consensus/debugging/split-brain.ts';
import type * as SplitBrainSolution from '../../solutions/consensus/debugging/split-brain.ts';
import type * as LostCommitsStub from '../../exercises/consensus/debugging/lost-commits.ts';
import type * as LostCommitsSolution from '../../solutions/consensus/debugging/lost-commits.ts';
import type * as TermConfusionStub from '../../exercises/consensus/debugging/term-confusion.ts';
import type * as TermConfusionSolution from '../../solutions/consensus/debugging/term-confusion.ts';
import type * as LogInconsistencyStub from '../../exercises/consensus/debugging/log-inconsistency.ts';
import type * as LogInconsistencySolution from '../../solutions/consensus/debugging/log-inconsistency.ts';
import type * as LockDeadlockStub from '../../exercises/consensus/debugging/lock-deadlock.ts';
import type * as LockDeadlockSolution from '../../solutions/consensus/debugging/lock-deadlock.ts';
import type * as StaleReadStub from '../../exercises/consensus/debugging/stale-quorum-read.ts';
import type * as StaleReadSolution from '../../solutions/consensus/debugging/stale-quorum-read.ts';
import type * as IncidentStub from '../../exercises/consensus/debugging/incident.ts';
import type * as IncidentSolution from '../../solutions/consensus/debugging/incident.ts';
import type * as RaftNodeStub from '../../exercises/raft/raft-node.ts';
import type * as RaftNodeSolution from '../../solutions/raft/raft-node.ts';
import type * as StateSingleLeaderStub from '../../exercises/state/single-leader.ts';
import type * as StateSingleLeaderSolution from '../../solutions/state/single-leader.ts';
import type * as StateMultiLeaderStub from '../../exercises/state/multi-leader.ts';
import type * as StateMultiLeaderSolution from '../../solutions/state/multi-leader.ts';
import type * as StateSplitBrainStub from '../../exercises/state/split-brain-detector.ts';
import type * as StateSplitBrainSolution from '../../solutions/state/split-brain-detector.ts';
import type * as StateMonitorStub from '../../exercises/state/conflict-monitor.ts';
import type * as StateMonitorSolution from '../../solutions/state/conflict-monitor.ts';
import type * as StateDocumentStub from '../../exercises/state/collaborative-document.ts';
import type * as StateDocumentSolution from '../../solutions/state/collaborative-document.ts';
import type * as StateQuorumStub from '../../exercises/state/quorum-store.ts';
import type * as StateQuorumSolution from '../../solutions/state/quorum-store.ts';
import type * as StateConflictStub from '../../exercises/state/conflict-resolution.ts';
import type * as StateConflictSolution from '../../solutions/state/conflict-resolution.ts';
import type * as StateCountersStub from '../../exercises/state/counters.ts';
import type * as StateCountersSolution from '../../solutions/state/counters.ts';
import type * as StateOrSetStub from '../../exercises/state/or-set.ts';
import type * as StateOrSetSolution from '../../solutions/state/or-set.ts';
import type * as StateLwwRegisterStub from '../../exercises/state/lww-register.ts';
import type * as StateLwwRegisterSolution from '../../solutions/state/lww-register.ts';
import type * as StateLwwTieBreakStub from '../../exercises/state/debugging/lww-tie-break.ts';
import type * as StateLwwTieBreakSolution from '../../solutions/state/debugging/lww-tie-break.ts';
import type * as StateEmptyQuorumReadStub from '../../exercises/state/debugging/empty-quorum-read.ts';
import type * as StateEmptyQuorumReadSolution from '../../solutions/state/debugging/empty-quorum-read.ts';
import type * as StateVectorClockDominatesStub from '../../exercises/state/debugging/vector-clock-dominates.ts';
import type * as StateVectorClockDominatesSolution from '../../solutions/state/debugging/vector-clock-dominates.ts';
import type * as StateSplitBrainHeartbeatsStub from '../../exercises/state/debugging/split-brain-heartbeats.ts';
import type * as StateSplitBrainHeartbeatsSolution from '../../solutions/state/debugging/split-brain-heartbeats.ts';
import type * as StateOrSetRemoveStub from '../../exercises/state/debugging/or-set-remove.ts';
import type * as StateOrSetRemoveSolution from '../../solutions/state/debugging/or-set-remove.ts';
import type * as StaleHeartbeatStub from '../../exercises/raft/debugging/stale-heartbeat.ts';
import type * as StaleHeartbeatSolution from '../../solutions/raft/debugging/stale-heartbeat.ts';
import type * as DoubleVoteStub from '../../exercises/raft/debugging/double-vote.ts';
import type * as DoubleVoteSolution from '../../solutions/raft/debugging/double-vote.ts';
import type * as LateVoteStub from '../../exercises/raft/debugging/late-vote.ts';
import type * as LateVoteSolution from '../../solutions/raft/debugging/late-vote.ts';
import type * as IndexMixStub from '../../exercises/raft/debugging/index-mix.ts';
import type * as IndexMixSolution from '../../solutions/raft/debugging/index-mix.ts';
import type * as ReorderedTruncateStub from '../../exercises/raft/debugging/reordered-truncate.ts';
import type * as ReorderedTruncateSolution from '../../solutions/raft/debugging/reordered-truncate.ts';
import type * as ForgetfulRestartStub from '../../exercises/raft/debugging/forgetful-restart.ts';
import type * as ForgetfulRestartSolution from '../../solutions/raft/debugging/forgetful-restart.ts';
import type * as ApplyTwiceStub from '../../exercises/raft/debugging/apply-twice.ts';
import type * as ApplyTwiceSolution from '../../solutions/raft/debugging/apply-twice.ts';
import type * as PhantomCopyStub from '../../exercises/raft/debugging/phantom-copy.ts';
import type * as PhantomCopySolution from '../../solutions/raft/debugging/phantom-copy.ts';
import type * as SlowCatchUpStub from '../../exercises/raft/debugging/slow-catch-up.ts';
import type * as SlowCatchUpSolution from '../../solutions/raft/debugging/slow-catch-up.ts';
import type * as EarlyCommitStub from '../../exercises/raft/debugging/early-commit.ts';
import type * as EarlyCommitSolution from '../../solutions/raft/debugging/early-commit.ts';

/** The public face of one export: for a class, its constructor parameters and public instance members. */
type Face<T> = T extends abstract new (...args: infer A) => infer I ? { constructorParameters: A; instance: { [K in keyof I]: I[K] } } : T;
type PublicApi<M> = { [K in keyof M]: Face<M[K]> };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const parity: Record<string, true> = {
  'consensus/leader-election': true satisfies Same<PublicApi<typeof LeaderElectionStub>, PublicApi<typeof LeaderElectionSolution>>,
  'consensus/raft': true satisfies Same<PublicApi<typeof RaftStub>, PublicApi<typeof RaftSolution>>,
  'consensus/distributed-lock': true satisfies Same<PublicApi<typeof LockStub>, PublicApi<typeof LockSolution>>,
  'consensus/quorum': true satisfies Same<PublicApi<typeof QuorumStub>, PublicApi<typeof QuorumSolution>>,
  'consensus/debugging/split-brain': true satisfies Same<PublicApi<typeof SplitBrainStub>, PublicApi<typeof SplitBrainSolution>>,
  'consensus/debugging/lost-commits': true satisfies Same<PublicApi<typeof LostCommitsStub>, PublicApi<typeof LostCommitsSolution>>,
  'consensus/debugging/term-confusion': true satisfies Same<PublicApi<typeof TermConfusionStub>, PublicApi<typeof TermConfusionSolution>>,
  'consensus/debugging/log-inconsistency': true satisfies Same<PublicApi<typeof LogInconsistencyStub>, PublicApi<typeof LogInconsistencySolution>>,
  'consensus/debugging/lock-deadlock': true satisfies Same<PublicApi<typeof LockDeadlockStub>, PublicApi<typeof LockDeadlockSolution>>,
  'consensus/debugging/stale-quorum-read': true satisfies Same<PublicApi<typeof StaleReadStub>, PublicApi<typeof StaleReadSolution>>,
  'consensus/debugging/incident': true satisfies Same<PublicApi<typeof IncidentStub>, PublicApi<typeof IncidentSolution>>,
  // The four raft exercises share one file.
  'raft/election': true satisfies Same<PublicApi<typeof RaftNodeStub>, PublicApi<typeof RaftNodeSolution>>,
  'raft/replication': true satisfies Same<PublicApi<typeof RaftNodeStub>, PublicApi<typeof RaftNodeSolution>>,
  'raft/persistence': true satisfies Same<PublicApi<typeof RaftNodeStub>, PublicApi<typeof RaftNodeSolution>>,
  'raft/snapshots': true satisfies Same<PublicApi<typeof RaftNodeStub>, PublicApi<typeof RaftNodeSolution>>,
  'state/single-leader': true satisfies Same<PublicApi<typeof StateSingleLeaderStub>, PublicApi<typeof StateSingleLeaderSolution>>,
  'state/multi-leader': true satisfies Same<PublicApi<typeof StateMultiLeaderStub>, PublicApi<typeof StateMultiLeaderSolution>>,
  'state/split-brain-detector': true satisfies Same<PublicApi<typeof StateSplitBrainStub>, PublicApi<typeof StateSplitBrainSolution>>,
  'state/conflict-monitor': true satisfies Same<PublicApi<typeof StateMonitorStub>, PublicApi<typeof StateMonitorSolution>>,
  'state/collaborative-document': true satisfies Same<PublicApi<typeof StateDocumentStub>, PublicApi<typeof StateDocumentSolution>>,
  'state/quorum-store': true satisfies Same<PublicApi<typeof StateQuorumStub>, PublicApi<typeof StateQuorumSolution>>,
  'state/conflict-resolution': true satisfies Same<PublicApi<typeof StateConflictStub>, PublicApi<typeof StateConflictSolution>>,
  'state/counters': true satisfies Same<PublicApi<typeof StateCountersStub>, PublicApi<typeof StateCountersSolution>>,
  'state/or-set': true satisfies Same<PublicApi<typeof StateOrSetStub>, PublicApi<typeof StateOrSetSolution>>,
  'state/lww-register': true satisfies Same<PublicApi<typeof StateLwwRegisterStub>, PublicApi<typeof StateLwwRegisterSolution>>,
  'state/debugging/lww-tie-break': true satisfies Same<PublicApi<typeof StateLwwTieBreakStub>, PublicApi<typeof StateLwwTieBreakSolution>>,
  'state/debugging/empty-quorum-read': true satisfies Same<PublicApi<typeof StateEmptyQuorumReadStub>, PublicApi<typeof StateEmptyQuorumReadSolution>>,
  'state/debugging/vector-clock-dominates': true satisfies Same<PublicApi<typeof StateVectorClockDominatesStub>, PublicApi<typeof StateVectorClockDominatesSolution>>,
  'state/debugging/split-brain-heartbeats': true satisfies Same<PublicApi<typeof StateSplitBrainHeartbeatsStub>, PublicApi<typeof StateSplitBrainHeartbeatsSolution>>,
  'state/debugging/or-set-remove': true satisfies Same<PublicApi<typeof StateOrSetRemoveStub>, PublicApi<typeof StateOrSetRemoveSolution>>,
  'raft/debugging/stale-heartbeat': true satisfies Same<PublicApi<typeof StaleHeartbeatStub>, PublicApi<typeof StaleHeartbeatSolution>>,
  'raft/debugging/double-vote': true satisfies Same<PublicApi<typeof DoubleVoteStub>, PublicApi<typeof DoubleVoteSolution>>,
  'raft/debugging/late-vote': true satisfies Same<PublicApi<typeof LateVoteStub>, PublicApi<typeof LateVoteSolution>>,
  'raft/debugging/index-mix': true satisfies Same<PublicApi<typeof IndexMixStub>, PublicApi<typeof IndexMixSolution>>,
  'raft/debugging/reordered-truncate': true satisfies Same<PublicApi<typeof ReorderedTruncateStub>, PublicApi<typeof ReorderedTruncateSolution>>,
  'raft/debugging/forgetful-restart': true satisfies Same<PublicApi<typeof ForgetfulRestartStub>, PublicApi<typeof ForgetfulRestartSolution>>,
  'raft/debugging/apply-twice': true satisfies Same<PublicApi<typeof ApplyTwiceStub>, PublicApi<typeof ApplyTwiceSolution>>,
  'raft/debugging/phantom-copy': true satisfies Same<PublicApi<typeof PhantomCopyStub>, PublicApi<typeof PhantomCopySolution>>,
  'raft/debugging/slow-catch-up': true satisfies Same<PublicApi<typeof SlowCatchUpStub>, PublicApi<typeof SlowCatchUpSolution>>,
  'raft/debugging/early-commit': true satisfies Same<PublicApi<typeof EarlyCommitStub>, PublicApi<typeof EarlyCommitSolution>>,
};
