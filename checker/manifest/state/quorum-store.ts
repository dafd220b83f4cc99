import type { ExerciseEntry } from '../types.ts';

export const quorumStore: ExerciseEntry = {
  id: 'state/quorum-store',
  kind: 'pattern',
  title: 'Quorum-based replication (W, R)',
  summary: 'The document\'s QuorumDB with its bugs fixed: W acks per write, R replies per read or no answer, the newest version wins.',
  file: 'state/quorum-store.ts',
  grader: 'checker/graders/state/quorum-store.grader.ts',
  variants: 'checker/variants/state/quorum-store',
  guide: { file: 'exercises/state/README.md', section: 'Quorum-based replication' },
  patterns: ['state/quorum-store'],
  hints: [
    'Start with the constructor check and isStronglyConsistent (W + R > N). Then write: one version per write attempt, stored on live nodes in id order until W have acked.',
    'read collects replies from live nodes until it has R. A node without the key replies too (undefined): count it. If the loop ends with fewer than R replies, the answer is { status: "insufficient_replicas" }, whatever the replies say.',
    'The document takes max() over the replies: with no replies that crashes, and with replies that are all empty there is nothing to take a maximum of. Keep a `newest` variable that starts undefined and only replace it with a reply whose version is larger.',
    'A failed write (fewer than W acks) still leaves the value on the nodes that took it; do not roll back. That is why a read may later return a value whose write reported failure: it is newer than the last successful one.',
  ],
};
