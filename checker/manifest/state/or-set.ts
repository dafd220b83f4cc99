import type { ExerciseEntry } from '../types.ts';

export const orSet: ExerciseEntry = {
  id: 'state/or-set',
  kind: 'pattern',
  title: 'OR-Set (observed-remove set)',
  summary: 'A replicated set with unique add tags and tombstones: a remove cancels only the adds it saw, so add wins.',
  file: 'state/or-set.ts',
  grader: 'checker/graders/state/or-set.grader.ts',
  variants: 'checker/variants/state/or-set',
  guide: { file: 'exercises/state/README.md', section: 'OR-Set' },
  patterns: ['state/or-set'],
  hints: [
    'Think of the set as a bag of tagged adds. add puts in a new tag (nodeId plus a counter you count up first); contains asks whether any tag of the element is not tombstoned.',
    'remove copies the tags of the element that THIS replica holds into the tombstones. Nothing else: no marker for the element name, and no deleting of tags (a later merge would bring them back).',
    'merge is two unions: tags per element, and tombstones. Build a new ORSet(this.nodeId) and copy into it from both sides; do not change this or other.',
    'Give the merged set this.tagCounter. A merged set that starts counting from 0 again hands out "alice:1" a second time, and a tombstone meant for the first "alice:1" then kills the new add.',
  ],
};
