import type { ExerciseEntry, Manifest } from './types.ts';
import { leaderElection } from './consensus/leader-election.ts';
import { raft } from './consensus/raft.ts';
import { distributedLock } from './consensus/distributed-lock.ts';
import { quorum } from './consensus/quorum.ts';
import { splitBrain } from './consensus/debugging/split-brain.ts';
import { lostCommits } from './consensus/debugging/lost-commits.ts';
import { termConfusion } from './consensus/debugging/term-confusion.ts';
import { logInconsistency } from './consensus/debugging/log-inconsistency.ts';
import { lockDeadlock } from './consensus/debugging/lock-deadlock.ts';
import { staleQuorumRead } from './consensus/debugging/stale-quorum-read.ts';
import { incident } from './consensus/debugging/incident.ts';
import { counters } from './state/counters.ts';
import { splitBrainDetector } from './state/split-brain-detector.ts';
import { conflictMonitor } from './state/conflict-monitor.ts';
import { collaborativeDocument } from './state/collaborative-document.ts';
import { orSet } from './state/or-set.ts';
import { lwwRegister } from './state/lww-register.ts';
import { conflictResolution } from './state/conflict-resolution.ts';
import { singleLeader } from './state/single-leader.ts';
import { multiLeader } from './state/multi-leader.ts';
import { quorumStore } from './state/quorum-store.ts';
import { lwwTieBreak } from './state/debugging/lww-tie-break.ts';
import { emptyQuorumRead } from './state/debugging/empty-quorum-read.ts';
import { vectorClockDominates } from './state/debugging/vector-clock-dominates.ts';
import { splitBrainHeartbeats } from './state/debugging/split-brain-heartbeats.ts';
import { orSetRemove } from './state/debugging/or-set-remove.ts';
import { leaderElection as raftLeaderElection } from './raft/election.ts';
import { logReplication as raftLogReplication } from './raft/replication.ts';
import { persistence as raftPersistence } from './raft/persistence.ts';
import { snapshots as raftSnapshots } from './raft/snapshots.ts';
import { staleHeartbeat } from './raft/debugging/stale-heartbeat.ts';
import { doubleVote } from './raft/debugging/double-vote.ts';
import { lateVote } from './raft/debugging/late-vote.ts';
import { indexMix } from './raft/debugging/index-mix.ts';
import { reorderedTruncate } from './raft/debugging/reordered-truncate.ts';
import { forgetfulRestart } from './raft/debugging/forgetful-restart.ts';
import { applyTwice } from './raft/debugging/apply-twice.ts';
import { phantomCopy } from './raft/debugging/phantom-copy.ts';
import { slowCatchUp } from './raft/debugging/slow-catch-up.ts';
import { earlyCommit } from './raft/debugging/early-commit.ts';

export type * from './types.ts';

/** The workbook, in the order a learner meets it. */
export const manifest: Manifest = {
  modules: [
    {
      id: 'consensus',
      title: 'Consensus patterns',
      guide: 'exercises/consensus/README.md',
      quiz: 'quizzes/consensus.md',
      exercises: [
        leaderElection,
        raft,
        distributedLock,
        quorum,
        splitBrain,
        lostCommits,
        termConfusion,
        logInconsistency,
        lockDeadlock,
        staleQuorumRead,
        incident,
      ],
    },
    {
      id: 'raft',
      title: 'Raft on a simulated network',
      guide: 'exercises/raft/README.md',
      quiz: 'quizzes/raft.md',
      exercises: [
        raftLeaderElection, raftLogReplication, raftPersistence, raftSnapshots,
        staleHeartbeat, doubleVote, lateVote, indexMix, reorderedTruncate, forgetfulRestart, applyTwice, phantomCopy, slowCatchUp, earlyCommit,
      ],
    },
    {
      id: 'state',
      title: 'State distribution',
      guide: 'exercises/state/README.md',
      quiz: 'quizzes/state.md',
      exercises: [
        singleLeader,
        multiLeader,
        quorumStore,
        conflictResolution,
        counters,
        orSet,
        lwwRegister,
        splitBrainDetector,
        conflictMonitor,
        collaborativeDocument,
        lwwTieBreak,
        emptyQuorumRead,
        vectorClockDominates,
        splitBrainHeartbeats,
        orSetRemove,
      ],
    },
  ],
  demos: [
    {
      id: 'split-brain',
      title: 'Before/after: naive highest-visible-id election against majority election under partitions',
      file: 'checker/demos/before-after.demo.ts',
    },
  ],
};

/** Every exercise, in the order a learner meets them. */
export function allExercises(of: Manifest = manifest): ExerciseEntry[] {
  return of.modules.flatMap((m) => m.exercises);
}

/** The debugging challenges and incidents, in order: of one module, or of the whole workbook. */
export function challengeExercises(of: Manifest = manifest, moduleId?: string): ExerciseEntry[] {
  const pool = moduleId === undefined ? allExercises(of) : (of.modules.find((m) => m.id === moduleId)?.exercises ?? []);
  return pool.filter((e) => e.kind !== 'pattern');
}

/** The pattern exercises of one module, in order. */
export function patternExercises(of: Manifest, moduleId: string): ExerciseEntry[] {
  return (of.modules.find((m) => m.id === moduleId)?.exercises ?? []).filter((e) => e.kind === 'pattern');
}

/** The module an exercise belongs to: the first segment of its id. */
export function moduleOf(exerciseId: string): string {
  return exerciseId.split('/')[0]!;
}
