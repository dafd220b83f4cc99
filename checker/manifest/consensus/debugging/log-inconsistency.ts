import { challenge } from '../../layout.ts';

export const logInconsistency = challenge('consensus/debugging/log-inconsistency', {
  title: 'Challenge 4: Log inconsistency in AppendEntries',
  summary: 'A follower accepts entries that do not follow on from its own log.',
  demo: true,
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [
    "Replay the scenario by hand: after the follower says success, compare its entry at index 2 with the leader's. Which of the AppendEntries arguments did the follower never look at?",
    "prevLogIndex and prevLogTerm describe the entry the new ones must follow. A follower may only accept when it has an entry at prevLogIndex and that entry's term is prevLogTerm.",
    "Right after the term check in appendEntries, reject when prevLogIndex > 0 and either the log is shorter than prevLogIndex or termAt(prevLogIndex) differs from prevLogTerm. Leave the append loop and the leader's retry loop as they are: the retry loop already backs off nextIndex when it is told no.",
  ],
});
