import type { ExerciseEntry } from '../types.ts';

export const quorum: ExerciseEntry = {
  id: 'consensus/quorum',
  kind: 'pattern',
  title: 'Quorum reads and writes',
  summary: 'R + W > N replication with stable home replicas, newest-version reads, read repair and hinted handoff.',
  file: 'consensus/quorum.ts',
  grader: 'checker/graders/consensus/quorum.grader.ts',
  variants: 'checker/variants/consensus/quorum',
  demo: 'checker/demos/consensus/quorum.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 4: Quorum reads and writes' },
  patterns: ['consensus/quorum'],
  hints: [],
};
