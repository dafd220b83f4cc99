import { challenge } from '../../layout.ts';

export const orSetRemove = challenge('state/debugging/or-set-remove', {
  title: 'Challenge 5: The bread nobody removed',
  summary: 'Bread one user added vanishes from a shared list after another user\'s sync, and vanishes again each time she adds it back.',
  demo: true,
  patterns: ['state/or-set'],
  plantedBugs: 1,
  hints: [
    'What did Bob\'s remove of bread observe on his replica? Write down the adds of bread that exist anywhere, and which of them Bob had seen.',
    'Each add already gets a unique tag, yet remove and merge never look at tags: they work with the item\'s name. What does a name-based removal cancel that a tag-based one would not?',
    'Make remove record the tags of the item it can see (in a set of cancelled tags), make has() true when some tag of the item is not cancelled, and make merge take the union of tags and of cancelled tags; add no longer touches removals.',
  ],
});
