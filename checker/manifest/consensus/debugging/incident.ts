import { challenge } from '../../layout.ts';

export const incident = challenge('consensus/debugging/incident', {
  kind: 'incident',
  title: 'Incident: leader election gone wrong',
  summary: 'Two leaders after a partition, and a balance no legitimate leader chose: find what the design is missing, then add it.',
  demo: true,
  patterns: ['consensus/leader-election', 'consensus/raft', 'consensus/distributed-lock'],
  hints: [
    "Start with the election: node 2 wins with 2 votes. What does electLeader compare those votes with, and what should it be? Then ask what could tell node 1, node 2 and storage that node 1's leadership was over.",
    "Give every node a term. A candidate picks a term above every term it can see and needs votes from a majority of all 5 nodes (each voter votes once per term); a node that meets a newer term steps down. Storage remembers the largest token it has accepted and refuses smaller ones; writes carry the writer's term.",
    "Store a lease deadline on the leader: set it to now + leaseMs when elected and whenever renewLease reaches a majority (and no newer term); isLeader returns false once the clock passes it. renewLease fails without a majority, and steps the leader down if a reachable node has a newer term.",
  ],
});
