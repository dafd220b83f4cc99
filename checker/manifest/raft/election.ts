import type { ExerciseEntry } from '../types.ts';

export const leaderElection: ExerciseEntry = {
  id: 'raft/election',
  kind: 'pattern',
  title: 'Raft 1: leader election',
  summary: 'Election timeouts, RequestVote and VoteReply, heartbeats: one leader per term on a network that loses, delays and duplicates messages.',
  file: 'raft/raft-node.ts',
  grader: 'checker/graders/raft/election.grader.ts',
  variants: 'checker/variants/raft/election',
  guide: { file: 'exercises/raft/README.md', section: 'Exercise 1: Leader election' },
  patterns: ['raft/election'],
  hints: [
    'Everything happens in receive() and in the 10 ms tick. In the tick, a follower or candidate whose electionDeadline has passed starts an election; a leader sends AppendEntries to every follower when 50 ms have passed since its last broadcast. Draw a new deadline (now + 150..300 ms from env.random()) when you start an election, grant a vote, or hear from the current leader.',
    'Start every handler the same way: a message with a higher term makes you a follower of that term with no vote (adoptTerm). A RequestVote of an older term is refused; AppendEntries of an older term is refused WITHOUT resetting your election timer (a deposed leader must not keep you quiet).',
    'Count votes in a Set of node ids, and only VoteReply messages whose term equals your current term while you are still a candidate: a late reply from any earlier election, or the same reply delivered twice, must not make you leader. Majority means floor(peers.length / 2) + 1 of the WHOLE cluster, yourself included.',
    'An AppendEntries of your own term tells you who leads: become (or stay) a follower and remember leaderId, but keep votedFor as it is. Clearing the vote there would let you vote for a second candidate in the same term.',
  ],
};
