import { challenge } from '../../layout.ts';

export const termConfusion = challenge('consensus/debugging/term-confusion', {
  title: 'Challenge 3: Term confusion in RequestVote',
  summary: 'A node that voted in an old term refuses every candidate in a newer one.',
  demo: true,
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [
    "Print node 3's currentTerm and votedFor before and after node 1's request in term 2. Which of the two changed, and which did not?",
    "A vote is a promise for one term only. When a voter moves to a newer term, what should happen to the promise it made in the old one?",
    "The fix is in requestVote, where the voter adopts the candidate's term: when that term is newer than its own, it must also forget its old vote, and only then decide.",
  ],
});
