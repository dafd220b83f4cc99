import type { ExerciseEntry } from '../types.ts';

export const multiLeader: ExerciseEntry = {
  id: 'state/multi-leader',
  kind: 'pattern',
  title: 'Multi-leader replication that detects concurrent writes',
  summary: 'Leaders write locally and sync later; per-version vector clocks tell replaced writes from concurrent ones, kept as siblings.',
  file: 'state/multi-leader.ts',
  grader: 'checker/graders/state/multi-leader.grader.ts',
  variants: 'checker/variants/state/multi-leader',
  guide: { file: 'exercises/state/README.md', section: 'Multi-leader replication' },
  patterns: ['state/multi-leader'],
  hints: [
    'Start with compareClocks and maximal: they are the whole conflict detector. compareClocks walks the leaders of both clocks; maximal keeps the versions nobody dominates, each clock once.',
    'A local write has seen everything its leader holds for the key. Its clock: the entry-wise maximum over those versions\' clocks, plus one in its own entry. After the write, the key holds only the new version.',
    'sync(from, to) never overwrites: it hands the union of both sides\' versions to maximal. Versions dominated by one from the other side disappear; concurrent ones stay side by side.',
    'Keep a clock per version, not one clock per key. With a single merged clock, a new write that saw only one of two siblings looks concurrent with the merged clock and the sibling it did replace comes back.',
  ],
};
