import { defineGrader } from '../../../engine/grader.ts';
import { COMMIT_LIMIT_MS, commonRequirements, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'first-write-commits-on-a-majority',
      title: "A write that reaches a new leader while its first heartbeats are still on their way commits only once a majority stores it",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network, all logs empty');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const leader = requireLeader(c, s);
          const followers = c.ids.filter((id) => id !== leader);
          s.step(`node ${leader} has just become leader: its first heartbeats to {${followers.join(',')}} are on their way`);
          s.step(`a client writes "a" to node ${leader} at once`);
          s.expect(c.write('a', leader), `node ${leader} to accept the write`, () => c.describe(leader));
          if (!c.awaitApplied('a', COMMIT_LIMIT_MS, c.ids)) {
            s.fail(`every node to apply "a" within ${COMMIT_LIMIT_MS} ms`, c.ids.map((id) => c.describe(id)).join('; '));
          }
        });
      },
    },
    ...commonRequirements(),
  ],
});
