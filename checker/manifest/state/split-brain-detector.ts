import type { ExerciseEntry } from '../types.ts';

export const splitBrainDetector: ExerciseEntry = {
  id: 'state/split-brain-detector',
  kind: 'pattern',
  title: 'Split-brain detector',
  summary: 'Act as primary only while heartbeats received within the timeout show a majority; step down when they stop.',
  file: 'state/split-brain-detector.ts',
  grader: 'checker/graders/state/split-brain-detector.grader.ts',
  variants: 'checker/variants/state/split-brain-detector',
  guide: { file: 'exercises/state/README.md', section: 'Split-brain detector' },
  patterns: ['state/split-brain-detector'],
  hints: [
    'The whole detector rests on one map: node -> clock time of its last heartbeat. heartbeatReceived sets it (with this.clock.now()); everything else reads it. The document adds the node to a set but never stores the time, so nothing ever expires.',
    'A heartbeat exactly heartbeatTimeoutMs old is still fresh; delete a node only when now - last > timeout. The grader checks one ms before, at, and one ms after the timeout.',
    'requiredQuorum is Math.floor(clusterSize / 2) + 1 and counts this node: canBePrimary() is visibleNodes().length + 1 >= requiredQuorum. Half of an even cluster is not a majority.',
    'acceptsWrites() must look at the clock itself (primary AND canBePrimary() now): a primary cut off from its majority must refuse writes as soon as the timeout passes, even before anyone calls handleNetworkPartition().',
  ],
};
