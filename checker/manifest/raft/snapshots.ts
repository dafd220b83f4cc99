import type { ExerciseEntry } from '../types.ts';

export const snapshots: ExerciseEntry = {
  id: 'raft/snapshots',
  kind: 'pattern',
  title: 'Raft 4: log compaction with snapshots',
  summary: 'Trim the log behind a service snapshot, send InstallSnapshot to followers that fell behind, restart from the snapshot.',
  file: 'raft/raft-node.ts',
  grader: 'checker/graders/raft/snapshots.grader.ts',
  variants: 'checker/variants/raft/snapshots',
  guide: { file: 'exercises/raft/README.md', section: 'Exercise 4: Log compaction with snapshots' },
  patterns: ['raft/snapshots'],
  hints: [
    'Keep snapshotIndex and snapshotTerm (the last index and term the snapshot covers). The log array then holds only entries after snapshotIndex: the entry with index i lives at log[i - snapshotIndex - 1]. Put that arithmetic in one termAt(i) helper and use it everywhere; termAt(snapshotIndex) is snapshotTerm.',
    'snapshot(index, data) is the service saying: I have applied everything through index, here is my state. Ignore it if index <= snapshotIndex; otherwise remember the term of entry index, drop the log through index, and save state and snapshot together with persister.save(state, data).',
    'A leader whose nextIndex for a follower is at or below its snapshotIndex sends InstallSnapshot instead of AppendEntries. The follower (after the usual term checks) ignores a snapshot that reaches no further than what it has applied (lastIncludedIndex <= lastApplied); otherwise it keeps the log after the snapshot only if its entry at lastIncludedIndex has lastIncludedTerm, saves, sets commitIndex and lastApplied to at least lastIncludedIndex, and hands the service {kind: \'snapshot\', ...} through env.apply.',
    'On restart, after restoring the persisted state, if there is a snapshot: hand it to the service first ({kind: \'snapshot\', index, term, data}) and start commitIndex and lastApplied at snapshotIndex, so no entry is applied twice and none is skipped.',
  ],
};
