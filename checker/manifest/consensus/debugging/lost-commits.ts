import type { ExerciseEntry } from '../../types.ts';

export const lostCommits: ExerciseEntry = {
  id: 'consensus/debugging/lost-commits',
  kind: 'challenge',
  title: 'Challenge 2: Lost commits in Raft',
  summary: 'An entry on a majority of nodes is never reported committed.',
  file: 'consensus/debugging/lost-commits.ts',
  grader: 'checker/graders/consensus/debugging/lost-commits.grader.ts',
  variants: 'checker/variants/consensus/debugging/lost-commits',
  demo: 'checker/demos/consensus/debugging/lost-commits.demo.ts',
  guide: { file: 'exercises/consensus/debugging/README.md', section: 'Challenge 2: Lost commits in Raft' },
  brief: { file: 'exercises/consensus/debugging/README.md', section: 'Challenge 2: Lost commits in Raft' },
  answer: { file: 'checker/answers/consensus.md', section: 'Challenge 2: Lost commits in Raft' },
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [
    "Count the copies of \"SET x=1\" after the write: which nodes hold it? Now count what appendEntry counts.",
    "The leader appended the entry to its own log before sending anything. Does that copy show up in the tally?",
    "Look at where appendEntry starts its replica tally before the AppendEntries loop: the starting value must include the copy already in the leader's own log.",
  ],
};
