import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'restart-keeps-committed-entries',
      title: 'Both followers restart at once; the entries the cluster committed are still on a majority, and no other command is ever applied at their indexes',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const leader = requireLeader(c, s);
          requireCommit(c, s, 'a');
          requireCommit(c, s, 'b');
          const followers = c.ids.filter((id) => id !== leader);
          s.step(`nodes ${followers.join(' and ')} crash and restart (maintenance)`);
          for (const id of followers) c.sim.crash(id);
          for (const id of followers) c.sim.restart(id);
          c.sim.runFor(50);
          s.step(`node ${leader} (the leader) crashes`);
          c.sim.crash(leader);
          requireLeader(c, s, followers);
          requireCommit(c, s, 'c', followers);
        });
      },
    },
    {
      id: 'restart-keeps-the-vote',
      title: 'A node that voted in a term, crashed and restarted refuses a second candidate of that term',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const leader = requireLeader(c, s);
          const term = c.sim.node(leader)!.currentTerm;
          // The voter is a follower whose vote for the leader has arrived (a majority holds one;
          // the other's RequestVote may still be in flight when the leader is first seen).
          const followers = c.ids.filter((id) => id !== leader);
          const voter = followers.find((id) => c.sim.node(id)?.currentTerm === term && c.sim.node(id)?.votedFor === leader) ?? followers[0]!;
          const other = followers.find((id) => id !== voter)!;
          s.step(`node ${leader} leads term ${term}; node ${voter} voted in term ${term} for node ${c.sim.node(voter)!.votedFor}`);
          s.step(`node ${voter} crashes and restarts`);
          c.sim.crash(voter);
          c.sim.restart(voter);
          s.step(`a RequestVote from node ${other} for term ${term}, held up in the network, reaches node ${voter}`);
          c.sim.inject(other, voter, { type: 'RequestVote', term, candidateId: other, lastLogIndex: 0, lastLogTerm: 0 });
          s.expect(c.sim.node(voter)!.votedFor !== other, `node ${voter} to refuse: its vote in term ${term} was saved before it replied`, `it granted its vote to node ${other}`);
        });
      },
    },
    ...commonRequirements(),
  ],
});
