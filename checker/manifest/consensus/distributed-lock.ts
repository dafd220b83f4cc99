import type { ExerciseEntry } from '../types.ts';

export const distributedLock: ExerciseEntry = {
  id: 'consensus/distributed-lock',
  kind: 'pattern',
  title: 'Distributed lock with fencing tokens',
  summary: 'Leases that expire, tokens that only grow, and a resource that refuses writes from a stale holder.',
  file: 'consensus/distributed-lock.ts',
  grader: 'checker/graders/consensus/distributed-lock.grader.ts',
  variants: 'checker/variants/consensus/distributed-lock',
  demo: 'checker/demos/consensus/distributed-lock.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 3: Distributed lock with fencing tokens' },
  patterns: ['consensus/distributed-lock'],
  hints: [],
};
