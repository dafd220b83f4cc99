import type { ExerciseEntry } from '../types.ts';

export const raft: ExerciseEntry = {
  id: 'consensus/raft',
  kind: 'pattern',
  title: 'Raft: elections and log replication',
  summary: 'Terms, votes, the log up-to-date rule, AppendEntries and majority commit, safe across crashes and partitions.',
  file: 'consensus/raft.ts',
  grader: 'checker/graders/consensus/raft.grader.ts',
  variants: 'checker/variants/consensus/raft',
  demo: 'checker/demos/consensus/raft.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 2: Raft' },
  patterns: ['consensus/raft'],
  hints: [],
};
