import { challenge } from '../../layout.ts';

export const staleQuorumRead = challenge('consensus/debugging/stale-quorum-read', {
  title: 'Challenge 6: Stale quorum read',
  summary: 'A quorum read returns an old value although R + W > N.',
  demo: true,
  patterns: ['consensus/quorum'],
  plantedBugs: 1,
  hints: [
    "R + W > N guarantees that at least one of the R replies is the newest. Does it guarantee that the newest one arrives first?",
    "The replies carry versions. Once R replicas have answered, the read must compare them rather than trust the order they came in.",
    "After the quorum check, return the reply with the largest version (skipping replicas that had nothing for the key), not responses[0].",
  ],
});
