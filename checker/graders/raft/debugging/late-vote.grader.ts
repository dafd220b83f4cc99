import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'late-vote-reply-ignored',
      title: 'A candidate cut off from the others, campaigning term after term, never becomes leader while it stays cut off',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          s.step('the network splits into {3} and {1,2} from the start');
          c.sim.partition([[3], [1, 2]]);
          const ok = c.sim.runUntil(() => c.sim.node(3)!.role === 'candidate' && c.sim.node(3)!.currentTerm >= 2, 2000);
          s.expect(ok, 'node 3, alone, to time out and stand for election at least twice within 2 s', () => c.describe(3));
          const term = c.sim.node(3)!.currentTerm;
          s.step(`node 3 is a candidate in term ${term}, with only its own vote`);
          s.step(`a reply "vote granted" from node 1 for node 3's election in term ${term - 1}, delayed in the network, reaches node 3`);
          c.sim.inject(1, 3, { type: 'RequestVoteReply', term: term - 1, voteGranted: true, from: 1 });
          s.expect(c.sim.node(3)!.role !== 'leader', `node 3 to stay a candidate: node 1's vote was for term ${term - 1}, not ${term}`,
            () => `node 3 became leader of term ${c.sim.node(3)!.currentTerm}`);
        });
      },
    },
    ...commonRequirements(),
  ],
});
