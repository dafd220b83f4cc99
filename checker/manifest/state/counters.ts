import type { ExerciseEntry } from '../types.ts';

export const counters: ExerciseEntry = {
  id: 'state/counters',
  kind: 'pattern',
  title: 'CRDT counters (G-Counter, PN-Counter)',
  summary: 'Counters every replica updates on its own, merged by a per-replica maximum so they always agree.',
  file: 'state/counters.ts',
  grader: 'checker/graders/state/counters.grader.ts',
  variants: 'checker/variants/state/counters',
  guide: { file: 'exercises/state/README.md', section: 'CRDT counters' },
  patterns: ['state/counters'],
  hints: [
    'A replica only ever writes its own slot (counters.get(this.nodeId)); value() adds every slot. Start with increment and value and the first requirement will pass up to the merges.',
    'merge must give the same answer however often you merge the same state. Sum the slots and merging twice counts twice; take Math.max per slot instead. Cover slots that only one side has.',
    'Return a NEW counter from merge (new GCounter(this.nodeId, [])) and fill its private map: the two inputs must not change, because the grader keeps using them.',
    'PNCounter is two G-Counters: increment goes to positive, decrement adds the (positive) amount to negative, value() is positive minus negative, and merge merges each half with the same half of the other side.',
  ],
};
