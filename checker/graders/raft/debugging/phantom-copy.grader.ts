import { defineGrader } from '../../../engine/grader.ts';
import { COMMIT_LIMIT_MS, commonRequirements, lateAppendKeepsEntries, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Mod } from './harness.ts';

/** Three of five voters must agree on one candidate: split votes can take a few rounds. */
const UNANIMOUS_ELECTION_MS = 3000;

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'new-leader-commits-on-a-majority',
      title: 'After a leader change, with a restarted follower still holding an entry the old leader never committed, the new leader commits its next write only once a majority stores it',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 5 });
        traced(c, () => {
          const old = requireLeader(c, s);
          requireCommit(c, s, 'a');
          const [holder, ...rest] = c.ids.filter((id) => id !== old) as [number, ...number[]];
          s.step(`node ${old}'s messages to {${rest.join(',')}} are cut from now on: only node ${holder} hears it`);
          for (const id of rest) c.sim.cut(old, id);
          s.step(`a client writes "x" to node ${old}; it reaches node ${holder} only, 2 copies of the 3 a commit needs`);
          c.write('x', old);
          c.sim.runFor(30);
          s.expect(c.sim.node(holder)!.log.length === 2, `node ${holder} to hold [a, x]`, () => c.describe(holder));
          s.step(`nodes ${old} and ${holder} crash; the cuts are repaired`);
          c.sim.crash(old);
          c.sim.crash(holder);
          c.sim.heal();
          const leader = c.awaitLeader(UNANIMOUS_ELECTION_MS, rest)
            ?? s.fail(`a leader among {${rest.join(',')}} within ${UNANIMOUS_ELECTION_MS} ms`, rest.map((id) => c.describe(id)).join('; '));
          s.step(`node ${leader} leads term ${c.sim.node(leader)!.currentTerm} with the log [a]`);
          s.step(`node ${holder} restarts with [a, x] and hears node ${leader}'s heartbeats for 100 ms`);
          c.sim.restart(holder);
          c.sim.runFor(100);
          const [idle, other] = rest.filter((id) => id !== leader) as [number, number];
          s.step(`node ${idle} crashes: nodes ${leader}, ${other} and ${holder} are up, and a commit needs all 3 of them`);
          c.sim.crash(idle);
          s.step(`node ${leader}'s messages to node ${holder} are lost for the next 30 ms`);
          c.sim.cut(leader, holder);
          s.step(`a client writes "y" to the leader (node ${leader})`);
          s.expect(c.write('y', leader), `node ${leader} to accept the write`, () => c.describe(leader));
          c.sim.runFor(30);
          s.step(`the link from node ${leader} to node ${holder} is repaired`);
          c.sim.heal();
          if (!c.awaitApplied('y', COMMIT_LIMIT_MS, [leader, other, holder])) {
            s.fail(`nodes {${[leader, other, holder].join(',')}} to apply "y" within ${COMMIT_LIMIT_MS} ms`, [leader, other, holder].map((id) => c.describe(id)).join('; '));
          }
          s.expect(!c.sim.node(holder)!.log.some((e) => e.command === 'x'), `node ${holder} to have replaced "x" with "y"`, () => c.describe(holder));
        });
      },
    },
    lateAppendKeepsEntries(),
    ...commonRequirements(),
  ],
});
