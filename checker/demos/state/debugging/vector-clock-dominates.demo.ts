import type * as Impl from '../../../../solutions/state/debugging/vector-clock-dominates.ts';

/** EU and US cart replicas write concurrently, then exchange versions. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const eu = new impl.Replica<string>('eu');
    const us = new impl.Replica<string>('us');
    eu.write('book');
    us.receive(eu.read());
    eu.write('book, lamp');
    eu.write('book, lamp, pen');
    us.write('book, mug');
    const fromEu = eu.read();
    const fromUs = us.read();
    out(`eu holds "book, lamp, pen" ${JSON.stringify(fromEu[0]?.clock)}; us holds "book, mug" ${JSON.stringify(fromUs[0]?.clock)}`);
    out(`compare(eu, us) -> ${impl.compare(fromEu[0]!.clock, fromUs[0]!.clock)} (neither saw the other: concurrent)`);
    eu.receive(fromUs);
    us.receive(fromEu);
    const show = (r: Impl.Replica<string>): string => r.read().map((v) => JSON.stringify(v.value)).join(' and ');
    out(`after the exchange: eu holds ${show(eu)}; us holds ${show(us)}`);
    out('Both sites should hold both carts as siblings.');
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
