import { challenge } from '../../layout.ts';

const title = 'Raft challenge 10: The first write';

export const earlyCommit = challenge('raft/debugging/early-commit', {
  title,
  summary: "The leader's record of a request it sent from the start of the log is the log itself, so an answer to an empty heartbeat counts entries written after it went out.",
  patterns: ['raft/replication'],
  plantedBugs: 1,
  hints: [
    "In the trace, the first AppendEntries went out with +0 entries, and its answer made the leader commit \"a\". How many entries does the leader think that answer covers, and where does it read that number?",
    "The network carried a copy of the request as it was when sent. The leader kept its own record of it: is that record still what was sent, once a client writes?",
    "In sendAppendEntries, a request from index 0 hands over this.log itself. Always copy (this.log.slice(prevLogIndex)), so the record in inFlight stays what the follower received.",
  ],
});
