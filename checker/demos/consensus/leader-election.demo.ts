import type * as Impl from '../../../solutions/consensus/leader-election.ts';
import { createSimClock } from '../../engine/sim-clock.ts';

/**
 * The chapter's client program, narrated: a 5-node cluster elects a leader, loses it, loses two
 * more nodes, and (our addition) gets its highest node back. Time is simulated: "(1.1 s pass)"
 * costs nothing.
 */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  const clock = createSimClock(0);
  const ids = [1, 2, 3, 4, 5];
  const timeoutMs = 1000;
  let election: InstanceType<typeof impl.LeaderElection> | undefined;
  const leader = (): string => {
    const id = election!.getLeader();
    return id === -1 ? 'none' : `node ${id}`;
  };
  const states = (): string => ids.map((id) => `${id}:${election!.getNodeState(id)}`).join('  ');
  const failover = async (): Promise<void> => {
    out(`  (${(timeoutMs + 100) / 1000} s pass with no heartbeats; the live followers check the leader's health)`);
    clock.advanceSync(timeoutMs + 100);
    for (const id of ids) election!.checkLeaderHealth(id);
  };

  try {
    election = new impl.LeaderElection(ids, timeoutMs, { clock });
    out(`=== Leader election (Bully), nodes ${ids.join(', ')}, heartbeat timeout ${timeoutMs} ms ===`);

    out('--- 1. Initial election, started by the lowest node ---');
    election.startElection(1);
    out(`  leader: ${leader()}   messages so far: ${election.getMessageCount()}`);
    out(`  node 1 is ${election.getNodeState(1)}, node 5 is ${election.getNodeState(5)}`);

    out('--- 2. The leader crashes ---');
    const first = election.getLeader();
    if (first === -1) {
      out('  no leader was elected, so there is nothing to crash: implement startElection first');
      return;
    }
    out(`  node ${first} crashes`);
    election.simulateFailure(first);
    out(`  right after the crash: no live leader, but node 1 still follows node ${election.getLeaderSeenBy(1)} (no timeout yet)`);
    await failover();
    out(`  new leader: ${leader()}`);

    out('--- 3. Two more nodes crash ---');
    out('  nodes 4 and 3 crash');
    election.simulateFailure(4);
    election.simulateFailure(3);
    await failover();
    out(`  leader after the crashes: ${leader()}`);

    out('--- 4. Node states ---');
    out(`  ${states()}   (a crashed node keeps the state it had when it died)`);

    out('--- 5. Node 5 recovers and bullies its way back ---');
    election.simulateRecovery(5);
    out(`  leader: ${leader()}; node 2 now follows node ${election.getLeaderSeenBy(2)}`);
    out(`  (5 s pass: heartbeats from node 5 keep everyone calm)`);
    const before = election.getMessageCount();
    for (let i = 0; i < 10; i++) {
      clock.advanceSync(500);
      for (const id of ids) election.checkLeaderHealth(id);
    }
    out(`  leader: ${leader()}; ${election.getMessageCount() - before} heartbeat messages sent meanwhile`);
  } catch (error) {
    out(`  the demo stopped: ${(error as Error).message ?? String(error)}`);
  } finally {
    election?.shutdown();
    out(`shutdown: ${clock.pendingTimers()} timer(s) left running`);
  }
}
