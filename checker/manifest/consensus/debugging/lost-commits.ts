import { challenge } from '../../layout.ts';

export const lostCommits = challenge('consensus/debugging/lost-commits', {
  title: 'Challenge 2: Lost commits in Raft',
  summary: 'An entry on a majority of nodes is never reported committed.',
  demo: true,
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [
    "Count the copies of \"SET x=1\" after the write: which nodes hold it? Now count what appendEntry counts.",
    "The leader appended the entry to its own log before sending anything. Does that copy show up in the tally?",
    "Look at where appendEntry starts its replica tally before the AppendEntries loop: the starting value must include the copy already in the leader's own log.",
  ],
});
