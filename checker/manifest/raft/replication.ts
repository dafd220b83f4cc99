import type { ExerciseEntry } from '../types.ts';

export const logReplication: ExerciseEntry = {
  id: 'raft/replication',
  kind: 'pattern',
  title: 'Raft 2: log replication',
  summary: 'Client requests, AppendEntries with the consistency check, fast backup, commit by majority of the current term, apply exactly once in order.',
  file: 'raft/raft-node.ts',
  grader: 'checker/graders/raft/replication.grader.ts',
  variants: 'checker/variants/raft/replication',
  guide: { file: 'exercises/raft/README.md', section: 'Exercise 2: Log replication' },
  patterns: ['raft/replication'],
  hints: [
    'handleClientRequest on a leader appends {index: lastIndex + 1, term, command}, sends AppendEntries to every follower at once and returns {ok: true, index, term} (accepted at that index, not yet committed: it commits once a majority holds it); on anyone else it returns {ok: false, leader: the leader you heard from last (or null)}.',
    'A follower accepts AppendEntries only if it holds an entry at prevLogIndex with prevLogTerm (index 0 always matches). Then, entry by entry: skip one it already has with the same term, truncate at the first one whose term differs, append the rest. Never truncate because a request is shorter than your log: it may be an old request arriving late.',
    'Reply with matchIndex = prevLogIndex + entries.length (what THIS request proved), not your log length. On the leader, matchIndex only grows, nextIndex = matchIndex + 1. On a refusal, the follower sends conflictTerm (the term at prevLogIndex, or 0 if its log is too short) and conflictIndex (the first index of that term, or its log length + 1); the leader jumps nextIndex past that whole term instead of stepping back one entry per round trip.',
    'The leader commits index N only if log[N].term is its CURRENT term and N is stored on a majority (itself included); earlier entries commit with it (Figure 8). A follower sets commitIndex = min(leaderCommit, prevLogIndex + entries.length) when that is larger. Apply with a lastApplied counter: while lastApplied < commitIndex, apply lastApplied + 1, exactly once, in order.',
  ],
};
