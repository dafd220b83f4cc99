import { challenge } from '../../layout.ts';

const title = 'Raft challenge 5: The vanished write';

export const reorderedTruncate = challenge('raft/debugging/reordered-truncate', {
  title,
  summary: "A follower cuts its log at the end of every AppendEntries, so a late, older message deletes entries it already acknowledged.",
  patterns: ['raft/replication'],
  plantedBugs: 1,
  hints: [
    "In the trace, find an AppendEntries delivered after a newer one (its \"sent\" time is earlier). What did the follower's log look like before and after it?",
    "When may a follower delete entries? Think of an entry that already matches the leader's at the same index and term.",
    "Walk through the request's entries one by one and truncate only at the first index whose term differs from the entry's; append from there. Entries that already match stay, and so does anything after them.",
  ],
});
