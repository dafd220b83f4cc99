import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/lock-deadlock.ts';
import { defineGrader, checkSchedules, type GradeContext } from '../../../engine/grader.ts';

type Mod = typeof Impl;
const TTL = 30_000;
const R = 'invoice-run';
const secs = (ms: number): string => `${ms / 1000} s`;

type Step =
  | { readonly kind: 'acquire'; readonly client: string; readonly resource: string }
  | { readonly kind: 'release'; readonly client: string; readonly resource: string }
  | { readonly kind: 'wait'; readonly ms: number }
  // Moves the clock to a lease's expiry instant plus `offset` (-1, 0 or +1 ms), when that is ahead.
  | { readonly kind: 'to-expiry'; readonly resource: string; readonly offset: number };

const client = fc.constantFrom('A', 'B', 'C');
const resource = fc.constantFrom('r1', 'r2');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('acquire' as const), client, resource }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), client, resource }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 50 }).map((x) => x * 1000 + 7) }) },
  // The file's Lock.isExpired says a lease is over from its expiry instant on: probe that instant
  // and 1 ms either side, as the lock pattern's grader does.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('to-expiry' as const), resource, offset: fc.constantFrom(-1, 0, 1) }) },
);

/** TTLs a timeline runs with: undefined is the default of 30 s (no ttlMs option given). */
const ttlArb = fc.constantFrom<number | undefined>(undefined, TTL, 1, 7, 1_000, 45_000);

/** TTLs the boundary requirements probe: undefined is the default of 30 s (no ttlMs option given). */
const BOUNDARY_TTLS: readonly (number | undefined)[] = [undefined, 5_000, 1];
/** Leases start at a time other than 0, so "expiry = TTL" and "expiry = start + TTL" differ. */
const START = 1_234;

/** A fresh service whose clock reads START when client A takes the lock with the given TTL. */
function leaseTakenAt(ctx: GradeContext<Mod>, ttl: number | undefined) {
  const ttlText = ttl === undefined ? `the default lease (${secs(TTL)}, no ttlMs given)` : `a ${ttl} ms lease`;
  const s = ctx.scenario(`Lock service with ${ttlText}; resource "${R}"`);
  const clock = ctx.simClock();
  const service = new ctx.impl.LockService(ttl === undefined ? { clock } : { ttlMs: ttl, clock });
  clock.advanceSync(START);
  s.step(`${START} ms: client A acquires the lock, then crashes`);
  const a = service.tryAcquire(R, 'client-A');
  const expiry = START + (ttl ?? TTL);
  s.expect(a !== null && a.expiresAt === expiry, `client A to get the free lock until ${expiry} ms`,
    () => (a ? `its lock runs until ${a.expiresAt} ms` : 'it was refused'));
  return { s, clock, service, expiry };
}

