import { challenge } from '../../layout.ts';

const title = 'Raft challenge 3: A leader nobody chose';

export const lateVote = challenge('raft/debugging/late-vote', {
  title,
  summary: "A candidate counts a \"vote granted\" reply from an earlier election towards the current one.",
  patterns: ['raft/election'],
  plantedBugs: 1,
  hints: [
    "In the trace, look at the reply that made the candidate a leader: which term does it carry, and which term was the candidate in?",
    "A granted vote says: \"in term T, I vote for you\". What must a candidate check before adding it to this election's tally?",
    "handleVoteReply counts every granted reply while the node is a candidate. Ignore replies whose term differs from currentTerm (after stepping down for a newer one).",
  ],
});
