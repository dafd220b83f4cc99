import { challenge } from '../../layout.ts';

export const emptyQuorumRead = challenge('state/debugging/empty-quorum-read', {
  title: 'Challenge 2: The read that answered without a quorum',
  summary: 'A quorum read returns an old value with one node up, and crashes with none.',
  demo: true,
  patterns: ['state/quorum-store'],
  plantedBugs: 1,
  hints: [
    'Count the replies the read collected in the rack-failure scenario, and compare with R. What promise does W + R > N make, and about how many replies?',
    'The loop stops early once R nodes replied, but it also ends when it runs out of nodes. What does the code after the loop do in that second case, and with zero replies?',
    'After the loop, if fewer than R nodes replied, return { status: \'insufficient_replicas\' } before taking the newest reply.',
  ],
});
