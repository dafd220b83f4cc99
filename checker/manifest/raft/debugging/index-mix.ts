import { challenge } from '../../layout.ts';

const title = 'Raft challenge 4: Nobody wins';

export const indexMix = challenge('raft/debugging/index-mix', {
  title,
  summary: "A candidate describes its log with a 0-based index to voters that count from 1.",
  patterns: ['raft/election', 'raft/replication'],
  plantedBugs: 1,
  hints: [
    "Elections work while logs are empty and fail once every node holds entries. Print the RequestVote a candidate sends, and compare its lastLogIndex with the candidate's log.",
    "Log indexes in this program start at 1 (index 0 means \"before the first entry\"). What does a voter conclude when a candidate with the same 3 entries reports lastLogIndex 2?",
    "In startElection, lastLogIndex is computed as length - 1. Use lastLogIndex() (the length) and termAt() for its term, as the rest of the node does.",
  ],
});
