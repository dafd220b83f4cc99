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
  hints: [
    'Start with homeReplicas: hash the key over ALL node ids (1..numNodes) and take replicationFactor consecutive ids around the ring. Never look at which nodes are up there; write, read and hinted handoff all build on this list.',
    'In write, count acks only from live home replicas, and compare the count with W before you queue any hints: a hint is a promise to deliver later, not a stored copy, and a failed write leaves none. In read, every live home replica answers, even one without the key; fewer than R answers means return null.',
    'Replies can disagree (Challenge 6). Keep the newest with compareVersions, which must look at the counter first: the grader\'s clock never moves, so every timestamp is 0 and a timestamp-only comparison lets the older write win.',
    'Read repair: after picking the newest, store it (node.store) on each replica that answered with nothing or an older version. Hinted handoff: in write, push { key, value } onto this.hints for each home replica that was down; in simulateRecovery, store each queued hint on the node in order and then delete its queue.',
  ],
};
