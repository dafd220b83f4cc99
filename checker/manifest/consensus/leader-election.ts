import type { ExerciseEntry } from '../types.ts';

export const leaderElection: ExerciseEntry = {
  id: 'consensus/leader-election',
  kind: 'pattern',
  title: 'Leader election (Bully)',
  summary: 'Elect the highest live node, detect a dead leader by heartbeat timeout, and hand over on recovery.',
  file: 'consensus/leader-election.ts',
  grader: 'checker/graders/consensus/leader-election.grader.ts',
  variants: 'checker/variants/consensus/leader-election',
  demo: 'checker/demos/consensus/leader-election.demo.ts',
  guide: { file: 'exercises/consensus/README.md', section: 'Pattern 1: Leader election (Bully)' },
  patterns: ['consensus/leader-election'],
  hints: [
    'Start with startElection and becomeLeader: the winner is simply the live node that gets no answer from any higher id. Ignore heartbeats until highest-live-id-wins passes.',
    'In startElection, every live higher node answers and then runs its own election. Pass a Set of nodes that already ran in this round so each runs once (otherwise node 1 wakes 2-5, node 2 wakes 3-5 again, ...). Count one message per ELECTION, ANSWER, VICTORY and heartbeat.',
    'becomeLeader must reach every live node: set its state to FOLLOWER (even a lower node that was leader until now), its leaderId to the winner and its lastHeartbeat to now. Then startHeartbeat: this.clock.setInterval every heartbeatTimeoutMs / 2, keep the handle, clear any older one; shutdown clears it.',
    'checkLeaderHealth: return if the node is down or is the leader; otherwise elect only when this.clock.now() - node.lastHeartbeat > heartbeatTimeoutMs. A crashed node must never answer, win or start anything: check this.alive before each of those.',
  ],
};
