import { challenge } from '../../layout.ts';

const title = 'Raft challenge 8: A copy that was not there';

export const phantomCopy = challenge('raft/debugging/phantom-copy', {
  title,
  summary: "A follower tells the leader how long its whole log is, not how much of it the leader's request proved to match, so a stale entry counts as a copy.",
  patterns: ['raft/replication'],
  plantedBugs: 1,
  hints: [
    "In the trace, find the AppendEntriesReply that made the leader commit \"y\": which matchIndex does it carry, and what did that follower hold at that index?",
    "A success reply proves only what the request checked: the entries up to prevLogIndex match, and the entries the request carried are now in place. What may lie beyond them in a follower that held entries of a leader that crashed?",
    "In handleAppendEntries the success reply sends matchIndex = lastLogIndex(). Send prevLogIndex + entries.length (lastNew) instead: the last index this request proved to match the leader's log.",
  ],
});
