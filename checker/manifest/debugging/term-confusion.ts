import type { ExerciseEntry } from '../types.ts';

export const termConfusion: ExerciseEntry = {
  id: 'debugging/term-confusion',
  kind: 'challenge',
  title: 'Challenge 3: Term confusion in RequestVote',
  summary: 'A node that voted in an old term refuses every candidate in a newer one.',
  file: 'debugging/term-confusion.ts',
  grader: 'checker/graders/debugging/term-confusion.grader.ts',
  variants: 'checker/variants/debugging/term-confusion',
  demo: 'checker/demos/debugging/term-confusion.demo.ts',
  guide: { file: 'exercises/debugging/README.md', section: 'Challenge 3: Term confusion in RequestVote' },
  brief: { file: 'exercises/debugging/README.md', section: 'Challenge 3: Term confusion in RequestVote' },
  answer: { file: 'checker/answers/debugging.md', section: 'Challenge 3: Term confusion in RequestVote' },
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [],
};
