import type * as Impl from '../../../../solutions/state/debugging/empty-quorum-read.ts';

/** N=3, W=2, R=2; a rack failure leaves only the node that missed the last write, then none. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  const nodes = ['n1', 'n2', 'n3'].map((id) => new impl.StorageNode(id));
  const [n1, n2, n3] = nodes as [Impl.StorageNode, Impl.StorageNode, Impl.StorageNode];
  const store = new impl.QuorumStore(nodes, 2, 2);
  const read = (): string => {
    try {
      return JSON.stringify(store.read('address'));
    } catch (error) {
      return `threw ${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  try {
    out(`N=3, W=2, R=2. write "old street": ${store.write('address', 'old street')}`);
    n1.up = false;
    out(`n1 down. write "new street": ${store.write('address', 'new street')} (confirmed by n2 and n3)`);
    n1.up = true;
    n2.up = false;
    n3.up = false;
    out(`n1 back, n2 and n3 down. read -> ${read()}`);
    n1.up = false;
    out(`every node down. read -> ${read()}`);
    out('With fewer than R=2 replies, both reads should answer {"status":"insufficient_replicas"}.');
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
