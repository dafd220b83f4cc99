import type { ExerciseEntry } from '../types.ts';

export const singleLeader: ExerciseEntry = {
  id: 'state/single-leader',
  kind: 'pattern',
  title: 'Single-leader replication with replication lag',
  summary: 'One leader takes every write; followers apply its log in order, later, and report how far behind they are.',
  file: 'state/single-leader.ts',
  grader: 'checker/graders/state/single-leader.grader.ts',
  variants: 'checker/variants/state/single-leader',
  guide: { file: 'exercises/state/README.md', section: 'Single-leader replication' },
  patterns: ['state/single-leader'],
  hints: [
    'The log is the whole story: write appends { key, value, at } and a follower is fully described by how many log entries it has applied. Its data is the leader\'s data as of that position.',
    'replicate walks the log from index f.applied, one entry at a time, stopping at the end of the log or after maxEntries. Never skip ahead and never apply out of order: a follower that holds a later write but not an earlier one shows a state the leader never had.',
    'Lag in ms is measured from the OLDEST entry the follower lacks (this.log[f.applied]), not the newest: that write is the one that has been waiting longest.',
    'laggingFollowers(threshold) keeps followers whose replicationLagMs is strictly greater than the threshold: exactly 1000 ms with a 1000 ms threshold is not lagging.',
  ],
};
