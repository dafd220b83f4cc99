import type { ExerciseEntry } from '../types.ts';

export const incident: ExerciseEntry = {
  id: 'debugging/incident',
  kind: 'incident',
  title: 'Incident: leader election gone wrong',
  summary: 'Repair a service with no quorum, no terms and no fencing: majority votes, terms, fencing tokens and leases.',
  file: 'debugging/incident.ts',
  grader: 'checker/graders/debugging/incident.grader.ts',
  variants: 'checker/variants/debugging/incident',
  demo: 'checker/demos/debugging/incident.demo.ts',
  guide: { file: 'exercises/debugging/README.md', section: 'Incident: leader election gone wrong' },
  brief: { file: 'exercises/debugging/README.md', section: 'Incident: leader election gone wrong' },
  answer: { file: 'checker/answers/debugging.md', section: 'Incident: leader election gone wrong' },
  patterns: ['consensus/leader-election', 'consensus/raft', 'consensus/distributed-lock'],
  hints: [],
};
