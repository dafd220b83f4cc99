import { challenge } from '../../layout.ts';

const title = 'Raft challenge 2: Two votes in one term';

export const doubleVote = challenge('raft/debugging/double-vote', {
  title,
  summary: "An AppendEntries of the current term wipes the vote a follower already gave, so it can vote again in that term.",
  patterns: ['raft/election'],
  plantedBugs: 1,
  hints: [
    "Run `npm run exercise -- trace raft/debugging/double-vote`: find the follower that answers two RequestVotes of the same term with \"granted\". What did it receive between the two?",
    "Which events may legitimately make a node forget whom it voted for? A vote is a promise about one term.",
    "In handleAppendEntries, votedFor is cleared for any leader whose term is not older. Clear it (and adopt the term) only when the leader's term is newer; for an equal term just follow the leader.",
  ],
});