export default defineGrader<Mod>({
  requiredExports: ['LockService', 'Lock'],
  requirements: [
    {
      id: 'expired-lock-can-be-taken',
      title: 'Once a crashed holder\'s lease has run out, another client can acquire the lock',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(`Lock service with a ${secs(TTL)} lease; resource "${R}"`);
        const clock = ctx.simClock();
        const service = new ctx.impl.LockService({ ttlMs: TTL, clock });
        s.step('0 s: client A acquires the lock');
        const a = service.tryAcquire(R, 'client-A');
        s.expect(a !== null, 'client A to get the free lock', 'it was refused');
        s.step('5 s: client A crashes (it never releases the lock)');
        clock.advanceSync(5_000);
        s.step('40 s: client B tries to acquire the lock');
        clock.advanceSync(35_000);
        const b = service.tryAcquire(R, 'client-B');
        s.expect(b !== null && b.ownerId === 'client-B',
          'client B to get the lock: client A\'s lease ran out at 30 s',
          'client B was refused although client A\'s lease ran out 10 s ago: a crashed holder keeps the lock forever (deadlock)');
      },
    },
    {
      id: 'new-holder-gets-higher-token',
      title: 'A client that takes over an expired lock gets a larger fencing token than the crashed holder had',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`Lock service with a ${secs(TTL)} lease; resource "${R}"`);
        const clock = ctx.simClock();
        const service = new ctx.impl.LockService({ ttlMs: TTL, clock });
        s.step('0 s: client A acquires the lock, then crashes');
        const a = service.tryAcquire(R, 'client-A');
        s.step('40 s: client B acquires the lock');
        clock.advanceSync(40_000);
        const b = service.tryAcquire(R, 'client-B');
        s.expect(a !== null && b !== null, 'both acquisitions to succeed', () => `client A got ${a ? 'it' : 'nothing'}, client B got ${b ? 'it' : 'nothing'}`);
        s.expect(b!.fencingToken > a!.fencingToken,
          `client B's fencing token to be larger than client A's (${a!.fencingToken}), so storage can refuse A's late writes`,
          `it was ${b!.fencingToken}`);
      },
    },
    {
      id: 'live-lock-is-exclusive',
      title: 'While the holder\'s lease is still running, nobody else can acquire the lock',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`Lock service with a ${secs(TTL)} lease; resource "${R}"`);
        const clock = ctx.simClock();
        const service = new ctx.impl.LockService({ ttlMs: TTL, clock });
        s.step('0 s: client A acquires the lock');
        service.tryAcquire(R, 'client-A');
        for (const at of [1_000, 15_000, 29_000]) {
          clock.advanceSync(at - clock.now());
          s.step(`${secs(at)}: client B tries to acquire the lock`);
          const b = service.tryAcquire(R, 'client-B');
          s.expect(b === null, 'client B to be refused: client A\'s lease runs until 30 s',
            `client B got the lock (token ${b?.fencingToken}) while client A still held it: two holders at once`);
        }
      },
    },
    {
      id: 'free-lock-is-granted',
      title: 'A free lock is granted, and after a release another client gets it',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(`Lock service with a ${secs(TTL)} lease; resource "${R}"`);
        const clock = ctx.simClock();
        const service = new ctx.impl.LockService({ ttlMs: TTL, clock });
        s.step('0 s: client A acquires the free lock');
        const a = service.tryAcquire(R, 'client-A');
        s.expect(a !== null && a.ownerId === 'client-A', 'client A to get the lock', 'it was refused');
        s.step('2 s: client A releases it; client B acquires it');
        clock.advanceSync(2_000);
        service.release(R, 'client-A');
        const b = service.tryAcquire(R, 'client-B');
        s.expect(b !== null && b.ownerId === 'client-B', 'client B to get the released lock', 'it was refused');
        s.step('10 s: client B acquires its own lock again to renew the lease');
        clock.advanceSync(8_000);
        const renewed = service.tryAcquire(R, 'client-B');
        s.expect(renewed !== null, 'the holder to be able to renew its own lock', 'it was refused');
      },
    },
    {
      id: 'lease-held-until-its-last-ms',
      title: 'A lease of TTL t taken at time a is still held at a + t - 1 ms: nobody else gets the lock (default and other TTLs)',
      kind: 'safety',
      check: (ctx) => {
        for (const ttl of BOUNDARY_TTLS) {
          const { s, clock, service, expiry } = leaseTakenAt(ctx, ttl);
          clock.advanceSync(expiry - 1 - clock.now());
          s.step(`${expiry - 1} ms, 1 ms before the lease runs out: client B tries to acquire the lock`);
          const b = service.tryAcquire(R, 'client-B');
          s.expect(b === null, `client B to be refused: client A's lease runs until ${expiry} ms`,
            () => `client B got the lock (token ${b?.fencingToken}) while client A still held it: two holders at once`);
        }
      },
    },
    {
      id: 'lease-free-from-expiry-instant',
      title: 'A lease of TTL t taken at time a is over at a + t exactly and 1 ms later: another client gets the lock (default and other TTLs)',
      kind: 'liveness',
      check: (ctx) => {
        for (const ttl of BOUNDARY_TTLS) {
          for (const offset of [0, 1]) {
            const { s, clock, service, expiry } = leaseTakenAt(ctx, ttl);
            const at = expiry + offset;
            clock.advanceSync(at - clock.now());
            s.step(`${at} ms, ${offset === 0 ? 'the instant the lease runs out (Lock.isExpired: now >= expiresAt)' : '1 ms after the lease ran out'}: client B tries to acquire the lock`);
            const b = service.tryAcquire(R, 'client-B');
            s.expect(b !== null && b.ownerId === 'client-B' && b.expiresAt === at + (ttl ?? TTL),
              `client B to get the lock until ${at + (ttl ?? TTL)} ms: client A's lease ended at ${expiry} ms`,
              () => (b ? `it got a lock for ${b.ownerId} until ${b.expiresAt} ms` : 'client B was refused'));
          }
        }
      },
    },
    {
      id: 'only-the-holder-releases',
      title: 'release frees the lock only for its holder and says whether it did',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`Lock service with a ${secs(TTL)} lease; resource "${R}"`);
        const clock = ctx.simClock();
        const service = new ctx.impl.LockService({ ttlMs: TTL, clock });
        const expectRelease = (who: string, wanted: boolean, why: string): void => {
          s.step(`client ${who} releases the lock`);
          const released = service.release(R, `client-${who}`);
          s.expect(released === wanted, `release to return ${wanted}: ${why}`, `it returned ${released}`);
        };
        expectRelease('A', false, 'nobody holds the lock');
        s.step('0 s: client A acquires the lock');
        service.tryAcquire(R, 'client-A');
        clock.advanceSync(1_000);
        expectRelease('B', false, 'client A holds it, not client B');
        s.step('1 s: client C tries to acquire the lock');
        s.expect(service.tryAcquire(R, 'client-C') === null, 'client C to be refused: client A still holds the lock', 'client C got it: client B\'s release freed client A\'s lock');
        expectRelease('A', true, 'client A holds the lock');
        s.expect(service.getLock(R) === undefined, 'getLock to show no lock after the release', () => `it shows client ${service.getLock(R)?.ownerId}'s lock`);
        expectRelease('A', false, 'client A already released it');
      },
    },
    {
      id: 'random-lock-timelines',
      title: 'Over any timeline of acquires, releases and waits (TTLs varied, the clock landing on expiry instants): a lock is granted exactly when it is free, expired or already yours, with ever-growing tokens; getLock, release and the message count agree after every call',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.record({ ttl: ttlArb, start: fc.constantFrom(0, 1_234), steps: fc.array(stepArb, { minLength: 1, maxLength: 24 }) }), ({ ttl, start, steps }) => {
          const ttlMs = ttl ?? TTL;
          const s = ctx.scenario(`Lock service with a ${ttl === undefined ? `default (${secs(TTL)})` : `${ttl} ms`} lease; resources r1 and r2; clients A, B, C`);
          const clock = ctx.simClock();
          clock.advanceSync(start);
          const service = new ctx.impl.LockService(ttl === undefined ? { clock } : { ttlMs: ttl, clock });
          // The model: who holds each resource and until when.
          const held = new Map<string, { owner: string; until: number }>();
          let lastToken = -Infinity;
          let messages = 0;
          const at = (): string => `${clock.now()} ms`;
          for (const step of steps) {
            if (step.kind === 'wait') {
              s.step(`${step.ms} ms pass`);
              clock.advanceSync(step.ms);
              continue;
            }
            if (step.kind === 'to-expiry') {
              const current = held.get(step.resource);
              const target = current && current.until + step.offset;
              if (target !== undefined && target > clock.now()) {
                s.step(`the clock moves to ${target} ms (${step.offset === 0 ? 'the instant' : `1 ms ${step.offset < 0 ? 'before' : 'after'} the instant`} ${step.resource}'s lease runs out)`);
                clock.advanceSync(target - clock.now());
              }
              continue;
            }
            if (step.kind === 'release') {
              s.step(`${at()}: client ${step.client} releases ${step.resource}`);
              const current = held.get(step.resource);
              const released = service.release(step.resource, step.client);
              messages++;
              // Whether a holder may still release a lease that ran out is not promised either way.
              if (!current || clock.now() < current.until) {
                const holds = current?.owner === step.client;
                s.expect(released === holds,
                  `release to return ${holds}: ${holds ? `client ${step.client} holds ${step.resource}` : current ? `client ${current.owner} holds it, not client ${step.client}` : 'nobody holds it'}`,
                  `it returned ${released}`);
              }
              // An expired lease stays in the model either way: it is free whether or not it was deleted.
              if (current?.owner === step.client && clock.now() < current.until) held.delete(step.resource);
            } else {
              s.step(`${at()}: client ${step.client} tries to acquire ${step.resource}`);
              const current = held.get(step.resource);
              const live = current !== undefined && clock.now() < current.until;
              const shouldGrant = !live || current.owner === step.client;
              const lock = service.tryAcquire(step.resource, step.client);
              messages++;
              s.expect((lock !== null) === shouldGrant,
                shouldGrant
                  ? `client ${step.client} to get ${step.resource}: it is ${!current ? 'free' : live ? 'its own' : `expired (client ${current.owner}'s lease ended at ${current.until} ms)`}`
                  : `client ${step.client} to be refused: client ${current!.owner} holds ${step.resource} until ${current!.until} ms`,
                () => (lock ? `it got the lock with token ${lock.fencingToken}` : 'it was refused'));
              if (lock) {
                s.expect(lock.fencingToken > lastToken, `the new token to be larger than every earlier one (${lastToken})`, `it was ${lock.fencingToken}`);
                const until = clock.now() + ttlMs;
                s.expect(lock.resourceId === step.resource && lock.ownerId === step.client && lock.expiresAt === until,
                  `the lock to name ${step.resource}, client ${step.client} and expiresAt ${until} (now + TTL)`,
                  `it names ${lock.resourceId}, ${lock.ownerId} and expiresAt ${lock.expiresAt}`);
                lastToken = lock.fencingToken;
                held.set(step.resource, { owner: step.client, until });
              }
            }
            // After every call: the service's own view agrees with the model, and counts each call once.
            for (const r of ['r1', 'r2']) {
              const record = service.getLock(r);
              const wanted = held.get(r);
              // A lease that ran out may be shown or forgotten; a live one, or none, exactly.
              if (wanted && clock.now() >= wanted.until && (record === undefined || record.ownerId === wanted.owner)) continue;
              s.expect(record?.ownerId === wanted?.owner && record?.expiresAt === wanted?.until,
                `getLock("${r}") to show ${wanted ? `client ${wanted.owner}'s lease until ${wanted.until} ms` : 'no lock'}`,
                () => (record ? `it shows client ${record.ownerId}'s lease until ${record.expiresAt} ms` : 'it shows no lock'));
            }
            s.expect(service.getMessageCount() === messages,
              `getMessageCount() to be ${messages}: one message per tryAcquire and per release`,
              () => `it was ${service.getMessageCount()}`);
          }
        }),
    },
  ],
});
