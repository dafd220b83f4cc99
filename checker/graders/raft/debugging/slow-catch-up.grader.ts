import { defineGrader } from '../../../engine/grader.ts';
import { COMMIT_LIMIT_MS, commonRequirements, requireCommit, requireLeader } from './common.ts';
import { startCluster, traced, type Message, type Mod } from './harness.ts';

const HELD = 12;
const OUTAGE_MS = 1000;

export default defineGrader<Mod>({
  requiredExports: ['RaftNode'],
  requirements: [
    {
      id: 'returning-follower-gets-what-it-lacks',
      title: `A follower back from a ${OUTAGE_MS} ms outage hears the same leader, is sent only the entries it lacks, and holds the whole log within ${COMMIT_LIMIT_MS} ms`,
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        let watching: number | undefined;
        const resent: string[] = [];
        const c = startCluster(ctx, s, {
          nodes: 3,
          onSend: (from, to, message: Message) => {
            if (to !== watching || message.type !== 'AppendEntries' || message.entries.length === 0) return;
            // Index prevLogIndex + 1 is the first entry the request carries.
            if (message.prevLogIndex < HELD) resent.push(`prevLogIndex ${message.prevLogIndex} with ${message.entries.length} entries`);
          },
        });
        traced(c, () => {
          const leader = requireLeader(c, s);
          const term = c.sim.node(leader)!.currentTerm;
          s.step(`a client writes e1 to e${HELD}, one after the other`);
          for (let i = 1; i <= HELD; i++) requireCommit(c, s, `e${i}`);
          const [follower, other] = c.ids.filter((id) => id !== leader) as [number, number];
          s.step(`node ${follower} crashes, holding all ${HELD} entries`);
          c.sim.crash(follower);
          requireCommit(c, s, 'f1', [leader, other]);
          requireCommit(c, s, 'f2', [leader, other]);
          s.step(`${OUTAGE_MS} ms pass; then node ${follower} restarts, lacking only f1 and f2 (indexes ${HELD + 1} and ${HELD + 2})`);
          c.sim.runFor(OUTAGE_MS);
          watching = follower;
          c.sim.restart(follower);
          if (!c.awaitApplied('f2', COMMIT_LIMIT_MS, [follower])) {
            s.fail(`node ${follower} to hold and apply f1 and f2 within ${COMMIT_LIMIT_MS} ms of restarting`, c.describe(follower));
          }
          const now = c.sim.node(leader)!;
          s.expect(now.role === 'leader' && now.currentTerm === term, `node ${leader} to still lead term ${term}: its AppendEntries reach node ${follower} before that node's election timer runs out`,
            () => `${c.describe(leader)}; ${c.describe(follower)}`);
          s.expect(resent.length === 0, `node ${leader} to send node ${follower} nothing it already held (entries after index ${HELD} only)`,
            () => `it sent AppendEntries starting before index ${HELD + 1}: ${resent.slice(0, 3).join('; ')}`);
        });
      },
    },
    ...commonRequirements(),
  ],
});
