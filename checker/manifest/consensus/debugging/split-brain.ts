import { challenge } from '../../layout.ts';

export const splitBrain = challenge('consensus/debugging/split-brain', {
  title: 'Challenge 1: Split-brain in leader election',
  summary: 'Two leaders appear on either side of a partition. Find the two bugs.',
  demo: true,
  patterns: ['consensus/leader-election', 'consensus/raft'],
  plantedBugs: 2,
  hints: [
    "Run the program and compare each candidate's real vote total with the number it needs. Node 1 can reach only node 2: how many votes can it possibly hold?",
    "Follow one vote request that is refused or never arrives (a node on the other side of the partition). What does startElection do with that answer?",
    "There are two places to fix, both in startElection after the vote requests: which answers are added to the tally, and how the tally is compared with majoritySize when a candidate has exactly 3 of 5 votes.",
  ],
});
