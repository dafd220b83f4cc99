import type { ExerciseEntry } from '../types.ts';

export const logInconsistency: ExerciseEntry = {
  id: 'debugging/log-inconsistency',
  kind: 'challenge',
  title: 'Challenge 4: Log inconsistency in AppendEntries',
  summary: 'A follower accepts entries that do not follow on from its own log.',
  file: 'debugging/log-inconsistency.ts',
  grader: 'checker/graders/debugging/log-inconsistency.grader.ts',
  variants: 'checker/variants/debugging/log-inconsistency',
  demo: 'checker/demos/debugging/log-inconsistency.demo.ts',
  guide: { file: 'exercises/debugging/README.md', section: 'Challenge 4: Log inconsistency in AppendEntries' },
  brief: { file: 'exercises/debugging/README.md', section: 'Challenge 4: Log inconsistency in AppendEntries' },
  answer: { file: 'checker/answers/debugging.md', section: 'Challenge 4: Log inconsistency in AppendEntries' },
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [],
};
