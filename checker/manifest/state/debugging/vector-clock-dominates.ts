import type { ExerciseEntry } from '../../types.ts';

export const vectorClockDominates: ExerciseEntry = {
  id: 'state/debugging/vector-clock-dominates',
  kind: 'challenge',
  title: 'Challenge 3: The mug that vanished from the cart',
  summary: 'Two concurrent cart versions meet and one silently disappears instead of becoming a sibling.',
  file: 'state/debugging/vector-clock-dominates.ts',
  grader: 'checker/graders/state/debugging/vector-clock-dominates.grader.ts',
  variants: 'checker/variants/state/debugging/vector-clock-dominates',
  demo: 'checker/demos/state/debugging/vector-clock-dominates.demo.ts',
  guide: { file: 'exercises/state/debugging/README.md', section: 'Challenge 3: The mug that vanished from the cart' },
  brief: { file: 'exercises/state/debugging/README.md', section: 'Challenge 3: The mug that vanished from the cart' },
  answer: { file: 'checker/answers/state.md', section: 'Challenge 3: The mug that vanished from the cart' },
  // Pattern exercises of the state module (branch `state`) that this challenge exercises.
  patterns: ['state/conflict-resolution', 'state/multi-leader'],
  plantedBugs: 1,
  hints: [
    'Write the two clocks from the program\'s output side by side, node by node, filling in 0 where a node is missing. Which one is ahead, and where?',
    'dominates decides over a list of nodes. Which nodes are in that list, and can the other clock be ahead at a node that is not?',
    'Compare over the union of both clocks\' nodes (a missing entry is 0), for the >= test and for the > test alike.',
  ],
};
