import type * as Impl from '../../../solutions/consensus/raft.ts';
import { createSimClock } from '../../engine/sim-clock.ts';

/**
 * The chapter's Raft client, ported: elect a leader among 5 nodes, write three commands, look at
 * what each node has committed, crash the leader, elect another and write again. Time is
 * simulated: the demo says how long would pass instead of sleeping.
 */

function fmt(entries: readonly Impl.LogEntry[]): string {
  return entries.length === 0 ? '(nothing)' : entries.map((e) => `[#${e.index} t${e.term} ${e.command}]`).join(' ');
}

export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const clock = createSimClock(0);
    const ids = [1, 2, 3, 4, 5];
    const raft = new impl.RaftConsensus(ids, { clock });

    out('=== Raft demo: 5 nodes (1-5) ===');
    out('');
    out('--- 1. Leader election ---');
    const won = raft.startElection(1);
    await clock.advance(100);
    out(`Node 1 ran for leader: ${won ? 'won' : 'lost'}. (0.1 s pass)`);
    const leader = raft.getLeader();
    if (leader === -1) {
      out('No leader was elected, so there is nothing more to show: startElection and requestVote come first.');
      return;
    }
    out(`Leader: node ${leader}, term ${raft.getNode(leader).currentTerm}`);

    out('');
    out('--- 2. Log replication ---');
    for (const command of ['SET x=1', 'SET y=2', 'DELETE z']) {
      out(`Write "${command}" to node ${leader}: ${raft.appendEntry(leader, command) ? 'committed on a majority' : 'NOT committed'}`);
    }

    out('');
    out('--- 3. What each node has committed ---');
    out('(a follower learns the commit index from the NEXT AppendEntries, so it may trail the leader by one write)');
    for (const id of ids) out(`Node ${id}: ${fmt(raft.getCommittedEntries(id))}`);
    raft.broadcastHeartbeat(leader);
    out(`After one heartbeat from node ${leader}:`);
    for (const id of ids) out(`Node ${id}: ${fmt(raft.getCommittedEntries(id))}`);

    out('');
    out('--- 4. Leader failure ---');
    out(`Node ${leader} crashes.`);
    raft.simulateFailure(leader);
    const candidate = (leader % 5) + 1;
    const wonAgain = raft.startElection(candidate);
    await clock.advance(100);
    out(`Node ${candidate} runs for leader: ${wonAgain ? 'won' : 'lost'}. (0.1 s pass)`);
    const newLeader = raft.getLeader();
    if (newLeader === -1) {
      out('No new leader: with 4 of 5 nodes alive, one should have won.');
      return;
    }
    out(`New leader: node ${newLeader}, term ${raft.getNode(newLeader).currentTerm}`);

    out('');
    out('--- 5. Writing to the new leader ---');
    out(`Write "SET a=100" to node ${newLeader}: ${raft.appendEntry(newLeader, 'SET a=100') ? 'committed (4 live nodes, 3 needed)' : 'NOT committed'}`);
    out(`Node ${newLeader}'s committed log: ${fmt(raft.getCommittedEntries(newLeader))}`);
    out(`Messages sent in total: ${raft.getMessageCount()}`);
  } catch (error) {
    out(`The demo stopped: ${(error as Error).message}`);
  }
}
