import type { ExerciseEntry } from '../types.ts';

export const splitBrain: ExerciseEntry = {
  id: 'debugging/split-brain',
  kind: 'challenge',
  title: 'Challenge 1: Split-brain in leader election',
  summary: 'Two leaders appear on either side of a partition. Find the two bugs.',
  file: 'debugging/split-brain.ts',
  grader: 'checker/graders/debugging/split-brain.grader.ts',
  variants: 'checker/variants/debugging/split-brain',
  demo: 'checker/demos/debugging/split-brain.demo.ts',
  guide: { file: 'exercises/debugging/README.md', section: 'Challenge 1: Split-brain in leader election' },
  brief: { file: 'exercises/debugging/README.md', section: 'Challenge 1: Split-brain in leader election' },
  answer: { file: 'checker/answers/debugging.md', section: 'Challenge 1: Split-brain in leader election' },
  patterns: ['consensus/leader-election', 'consensus/raft'],
  plantedBugs: 2,
  hints: [],
};
