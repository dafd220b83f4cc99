import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'heartbeat-keeps-the-vote',
      title: 'Once a leader of a term is established, no node votes a second time in that term, whatever reaches it late',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const leader = requireLeader(c, s);
          const term = c.sim.node(leader)!.currentTerm;
          c.sim.runFor(120);
          const [follower, other] = c.ids.filter((id) => id !== leader) as [number, number];
          const f = c.sim.node(follower)!;
          s.step(`node ${leader} leads term ${term}; node ${follower} voted for node ${f.votedFor} in term ${term} and has since received node ${leader}'s heartbeats`);
          const last = c.sim.node(other)!.log.length;
          s.step(`a RequestVote from node ${other} for term ${term} (lastLogIndex ${last}), held up in the network since the election, reaches node ${follower}`);
          c.sim.inject(other, follower, { type: 'RequestVote', term, candidateId: other, lastLogIndex: last, lastLogTerm: c.sim.node(other)!.log.at(-1)?.term ?? 0 });
          c.sim.runFor(20);
          s.expect(c.sim.node(follower)!.votedFor !== other, `node ${follower} to refuse: it has already voted in term ${term}`, `it granted its vote to node ${other}`);
        });
      },
    },
    ...commonRequirements(),
  ],
});
