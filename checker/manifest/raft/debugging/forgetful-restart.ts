import type { ExerciseEntry } from '../../types.ts';

const title = 'Raft challenge 6: The forgetful restart';

export const forgetfulRestart: ExerciseEntry = {
  id: 'raft/debugging/forgetful-restart',
  kind: 'challenge',
  title,
  summary: "The node saves its term, vote and log, but a restarted node never reads them back.",
  file: 'raft/debugging/forgetful-restart.ts',
  grader: 'checker/graders/raft/debugging/forgetful-restart.grader.ts',
  variants: 'checker/variants/raft/debugging/forgetful-restart',
  guide: { file: 'exercises/raft/debugging/README.md', section: title },
  brief: { file: 'exercises/raft/debugging/README.md', section: title },
  answer: { file: 'checker/answers/raft.md', section: title },
  patterns: ['raft/persistence'],
  plantedBugs: 1,
  hints: [
    "Restart a follower in the trace and look at its first state row after \u21bb restart: which term does it show, and how long is its log?",
    "Which three pieces of state must a node have after a restart so that every promise it made before the crash still holds?",
    "The constructor never loads what persist() saved. Read env.persister.readState() there and restore currentTerm, votedFor and log before anything else.",
  ],
};
