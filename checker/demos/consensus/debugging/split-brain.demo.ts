import type * as Impl from '../../../../solutions/consensus/debugging/split-brain.ts';

/**
 * Challenge 1's scenario, narrated: 5 nodes, majority 3, partition {1,2} | {3,4,5}, then node 1
 * and node 3 each start an election. Works on the shipped bug, a fix, or anything in between.
 */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const cluster = new impl.MajorityElection([1, 2, 3, 4, 5]);
    const sides = [[1, 2], [3, 4, 5]];
    out(`5 nodes (1-5); a leader needs ${cluster.getMajoritySize()} votes`);
    out('The network splits into {1,2} | {3,4,5}');
    cluster.partition(sides);
    for (const candidate of [1, 3]) {
      const side = sides.find((g) => g.includes(candidate)) ?? [];
      const won = cluster.startElection(candidate);
      const term = cluster.getNode(candidate)?.currentTerm;
      out(`Node ${candidate} (side {${side.join(',')}}, can collect at most ${side.length} votes) runs in term ${term}: ${won ? 'ELECTED' : 'not elected'}`);
    }
    const leaders = cluster.leaders();
    const where = (id: number): string => `node ${id} (side {${(sides.find((g) => g.includes(id)) ?? []).join(',')}})`;
    if (leaders.length > 1) {
      out(`Leaders after the partition: ${leaders.map(where).join(' and ')}: ${leaders.length} leaders, split-brain`);
      out('Both sides would accept writes; their data diverges until the partition heals.');
    } else if (leaders.length === 1) {
      out(`Leaders after the partition: one leader, ${where(leaders[0]!)}`);
      out(leaders[0] === 3 ? 'Only the majority side serves writes; side {1,2} waits. This is the intended outcome.' : 'Unexpected: the leader sits on the minority side.');
    } else {
      out('Leaders after the partition: none. No split-brain, but also no service: {3,4,5} holds 3 of 5 votes and should have elected node 3.');
    }
    out(`(${cluster.getMessageCount()} vote requests were delivered)`);
  } catch (error) {
    out(`The program threw an error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
