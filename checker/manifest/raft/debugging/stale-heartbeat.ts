import { challenge } from '../../layout.ts';

const title = 'Raft challenge 1: Stale heartbeats';

export const staleHeartbeat = challenge('raft/debugging/stale-heartbeat', {
  title,
  summary: 'A deposed leader that can still send keeps a healthy majority from ever electing a replacement.',
  patterns: ['raft/election'],
  plantedBugs: 1,
  hints: [
    'Run `npm run exercise -- trace raft/debugging/stale-heartbeat` and look at the rows after the one-way repair: which messages reach nodes 2 and 3, and from which term?',
    "A follower's election timer means \"I have not heard from the leader of my term lately\". Which AppendEntries messages are evidence of that leader, and which are not?",
    'In handleAppendEntries the timer is restarted before the term check. Move `lastHeard = now` after the check that rejects an older term, so a stale leader is answered (with the newer term) but never keeps anyone waiting.',
  ],
});
