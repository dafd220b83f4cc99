import { challenge } from '../../layout.ts';

const title = 'Raft challenge 7: Applied twice';

export const applyTwice = challenge('raft/debugging/apply-twice', {
  title,
  summary: "The leader hands a committed command to its service as soon as it counts a majority, and then again in its in-order apply loop.",
  patterns: ['raft/replication'],
  plantedBugs: 1,
  hints: [
    "Count the \u2713 rows per node in the trace. Which node applies more commands than were written?",
    "Every node should apply through exactly one path, which moves lastApplied forward. How many paths does the leader use?",
    "Remove the direct env.apply in advanceLeaderCommit; advanceCommit applies every newly committed entry, the leader's included, once and in order.",
  ],
});
