import type { ExerciseEntry } from '../../types.ts';

export const splitBrainHeartbeats: ExerciseEntry = {
  id: 'state/debugging/split-brain-heartbeats',
  kind: 'challenge',
  title: 'Challenge 4: The primary that never noticed the split',
  summary: 'A split-brain detector keeps seeing nodes it has not heard from for hours, so a cut-off primary never steps down.',
  file: 'state/debugging/split-brain-heartbeats.ts',
  grader: 'checker/graders/state/debugging/split-brain-heartbeats.grader.ts',
  variants: 'checker/variants/state/debugging/split-brain-heartbeats',
  demo: 'checker/demos/state/debugging/split-brain-heartbeats.demo.ts',
  guide: { file: 'exercises/state/debugging/README.md', section: 'Challenge 4: The primary that never noticed the split' },
  brief: { file: 'exercises/state/debugging/README.md', section: 'Challenge 4: The primary that never noticed the split' },
  answer: { file: 'checker/answers/state.md', section: 'Challenge 4: The primary that never noticed the split' },
  // Pattern exercises of the state module (branch `state`) that this challenge exercises.
  patterns: ['state/split-brain-detector'],
  plantedBugs: 1,
  hints: [
    'Run the program: two hours after the split, db1 still "sees" db3, db4 and db5. What would have to happen for a node to leave the visible set?',
    'cleanupStaleHeartbeats compares lastHeartbeat[node] with the cutoff. Who ever writes lastHeartbeat, and what does the check do with a node that has no entry?',
    'Record the time in heartbeatReceived: lastHeartbeat[from] = clock.now(). Keep the comparison `last < cutoff`, so a node heard exactly 30 000 ms ago still counts.',
  ],
};
