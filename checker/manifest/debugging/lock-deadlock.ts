import type { ExerciseEntry } from '../types.ts';

export const lockDeadlock: ExerciseEntry = {
  id: 'debugging/lock-deadlock',
  kind: 'challenge',
  title: 'Challenge 5: Distributed lock deadlock',
  summary: 'A crashed holder keeps its lock forever.',
  file: 'debugging/lock-deadlock.ts',
  grader: 'checker/graders/debugging/lock-deadlock.grader.ts',
  variants: 'checker/variants/debugging/lock-deadlock',
  demo: 'checker/demos/debugging/lock-deadlock.demo.ts',
  guide: { file: 'exercises/debugging/README.md', section: 'Challenge 5: Distributed lock deadlock' },
  brief: { file: 'exercises/debugging/README.md', section: 'Challenge 5: Distributed lock deadlock' },
  answer: { file: 'checker/answers/debugging.md', section: 'Challenge 5: Distributed lock deadlock' },
  patterns: ['consensus/distributed-lock'],
  plantedBugs: 1,
  hints: [],
};
