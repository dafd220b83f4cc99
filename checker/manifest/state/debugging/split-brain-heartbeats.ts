import { challenge } from '../../layout.ts';

export const splitBrainHeartbeats = challenge('state/debugging/split-brain-heartbeats', {
  title: 'Challenge 4: The primary that never noticed the split',
  summary: 'A primary cut off in a minority keeps acting as primary for hours, next to the primary the majority elected.',
  demo: true,
  patterns: ['state/split-brain-detector'],
  plantedBugs: 1,
  hints: [
    'Run the program: two hours after the split, db1 still "sees" db3, db4 and db5. What would have to happen for a node to leave the visible set?',
    'cleanupStaleHeartbeats compares lastHeartbeat[node] with the cutoff. Who ever writes lastHeartbeat, and what does the check do with a node that has no entry?',
    'Record the time in heartbeatReceived: lastHeartbeat[from] = clock.now(). Keep the comparison `last < cutoff`, so a node heard exactly 30 000 ms ago still counts.',
  ],
});
