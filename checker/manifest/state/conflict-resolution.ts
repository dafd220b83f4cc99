import type { ExerciseEntry } from '../types.ts';

export const conflictResolution: ExerciseEntry = {
  id: 'state/conflict-resolution',
  kind: 'pattern',
  title: 'Conflict resolution: last writer wins and vector clocks',
  summary: 'Settle two conflicting writes: by (timestamp, writer id), or by vector clocks that keep concurrent writes as siblings.',
  file: 'state/conflict-resolution.ts',
  grader: 'checker/graders/state/conflict-resolution.grader.ts',
  variants: 'checker/variants/state/conflict-resolution',
  guide: { file: 'exercises/state/README.md', section: 'Conflict resolution' },
  patterns: ['state/conflict-resolution'],
  hints: [
    'Last writer wins is a comparison of pairs (timestamp, nodeId): the larger pair wins. Write it so that it reads only the two writes, never which one came first as an argument, and swapping them cannot change the answer.',
    'dominates(a, b) must walk the nodes of BOTH clocks. Looking only at a\'s keys (as the document does) says {alice: 2} dominates {alice: 1, bob: 5}, although bob\'s 5 events are unknown to a.',
    'Neither clock dominates in two cases: the clocks are equal (the same write, seen twice: keep one) or they differ in both directions (concurrent: keep both values). Check equal before calling it concurrent.',
    'For siblings, the clock is the entry-wise maximum over both clocks\' nodes: Object.fromEntries(nodesOf(a, b).map((n) => [n, Math.max(entry(a, n), entry(b, n))])).',
  ],
};
