import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'leader-applies-once',
      title: 'The leader, like every follower, hands each committed command to its service exactly once',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5) on a reliable network; the service counts increments');
        const c = startCluster(ctx, s, { nodes: 5 });
        traced(c, () => {
          const leader = requireLeader(c, s);
          for (const command of ['inc-1', 'inc-2', 'inc-3']) requireCommit(c, s, command);
          s.expect(c.applied(leader).length === 3, `node ${leader} to have applied 3 commands`, () => `it applied ${JSON.stringify(c.applied(leader))}`);
        });
      },
    },
    ...commonRequirements(),
  ],
});
