import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/lock-deadlock.ts';
import { defineGrader, checkSchedules } from '../../../engine/grader.ts';

type Mod = typeof Impl;
const TTL = 30_000;
const R = 'invoice-run';
const secs = (ms: number): string => `${ms / 1000} s`;

type Step =
  | { readonly kind: 'acquire'; readonly client: string; readonly resource: string }
  | { readonly kind: 'release'; readonly client: string; readonly resource: string }
  | { readonly kind: 'wait'; readonly ms: number };

const client = fc.constantFrom('A', 'B', 'C');
const resource = fc.constantFrom('r1', 'r2');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('acquire' as const), client, resource }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), client, resource }) },
  // Waits avoid landing exactly on an expiry instant: whether a lease is still valid at that very
  // millisecond is a convention, not the bug.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 50 }).map((x) => x * 1000 + 7) }) },
);

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
      id: 'random-lock-timelines',
      title: 'Over any timeline of acquires, releases and waits: a lock is granted exactly when it is free, expired or already yours, with ever-growing tokens',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.array(stepArb, { minLength: 1, maxLength: 20 }), (steps) => {
          const s = ctx.scenario(`Lock service with a ${secs(TTL)} lease; resources r1 and r2; clients A, B, C`);
          const clock = ctx.simClock();
          const service = new ctx.impl.LockService({ ttlMs: TTL, clock });
          // The model: who holds each resource and until when.
          const held = new Map<string, { owner: string; until: number }>();
          let lastToken = -Infinity;
          for (const step of steps) {
            const at = secs(clock.now());
            if (step.kind === 'wait') {
              s.step(`${(step.ms / 1000).toFixed(3)} s pass`);
              clock.advanceSync(step.ms);
              continue;
            }
            if (step.kind === 'release') {
              s.step(`${at}: client ${step.client} releases ${step.resource}`);
              service.release(step.resource, step.client);
              if (held.get(step.resource)?.owner === step.client) held.delete(step.resource);
              continue;
            }
            s.step(`${at}: client ${step.client} tries to acquire ${step.resource}`);
            const current = held.get(step.resource);
            const live = current !== undefined && clock.now() < current.until;
            const shouldGrant = !live || current.owner === step.client;
            const lock = service.tryAcquire(step.resource, step.client);
            s.expect((lock !== null) === shouldGrant,
              shouldGrant
                ? `client ${step.client} to get ${step.resource}: it is ${!current ? 'free' : live ? 'its own' : `expired (client ${current.owner}'s lease ended at ${secs(current.until)})`}`
                : `client ${step.client} to be refused: client ${current!.owner} holds ${step.resource} until ${secs(current!.until)}`,
              () => (lock ? `it got the lock with token ${lock.fencingToken}` : 'it was refused'));
            if (lock) {
              s.expect(lock.fencingToken > lastToken, `the new token to be larger than every earlier one (${lastToken})`, `it was ${lock.fencingToken}`);
              lastToken = lock.fencingToken;
              held.set(step.resource, { owner: step.client, until: clock.now() + TTL });
            }
          }
        }),
    },
  ],
});
