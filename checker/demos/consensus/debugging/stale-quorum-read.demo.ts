import type * as Impl from '../../../../solutions/consensus/debugging/stale-quorum-read.ts';

/** The chapter's scenario: N=3, R=2, W=2; node 1 missed the write of "v2". */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const store = new impl.QuorumStore([1, 2, 3], { readQuorum: 2, writeQuorum: 2 });
    out('Quorum store: N=3, R=2, W=2 (R + W = 4 > 3, so every read overlaps the latest write)');
    store.write('profile', 'v1');
    out('All nodes up: write "v1" -> version 1 on nodes 1, 2, 3');
    store.getNode(1).active = false;
    const ok = store.write('profile', 'v2');
    out(`Node 1 down: write "v2" -> version 2 on nodes 2, 3 (${ok ? 'acknowledged' : 'not acknowledged'})`);
    store.getNode(1).active = true;
    out('Node 1 back, still holding "v1" (version 1)');
    out('');
    out('Read: asks node 1, then node 2');
    const result = store.read('profile');
    if (result === null) out('  -> returned nothing, although two replicas answered');
    else if (result.version === 2) out(`  -> returned "${result.value}" (version 2): the newest of the two replies`);
    else out(`  -> returned "${result.value}" (version ${result.version}): node 2 answered "v2", but the stale first reply won`);
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
