import type * as Impl from '../../../../solutions/consensus/debugging/term-confusion.ts';

/**
 * Challenge 3's scenario, narrated: node 3 votes for node 5 in term 1, node 1 asks it in term 2;
 * then the same trap across a whole cluster whose term-1 leader crashes.
 */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const ids = [1, 2, 3, 4, 5];
    const voter = new impl.RaftElections(ids);
    const show = (c: Impl.RaftElections, id: number): string => {
      const n = c.getNode(id);
      return `term ${n?.currentTerm ?? '?'}, votedFor ${n?.votedFor ?? 'nobody'}`;
    };
    const first = voter.requestVote(3, 5, 1);
    out(`Term 1: node 5 asks node 3 for its vote: ${first ? 'granted' : 'refused'} (node 3: ${show(voter, 3)})`);
    const second = voter.requestVote(3, 1, 2);
    out(`Term 2: node 1 asks node 3 for its vote: ${second ? 'granted' : 'refused'} (node 3: ${show(voter, 3)})`);
    out(second ? 'Node 3 votes again: its term-1 vote does not bind it in term 2.' : 'Node 3 still holds its term-1 vote for node 5 and refuses a candidate it has no reason to refuse.');

    out('');
    out('Whole cluster: node 5 wins term 1, then crashes; nodes 1, 2, 3 try in turn');
    const cluster = new impl.RaftElections(ids);
    cluster.startElection(5);
    cluster.simulateFailure(5);
    let leader: number | undefined;
    for (const candidate of [1, 2, 3]) {
      const won = cluster.startElection(candidate);
      out(`  node ${candidate} runs in term ${cluster.getNode(candidate)?.currentTerm ?? '?'}: ${won ? 'elected' : 'not elected'}`);
      if (won) {
        leader = candidate;
        break;
      }
    }
    out(leader !== undefined ? `New leader: node ${leader}. The cluster serves writes again.` : 'No leader after three elections with 4 of 5 nodes up: the cluster is stuck (termination fails).');
  } catch (error) {
    out(`The program threw an error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
