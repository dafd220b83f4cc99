import type { ExerciseEntry, Manifest } from './types.ts';
import { leaderElection } from './consensus/leader-election.ts';
import { raft } from './consensus/raft.ts';
import { distributedLock } from './consensus/distributed-lock.ts';
import { quorum } from './consensus/quorum.ts';
import { splitBrain } from './debugging/split-brain.ts';
import { lostCommits } from './debugging/lost-commits.ts';
import { termConfusion } from './debugging/term-confusion.ts';
import { logInconsistency } from './debugging/log-inconsistency.ts';
import { lockDeadlock } from './debugging/lock-deadlock.ts';
import { staleQuorumRead } from './debugging/stale-quorum-read.ts';
import { incident } from './debugging/incident.ts';

export type * from './types.ts';

/** The workbook, in the order a learner meets it. */
export const manifest: Manifest = {
  modules: [
    {
      id: 'consensus',
      title: 'Consensus patterns',
      guide: 'exercises/consensus/README.md',
      quiz: 'quizzes/consensus.md',
      exercises: [leaderElection, raft, distributedLock, quorum],
    },
    {
      id: 'debugging',
      title: 'Debugging challenges',
      guide: 'exercises/debugging/README.md',
      exercises: [splitBrain, lostCommits, termConfusion, logInconsistency, lockDeadlock, staleQuorumRead, incident],
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

/** The debugging challenges and the incident, in order. */
export function challengeExercises(of: Manifest = manifest): ExerciseEntry[] {
  return allExercises(of).filter((e) => e.kind !== 'pattern');
}
