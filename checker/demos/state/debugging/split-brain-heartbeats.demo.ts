import type * as Impl from '../../../../solutions/state/debugging/split-brain-heartbeats.ts';
import type { Clock } from '#workbook/clock';

/** 5 nodes; db1 is primary; the network splits {db1, db2} | {db3, db4, db5} for two minutes. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    let now = 0;
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {}, setInterval: () => 0, clearInterval: () => {}, sleep: async () => {} };
    const names = ['db1', 'db2', 'db3', 'db4', 'db5'];
    const nodes = names.map((id) => new impl.SplitBrainDetector(id, names.length, clock));
    const side = (id: string): number => (id === 'db1' || id === 'db2' ? 0 : 1);
    let split = false;
    const beat = (): void => {
      for (const to of nodes) for (const from of nodes) if (from !== to && (!split || side(from.nodeId) === side(to.nodeId))) to.heartbeatReceived(from.nodeId);
    };
    beat();
    out(`t=0 s, all connected: db1 -> ${nodes[0]!.attemptPrimaryElection((n) => nodes[names.indexOf(n)]!.isPrimary)}`);
    split = true;
    out('the network splits into {db1, db2} | {db3, db4, db5}; heartbeats every 5 s inside each side');
    for (let t = 5; t <= 120; t += 5) {
      now = t * 1000;
      beat();
      for (const node of nodes) node.handleNetworkPartition();
    }
    out(`t=120 s: db3 -> ${nodes[2]!.attemptPrimaryElection((n) => side(n) === 1 && nodes[names.indexOf(n)]!.isPrimary)}`);
    for (const node of nodes) out(`  ${node.nodeId}: sees ${node.visibleNodes().join(', ') || 'nobody'}; primary: ${node.isPrimary}`);
    const primaries = nodes.filter((n) => n.isPrimary).map((n) => n.nodeId);
    out(primaries.length > 1 ? `Split-brain: ${primaries.join(' and ')} are both primary.` : `One primary: ${primaries.join('') || 'none'}.`);
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
