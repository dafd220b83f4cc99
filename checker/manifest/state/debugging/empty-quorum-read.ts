import type { ExerciseEntry } from '../../types.ts';

export const emptyQuorumRead: ExerciseEntry = {
  id: 'state/debugging/empty-quorum-read',
  kind: 'challenge',
  title: 'Challenge 2: The read that answered without a quorum',
  summary: 'A quorum read returns an old value with one node up, and crashes with none.',
  file: 'state/debugging/empty-quorum-read.ts',
  grader: 'checker/graders/state/debugging/empty-quorum-read.grader.ts',
  variants: 'checker/variants/state/debugging/empty-quorum-read',
  demo: 'checker/demos/state/debugging/empty-quorum-read.demo.ts',
  guide: { file: 'exercises/state/debugging/README.md', section: 'Challenge 2: The read that answered without a quorum' },
  brief: { file: 'exercises/state/debugging/README.md', section: 'Challenge 2: The read that answered without a quorum' },
  answer: { file: 'checker/answers/state.md', section: 'Challenge 2: The read that answered without a quorum' },
  // Pattern exercises of the state module (branch `state`) that this challenge exercises.
  patterns: ['state/quorum-store'],
  plantedBugs: 1,
  hints: [
    'Count the replies the read collected in the rack-failure scenario, and compare with R. What promise does W + R > N make, and about how many replies?',
    'The loop stops early once R nodes replied, but it also ends when it runs out of nodes. What does the code after the loop do in that second case, and with zero replies?',
    'After the loop, if fewer than R nodes replied, return { status: \'insufficient_replicas\' } before taking the newest reply.',
  ],
};
