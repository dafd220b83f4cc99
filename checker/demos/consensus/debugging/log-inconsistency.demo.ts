import type * as Impl from '../../../../solutions/consensus/debugging/log-inconsistency.ts';

type Entry = Impl.LogEntry;
const describeLog = (log: readonly Entry[]): string => `[${log.map((e) => `${e.command}(t${e.term})`).join(', ')}]`;

/** The chapter's scenario: a follower with a term-2 entry at index 2 receives e3 from a leader that has term 1 there. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const cluster = new impl.RaftCluster([1, 2]);
    const leader = cluster.getNode(1);
    const follower = cluster.getNode(2);
    leader.currentTerm = 2;
    leader.log = [{ term: 1, command: 'e1' }, { term: 1, command: 'e2' }, { term: 2, command: 'e3' }];
    follower.currentTerm = 2;
    follower.log = [{ term: 1, command: 'e1' }, { term: 2, command: 'e2' }];
    out(`Leader (node 1, term 2):  ${describeLog(leader.log)}`);
    out(`Follower (node 2):        ${describeLog(follower.log)}   <- e2 came from a term-2 leader that lost`);
    out('');
    out('Leader sends AppendEntries(prevLogIndex=2, prevLogTerm=1, entries=[e3])');
    const accepted = cluster.appendEntries(2, 2, 2, 1, [{ term: 2, command: 'e3' }]);
    if (accepted) {
      out(`Follower: accepted. Its log is now ${describeLog(follower.log)}`);
      out('  -> it disagrees with the leader at index 2 (t2 vs t1), yet reported success: the logs have diverged');
    } else {
      out('Follower: rejected - its entry at index 2 has term 2, not 1');
    }
    out('');
    out('Leader runs its retry loop from nextIndex=3 (decrementing nextIndex after each rejection)');
    const result = cluster.replicate(1, 2, 3);
    out(`  ${result.attempts} attempt(s); follower now holds ${describeLog(follower.log)}`);
    const same = describeLog(follower.log) === describeLog(leader.log);
    out(same ? '  -> the follower\'s log matches the leader\'s: replication converged'
      : '  -> the logs still disagree: a command at index 2 differs between the two nodes (agreement is broken)');
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
