import type * as Impl from '../../../../solutions/state/debugging/or-set-remove.ts';

/** Alice adds bread; Bob, who never saw it, removes bread; they sync; Alice adds it again. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const alice = new impl.ORSet('alice');
    const bob = new impl.ORSet('bob');
    alice.add('milk');
    alice.add('bread');
    bob.add('eggs');
    bob.add('milk');
    bob.remove('bread');
    out('alice adds milk, bread; bob adds eggs, milk, then removes bread (he has never seen it)');
    alice.merge(bob);
    bob.merge(alice);
    out(`after syncing: alice [${alice.elements().join(', ')}], bob [${bob.elements().join(', ')}]`);
    alice.add('bread');
    alice.merge(bob);
    out(`alice adds bread again and merges bob: alice [${alice.elements().join(', ')}]`);
    out('The report expects both lists to read [bread, eggs, milk]: what did Bob\'s remove cancel?');
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
