import { challenge } from '../../layout.ts';

const title = 'Raft challenge 9: The slow catch-up';

export const slowCatchUp = challenge('raft/debugging/slow-catch-up', {
  title,
  summary: 'A leader reads an unanswered AppendEntries as a refusal and backs up, so a follower back from an outage is sent the whole log again.',
  patterns: ['raft/replication'],
  plantedBugs: 1,
  hints: [
    "In the trace, read the prev= of each AppendEntries the leader sends the follower while it is down: it drops by one every 100 ms. Which event moves it back, and what did the follower say to cause it?",
    "An AppendEntriesReply with success: false is the follower saying \"my log does not match at prevLogIndex\". What does a request that was never answered say about the follower's log?",
    "In retry, the timeout backs nextIndex up by one as if the follower had refused. Leave nextIndex alone there and just send again from the same place; only a real refusal moves it back.",
  ],
});
