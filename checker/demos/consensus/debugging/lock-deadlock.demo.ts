import type * as Impl from '../../../../solutions/consensus/debugging/lock-deadlock.ts';
import { createSimClock } from '../../../engine/sim-clock.ts';

/** The chapter's scenario: A takes a 30 s lock, crashes at 5 s; B asks at 40 s. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const clock = createSimClock(0);
    const service = new impl.LockService({ ttlMs: 30_000, clock });
    const a = service.tryAcquire('invoice-run', 'client-A');
    out(`0 s: client A ${a ? `acquires "invoice-run" (fencing token ${a.fencingToken}, lease until 30 s)` : 'is refused a free lock!'}`);
    out('(5 s pass)');
    await clock.advance(5_000);
    out('5 s: client A crashes without releasing the lock');
    out('(35 s pass)');
    await clock.advance(35_000);
    const b = service.tryAcquire('invoice-run', 'client-B');
    if (b) {
      out(`40 s: client B acquires the lock with fencing token ${b.fencingToken}`);
      out(a && b.fencingToken > a.fencingToken
        ? '  -> A\'s lease ran out at 30 s; B\'s larger token lets storage refuse any late write from A'
        : '  -> B got the lock, but its token is not larger than A\'s: storage cannot tell B\'s writes from A\'s');
    } else {
      out('40 s: client B is refused - the lock is still held by crashed client A: deadlock');
      out('  -> A\'s lease ended 10 s ago, but nothing treats an expired lease as free; no one will ever get the lock');
    }
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
