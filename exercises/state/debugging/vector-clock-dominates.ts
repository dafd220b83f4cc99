/**
 * Versions with vector clocks: each replica of a shopping cart stamps its writes with a vector clock,
 * and replicas exchange versions. A version whose clock dominates another's replaces it; versions
 * whose clocks are concurrent are both kept, as siblings, for the application to merge.
 *
 * Clocks are sparse: a replica that has never written is simply absent, which means 0. The contract:
 *   - `dominates(a, b)`: a[n] >= b[n] for every node n, and a[n] > b[n] for at least one;
 *   - `compare(a, b)`: 'equal', 'after' (a dominates b), 'before' (b dominates a) or 'concurrent';
 *   - `Replica.write` makes a version that has seen every sibling the replica holds (so it replaces them);
 *   - `Replica.receive` keeps exactly the versions no other known version dominates: a version is never
 *     dropped unless a version that has seen it is kept.
 *
 * Reported symptom: a customer added an item to the cart on the EU site while the US site, cut off
 * for a moment, recorded a mug. After the sites exchanged versions both showed the EU cart: no sibling
 * was offered for merging, and the mug was never seen again.
 *
 * Run it: npx tsx exercises/state/debugging/vector-clock-dominates.ts
 * Grade it: npm run exercise -- challenge state/3
 */

export type VectorClock = Readonly<Record<string, number>>;
export type Order = 'equal' | 'before' | 'after' | 'concurrent';

export interface Version<T> {
  readonly value: T;
  readonly clock: VectorClock;
}

const at = (clock: VectorClock, node: string): number => clock[node] ?? 0;

function sameClock(a: VectorClock, b: VectorClock): boolean {
  const nodes = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...nodes].every((node) => at(a, node) === at(b, node));
}

/** True when a has seen everything b has, and more. */
export function dominates(a: VectorClock, b: VectorClock): boolean {
  const nodes = Object.keys(a);
  return nodes.every((node) => at(a, node) >= at(b, node)) && nodes.some((node) => at(a, node) > at(b, node));
}

export function compare(a: VectorClock, b: VectorClock): Order {
  if (sameClock(a, b)) return 'equal';
  if (dominates(a, b)) return 'after';
  if (dominates(b, a)) return 'before';
  return 'concurrent';
}

function mergeClocks(clocks: readonly VectorClock[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const clock of clocks) for (const [node, count] of Object.entries(clock)) merged[node] = Math.max(merged[node] ?? 0, count);
  return merged;
}

export class Replica<T> {
  private siblings: Version<T>[] = [];

  constructor(readonly replicaId: string) {}

  /** A new version that supersedes every sibling held here. */
  write(value: T): Version<T> {
    const clock = mergeClocks(this.siblings.map((v) => v.clock));
    clock[this.replicaId] = (clock[this.replicaId] ?? 0) + 1;
    const version: Version<T> = { value, clock };
    this.siblings = [version];
    return version;
  }

  /** Takes in another replica's versions (what its read() returned). */
  receive(incoming: readonly Version<T>[]): void {
    let kept = [...this.siblings];
    for (const version of incoming) {
      const known = kept.some((k) => sameClock(k.clock, version.clock) || dominates(k.clock, version.clock));
      if (known) continue;
      kept = kept.filter((k) => !dominates(version.clock, k.clock));
      kept.push(version);
    }
    this.siblings = kept;
  }

  /** The current versions: one, or several concurrent siblings. */
  read(): Version<T>[] {
    return [...this.siblings];
  }
}

function main(): void {
  const eu = new Replica<string>('eu');
  const us = new Replica<string>('us');
  eu.write('book');
  us.receive(eu.read());
  console.log('eu writes "book"; us receives it:', JSON.stringify(us.read()));
  eu.write('book, lamp');
  eu.write('book, lamp, pen');
  us.write('book, mug');
  console.log('eu writes twice more, us writes once, while cut off');
  const fromEu = eu.read();
  const fromUs = us.read();
  console.log(`  eu's clock ${JSON.stringify(fromEu[0]!.clock)}, us's clock ${JSON.stringify(fromUs[0]!.clock)}: compare says ${compare(fromEu[0]!.clock, fromUs[0]!.clock)}`);
  eu.receive(fromUs);
  us.receive(fromEu);
  console.log('after the exchange:');
  console.log('  eu holds', JSON.stringify(eu.read()));
  console.log('  us holds', JSON.stringify(us.read()));
  console.log('Neither write saw the other, so both sites should hold both versions as siblings.');
}

if (import.meta.filename === process.argv[1]) main();
