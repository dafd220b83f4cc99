import type * as Impl from '../../../solutions/consensus/distributed-lock.ts';
import { createSimClock } from '../../engine/sim-clock.ts';

/**
 * The chapter's client program for Pattern 3, on a simulated clock: acquire and release, a second
 * client refused, a lease running out, a renewal, growing tokens, a blocking acquire, and (from the
 * incident write-up) a paused client fenced off by the storage.
 */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  const clock = createSimClock(0);
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  const token = (lock: Impl.Lock | null): string => (lock ? `token ${lock.fencingToken}` : 'refused');
  const services: Impl.DistributedLock[] = [];
  try {
    out('=== Distributed lock demo (simulated clock) ===');
    const service = new impl.DistributedLock(5000, { clock });
    services.push(service);

    out('\n--- 1. Acquire and release (TTL 5 s) ---');
    const first = service.tryAcquire('resource1', 'client1');
    out(`client1 acquires resource1: ${token(first)}`);
    if (first) out(`client1 releases it: ${yesNo(service.release('resource1', 'client1', first.fencingToken))}`);

    out('\n--- 2. Two clients, one lock ---');
    out(`client1 acquires resource2: ${token(service.tryAcquire('resource2', 'client1'))}`);
    out(`client2 tries resource2 (should be refused): ${token(service.tryAcquire('resource2', 'client2'))}`);

    out('\n--- 3. A lease runs out (TTL 1 s) ---');
    const short = new impl.DistributedLock(1000, { clock });
    services.push(short);
    out(`client1 acquires resource3: ${token(short.tryAcquire('resource3', 'client1'))}`);
    out(`locked? ${yesNo(short.isLocked('resource3'))}`);
    await clock.advance(1500);
    out('(1.5 s pass; client1 never releases)');
    out(`locked? ${yesNo(short.isLocked('resource3'))}`);
    out(`client2 acquires resource3 after the expiry: ${token(short.tryAcquire('resource3', 'client2'))}`);

    out('\n--- 4. Renewal ---');
    const renewing = service.tryAcquire('resource4', 'client1', 2000);
    out(`client1 acquires resource4 with a 2 s TTL: ${token(renewing)}`);
    await clock.advance(1000);
    out('(1 s passes)');
    if (renewing) out(`client1 renews (fresh 5 s lease): ${yesNo(service.renew('resource4', 'client1', renewing.fencingToken))}`);
    await clock.advance(1500);
    out('(1.5 s more pass: 2.5 s in total, past the first 2 s lease)');
    out(`still locked? ${yesNo(service.isLocked('resource4'))}`);

    out('\n--- 5. Fencing tokens only grow ---');
    const before = service.tryAcquire('resource5', 'client1');
    out(`client1 acquires resource5: ${token(before)}`);
    if (before) service.release('resource5', 'client1', before.fencingToken);
    const after = service.tryAcquire('resource5', 'client2');
    out(`after client1 releases, client2 acquires it: ${token(after)}`);
    if (before && after) out(`token grew: ${yesNo(after.fencingToken > before.fencingToken)}`);

    out('\n--- 6. Blocking acquire ---');
    const holder = service.tryAcquire('resource6', 'client1');
    out(`client1 acquires resource6: ${token(holder)}`);
    out('client2 calls acquire(resource6) with a 3 s timeout and waits...');
    const askedAt = clock.now();
    let settled: { lock: Impl.Lock | null } | undefined;
    let failure: unknown;
    service.acquire('resource6', 'client2', 3000).then(
      (lock) => (settled = { lock }),
      (error: unknown) => (failure = error ?? 'acquire failed'),
    );
    await clock.advance(1500);
    if (holder) out(`(1.5 s pass) client1 releases: ${yesNo(service.release('resource6', 'client1', holder.fencingToken))}`);
    await clock.advance(1500);
    if (failure) throw failure;
    const result = settled?.lock;
    const verdict = !settled ? 'still waiting after its 3 s timeout (it never gave up)' : result ? `SUCCESS after ${(result.acquiredAt - askedAt) / 1000} s, token ${result.fencingToken}` : 'TIMEOUT';
    out(`client2's acquire: ${verdict}`);

    out('\n--- 7. A paused client meets a fenced storage ---');
    const storage = new impl.FencedResource();
    const lease = new impl.DistributedLock(30_000, { clock });
    services.push(lease);
    const a = lease.tryAcquire('file', 'A');
    out(`A acquires "file" with a 30 s lease: ${token(a)}`);
    if (a) out(`A writes "A-1": ${storage.write('A-1', a.fencingToken) ? 'accepted' : 'refused'}`);
    await clock.advance(31_000);
    out('(A freezes in a 31 s garbage-collection pause; its lease ends)');
    const b = lease.tryAcquire('file', 'B');
    out(`B acquires "file": ${token(b)}`);
    if (b) out(`B writes "B-1": ${storage.write('B-1', b.fencingToken) ? 'accepted' : 'refused'}`);
    if (a) out(`A wakes up and writes "A-2" with its old token: ${storage.write('A-2', a.fencingToken) ? 'accepted (data corrupted!)' : 'refused'}`);
    out(`storage holds ${JSON.stringify(storage.read())}, highest token ${storage.highestToken}`);
  } catch (error) {
    out(`The demo stopped: ${(error as Error).message ?? String(error)}`);
  } finally {
    for (const service of services) {
      try {
        service.shutdown();
      } catch {
        // a half-written shutdown must not hide what the demo printed
      }
    }
  }
}
