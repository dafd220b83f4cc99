import type { ExerciseEntry } from '../../types.ts';

const title = 'Raft challenge 4: Off by one';

export const indexMix: ExerciseEntry = {
  id: 'raft/debugging/index-mix',
  kind: 'challenge',
  title,
  summary: "A candidate describes its log with a 0-based index to voters that count from 1.",
  file: 'raft/debugging/index-mix.ts',
  grader: 'checker/graders/raft/debugging/index-mix.grader.ts',
  variants: 'checker/variants/raft/debugging/index-mix',
  guide: { file: 'exercises/raft/debugging/README.md', section: title },
  brief: { file: 'exercises/raft/debugging/README.md', section: title },
  answer: { file: 'checker/answers/raft.md', section: title },
  patterns: ['raft/election', 'raft/replication'],
  plantedBugs: 1,
  hints: [
    "Elections work while logs are empty and fail once every node holds entries. Print the RequestVote a candidate sends, and compare its lastLogIndex with the candidate's log.",
    "Log indexes in this program start at 1 (index 0 means \"before the first entry\"). What does a voter conclude when a candidate with the same 3 entries reports lastLogIndex 2?",
    "In startElection, lastLogIndex is computed as length - 1. Use lastLogIndex() (the length) and termAt() for its term, as the rest of the node does.",
  ],
};
