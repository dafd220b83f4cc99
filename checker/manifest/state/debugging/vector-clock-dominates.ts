import { challenge } from '../../layout.ts';

export const vectorClockDominates = challenge('state/debugging/vector-clock-dominates', {
  title: 'Challenge 3: The mug that vanished from the cart',
  summary: 'Two concurrent cart versions meet and one silently disappears instead of becoming a sibling.',
  demo: true,
  patterns: ['state/conflict-resolution', 'state/multi-leader'],
  plantedBugs: 1,
  hints: [
    'Write the two clocks from the program\'s output side by side, node by node, filling in 0 where a node is missing. Which one is ahead, and where?',
    'dominates decides over a list of nodes. Which nodes are in that list, and can the other clock be ahead at a node that is not?',
    'Compare over the union of both clocks\' nodes (a missing entry is 0), for the >= test and for the > test alike.',
  ],
});
