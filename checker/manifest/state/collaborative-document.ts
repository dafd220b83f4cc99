import type { ExerciseEntry } from '../types.ts';

export const collaborativeDocument: ExerciseEntry = {
  id: 'state/collaborative-document',
  kind: 'pattern',
  title: 'Integration challenge: a collaborative document CRDT',
  summary: 'The text of a shared document as a replicated growable array: concurrent typing and deleting on any replica, merged the same way everywhere.',
  file: 'state/collaborative-document.ts',
  grader: 'checker/graders/state/collaborative-document.grader.ts',
  variants: 'checker/variants/state/collaborative-document',
  guide: { file: 'exercises/state/README.md', section: 'Integration challenge: a collaborative document' },
  patterns: ['state/collaborative-document'],
  hints: [
    'Write ordered() first: group elements by key(e.after), sort each group by compareIds(b.id, a.id) (largest first), and walk depth first from "start". getText() is then one line, and every other method starts from ordered().',
    'insertText: the first character goes after visible[position - 1] (or null for position 0), and each next character after the previous NEW character, not after the same one (that would type "hello" as "olleh").',
    'Never delete an element from the map: deleteText only sets deleted = true. merge then needs two rules: an element missing here is copied in ({ ...e }), and one present on both sides is deleted if either side deleted it.',
    'merge must also raise this.counter to other.counter. Otherwise the next character typed here gets an id smaller than a character merged in at the same spot, sorts behind it, and the text no longer shows what was typed where.',
  ],
};
