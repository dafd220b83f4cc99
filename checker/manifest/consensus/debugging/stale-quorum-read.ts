import type { ExerciseEntry } from '../../types.ts';

export const staleQuorumRead: ExerciseEntry = {
  id: 'consensus/debugging/stale-quorum-read',
  kind: 'challenge',
  title: 'Challenge 6: Stale quorum read',
  summary: 'A quorum read returns an old value although R + W > N.',
  file: 'consensus/debugging/stale-quorum-read.ts',
  grader: 'checker/graders/consensus/debugging/stale-quorum-read.grader.ts',
  variants: 'checker/variants/consensus/debugging/stale-quorum-read',
  demo: 'checker/demos/consensus/debugging/stale-quorum-read.demo.ts',
  guide: { file: 'exercises/consensus/debugging/README.md', section: 'Challenge 6: Stale quorum read' },
  brief: { file: 'exercises/consensus/debugging/README.md', section: 'Challenge 6: Stale quorum read' },
  answer: { file: 'checker/answers/consensus.md', section: 'Challenge 6: Stale quorum read' },
  patterns: ['consensus/quorum'],
  plantedBugs: 1,
  hints: [
    "R + W > N guarantees that at least one of the R replies is the newest. Does it guarantee that the newest one arrives first?",
    "The replies carry versions. Once R replicas have answered, the read must compare them rather than trust the order they came in.",
    "After the quorum check, return the reply with the largest version (skipping replicas that had nothing for the key), not responses[0].",
  ],
};
