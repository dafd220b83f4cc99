import type { ExerciseEntry } from '../types.ts';

export const lostCommits: ExerciseEntry = {
  id: 'debugging/lost-commits',
  kind: 'challenge',
  title: 'Challenge 2: Lost commits in Raft',
  summary: 'An entry on a majority of nodes is never reported committed.',
  file: 'debugging/lost-commits.ts',
  grader: 'checker/graders/debugging/lost-commits.grader.ts',
  variants: 'checker/variants/debugging/lost-commits',
  demo: 'checker/demos/debugging/lost-commits.demo.ts',
  guide: { file: 'exercises/debugging/README.md', section: 'Challenge 2: Lost commits in Raft' },
  brief: { file: 'exercises/debugging/README.md', section: 'Challenge 2: Lost commits in Raft' },
  answer: { file: 'checker/answers/debugging.md', section: 'Challenge 2: Lost commits in Raft' },
  patterns: ['consensus/raft'],
  plantedBugs: 1,
  hints: [
    "Count the copies of \"SET x=1\" after the write: which nodes hold it? Now count what appendEntry counts.",
    "The leader appended the entry to its own log before sending anything. Does that copy show up in the tally?",
    "Look at where appendEntry starts its replica tally before the AppendEntries loop: the starting value must include the copy already in the leader's own log.",
  ],
};
