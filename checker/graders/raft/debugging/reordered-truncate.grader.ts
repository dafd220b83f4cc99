import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements, lateAppendKeepsEntries, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    lateAppendKeepsEntries(),
    {
      id: 'replaces-conflicting-entries',
      title: 'A leader cut off with an uncommitted entry rejoins, and that entry is replaced by what the new leader committed',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const old = requireLeader(c, s);
          requireCommit(c, s, 'a');
          const others = c.ids.filter((id) => id !== old);
          s.step(`the network splits into {${old}} and {${others.join(',')}}; a client writes "lost" to node ${old}, which cannot commit it`);
          c.sim.partition([[old], others]);
          c.write('lost', old);
          requireLeader(c, s, others);
          requireCommit(c, s, 'kept', others);
          s.step('the network heals');
          c.sim.heal();
          if (!c.awaitApplied('kept', 1000, c.ids)) s.fail(`node ${old} to replace "lost" with "kept" and apply it within 1000 ms`, c.describe(old));
          s.expect(!c.applied(old).includes('lost'), `node ${old} never to apply "lost"`, `it applied it`);
        });
      },
    },
    ...commonRequirements(),
  ],
});
