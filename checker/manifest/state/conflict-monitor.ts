import type { ExerciseEntry } from '../types.ts';

export const conflictMonitor: ExerciseEntry = {
  id: 'state/conflict-monitor',
  kind: 'pattern',
  title: 'Conflict monitor',
  summary: 'Count conflicts per operation, alert above a rate threshold, and suggest the CRDT that would remove them.',
  file: 'state/conflict-monitor.ts',
  grader: 'checker/graders/state/conflict-monitor.grader.ts',
  variants: 'checker/variants/state/conflict-monitor',
  guide: { file: 'exercises/state/README.md', section: 'Conflict monitor' },
  patterns: ['state/conflict-monitor'],
  hints: [
    'Three counters carry everything: total operations, conflicts, and conflicts per operation type (a Map). recordOperation updates them; conflictRate() divides, with 0 for no operations.',
    'Alert only after a conflict, and only when the rate is strictly above the threshold. With 0.05, 1 conflict in 20 operations is exactly 5%: no alert. The message must contain "conflicts/operations", like "(1/19)".',
    'Rank with a comparator that sorts by count descending and, for equal counts, by name ascending; slice(0, 5) for the report and hand the whole ranking to generateRecommendations.',
    'generateRecommendations: split each of the first three names on "_" and test whole words. "discount_update".includes("count") is true, but its words are ["discount", "update"]. Push each recommendation at most once.',
  ],
};
