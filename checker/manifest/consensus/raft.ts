import type { ExerciseEntry } from '../types.ts';

export const raft: ExerciseEntry = {
  id: 'consensus/raft',
  kind: 'pattern',
  title: 'Raft: elections and log replication',
  summary: 'Terms, votes, the log up-to-date rule, AppendEntries and majority commit, safe across crashes and partitions.',
  file: 'consensus/raft.ts',
  grader: 'checker/graders/consensus/raft.grader.ts',
  variants: 'checker/variants/consensus/raft',
  demo: 'checker/demos/consensus/raft.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 2: Raft' },
  patterns: ['consensus/raft'],
  hints: [
    'Start with the two RPC handlers, requestVote and appendEntries: the grader tests them directly, and the other methods are built on them. Both begin the same way: refuse an older term, and adopt a newer one (role FOLLOWER, votedFor -1).',
    'Count against this.majority, which is a majority of the WHOLE cluster, and count only votes that were granted and copies that were stored. The candidate\'s own vote and the leader\'s own copy count as one each. Unreachable or crashed nodes simply do not count.',
    'In appendEntries, check the entry at prevLogIndex first: if it is missing or has a different term, return false. The leader then steps nextIndex back by one and tries again, so the logs meet at the last index where they agree. Truncate only at an entry whose term differs from the leader\'s. Never truncate just because an entry arrives again.',
    'After each RPC, read the receiver\'s currentTerm: if it is above yours, call adoptTerm and stop (a candidate\'s election fails, a leader steps down). A vote needs lastLogTerm > mine, or an equal term and lastLogIndex >= mine. The follower\'s commitIndex is max(commitIndex, min(leaderCommit, prevLogIndex + entries.length)).',
  ],
};
