import type * as Impl from '../../../../solutions/consensus/debugging/lost-commits.ts';

/**
 * Challenge 2's scenario, narrated: 5 nodes, node 1 leads, nodes 4 and 5 are down, a client
 * writes "SET x=1". Then the leader crashes, and we look at what the client was promised.
 */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const ids = [1, 2, 3, 4, 5];
    const cluster = new impl.RaftReplication(ids);
    cluster.makeLeader(1, 1);
    out(`5 nodes (1-5); a majority is ${cluster.getMajoritySize()} copies; node 1 is leader of term 1`);
    out('Nodes 4 and 5 go down');
    cluster.simulateFailure(4);
    cluster.simulateFailure(5);
    out('A client writes "SET x=1" through node 1');
    const committed = cluster.appendEntry(1, 'SET x=1');
    const holders = ids.filter((id) => cluster.getNode(id)?.log.some((e) => e.command === 'SET x=1'));
    out(`Copies of the entry: nodes ${holders.join(', ')} (${holders.length} of 5, the leader included)`);
    out(`Leader commitIndex: ${cluster.getNode(1)?.commitIndex ?? '?'}; the client is told: ${committed ? 'committed' : 'FAILED'}`);
    if (committed) {
      out('Node 1 now crashes. Nodes 2 and 3 hold the entry, and any new leader needs a vote from one of');
      out('them (any majority of 5 overlaps {1,2,3}), so the committed write survives. Outcome: correct.');
    } else if (holders.length >= cluster.getMajoritySize()) {
      out('Node 1 now crashes. The entry sits on a majority, yet nobody ever declared it committed:');
      out('the client retries or gives up, and nobody can tell it whether x=1 happened. Outcome: a lost commit.');
    } else {
      out('The entry does not reach a majority, so not committing is right here.');
    }
  } catch (error) {
    out(`The program threw an error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
