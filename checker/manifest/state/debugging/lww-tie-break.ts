import { challenge } from '../../layout.ts';

export const lwwTieBreak = challenge('state/debugging/lww-tie-break', {
  title: 'Challenge 1: The email field that would not settle',
  summary: 'Devices that synced with each other show different values after two writes in the same millisecond.',
  demo: true,
  patterns: ['state/lww-register', 'state/conflict-resolution'],
  plantedBugs: 1,
  hints: [
    'Run the program and follow the tablet: it merges the laptop first, then the phone. Which write does it keep at the tie, and which one do the other two keep?',
    'At a tie, merge compares replicaId: the id of the replica doing the merge and of the replica it merges from. After one merge, is the value a replica holds still its own write?',
    'The register already keeps writerId, the id of whoever made the write it holds, and copies it along with the value. Break ties on the two writerIds, never on the two replicaIds.',
  ],
});
