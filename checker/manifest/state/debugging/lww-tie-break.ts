import type { ExerciseEntry } from '../../types.ts';

export const lwwTieBreak: ExerciseEntry = {
  id: 'state/debugging/lww-tie-break',
  kind: 'challenge',
  title: 'Challenge 1: The email field that would not settle',
  summary: 'Devices that synced with each other show different values after two writes in the same millisecond.',
  file: 'state/debugging/lww-tie-break.ts',
  grader: 'checker/graders/state/debugging/lww-tie-break.grader.ts',
  variants: 'checker/variants/state/debugging/lww-tie-break',
  demo: 'checker/demos/state/debugging/lww-tie-break.demo.ts',
  guide: { file: 'exercises/state/debugging/README.md', section: 'Challenge 1: The email field that would not settle' },
  brief: { file: 'exercises/state/debugging/README.md', section: 'Challenge 1: The email field that would not settle' },
  answer: { file: 'checker/answers/state.md', section: 'Challenge 1: The email field that would not settle' },
  // Pattern exercises of the state module (branch `state`) that this challenge exercises.
  patterns: ['state/lww-register', 'state/conflict-resolution'],
  plantedBugs: 1,
  hints: [
    'Run the program and follow the tablet: it merges the laptop first, then the phone. Which write does it keep at the tie, and which one do the other two keep?',
    'At a tie, merge compares replicaId: the id of the replica doing the merge and of the replica it merges from. After one merge, is the value a replica holds still its own write?',
    'The register already keeps writerId, the id of whoever made the write it holds, and copies it along with the value. Break ties on the two writerIds, never on the two replicaIds.',
  ],
};
