import { defineGrader } from '../../../engine/grader.ts';
import { commonRequirements, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'deposed-leader-cannot-block-election',
      title: 'A deposed leader that can still send but no longer hears anyone does not stop the others from electing a new leader',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const old = requireLeader(c, s);
          const others = c.ids.filter((id) => id !== old);
          s.step(`node ${old} (leader of term ${c.sim.node(old)!.currentTerm}) is cut off: the network splits into {${old}} and {${others.join(',')}}`);
          c.sim.partition([[old], others]);
          const second = requireLeader(c, s, others);
          s.step(`node ${second} leads term ${c.sim.node(second)!.currentTerm}; node ${old} still believes it leads term ${c.sim.node(old)!.currentTerm}`);
          s.step(`the split is repaired one way only: node ${old} can send to everyone, but nothing reaches node ${old}`);
          c.sim.heal();
          for (const id of others) c.sim.cut(id, old);
          c.sim.runFor(200);
          s.step(`node ${second} (the new leader) crashes and restarts at once; node ${old} keeps sending its term-${c.sim.node(old)!.currentTerm} heartbeats`);
          c.sim.crash(second);
          c.sim.restart(second);
          requireLeader(c, s, others);
          requireCommit(c, s, 'after', others);
        });
      },
    },
    ...commonRequirements(),
  ],
});
