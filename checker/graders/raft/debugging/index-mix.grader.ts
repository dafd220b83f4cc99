import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 're-elects-with-equal-logs',
      title: 'When every survivor holds the same log, one of them is elected after the leader crashes, and the cluster commits again',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 5 });
        traced(c, () => {
          const first = requireLeader(c, s);
          for (const command of ['a', 'b', 'c']) requireCommit(c, s, command);
          s.step(`every node holds [a, b, c]; node ${first} (the leader) crashes`);
          c.sim.crash(first);
          const others = c.ids.filter((id) => id !== first);
          requireLeader(c, s, others);
          requireCommit(c, s, 'd', others);
        });
      },
    },
    ...commonRequirements(),
  ],
});
