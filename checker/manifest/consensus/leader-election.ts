import type { ExerciseEntry } from '../types.ts';

export const leaderElection: ExerciseEntry = {
  id: 'consensus/leader-election',
  kind: 'pattern',
  title: 'Leader election (Bully)',
  summary: 'Elect the highest live node, detect a dead leader by heartbeat timeout, and hand over on recovery.',
  file: 'consensus/leader-election.ts',
  grader: 'checker/graders/consensus/leader-election.grader.ts',
  variants: 'checker/variants/consensus/leader-election',
  demo: 'checker/demos/consensus/leader-election.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 1: Leader election (Bully)' },
  patterns: ['consensus/leader-election'],
  hints: [],
};
