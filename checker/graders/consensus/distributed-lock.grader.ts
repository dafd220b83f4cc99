import fc from 'fast-check';
import type * as Impl from '../../../solutions/consensus/distributed-lock.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario } from '../../engine/grader.ts';
import { createSimClock, type SimClock } from '../../engine/sim-clock.ts';

/**
 * Grader for Pattern 3 (distributed lock with fencing tokens).
 * Expiry convention (stated in the stub and the guide): a lease covers [acquiredAt, acquiredAt + ttl),
 * so it is held at expiresAt - 1 and free AT expiresAt. Checks probe the edge itself and one tick
 * either side, and every time a step prints is the time the check runs at.
 */
type Ctx = GradeContext<typeof Impl>;
type LockLike = Impl.Lock;

function service(ctx: Ctx, defaultTtlMs: number): { clock: SimClock; lock: Impl.DistributedLock } {
  const clock = ctx.simClock();
  return { clock, lock: new ctx.impl.DistributedLock(defaultTtlMs, { clock }) };
}

function showLock(lock: LockLike | null | undefined): string {
  return lock ? `a lock for ${lock.ownerId} with token ${lock.fencingToken}` : 'null (refused)';
}

/** Tracks the outcome of a promise the grader does not await yet. */
function track<T>(promise: Promise<T>): { done: boolean; value?: T; error?: unknown } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

function acquired(s: Scenario, lock: LockLike | null, owner: string, what: string): LockLike {
  s.expect(lock !== null && lock !== undefined, `${what}`, 'tryAcquire returned null');
  const held = lock as LockLike;
  s.expectEqual(held.ownerId, owner, 'the lock\'s ownerId');
  return held;
}

// ---------------------------------------------------------------------------------------------
// Random interleavings
// ---------------------------------------------------------------------------------------------

/** Which token a client sends: its latest, the one before (stale), or the current holder's (maybe not its own). */
type TokenChoice = 'own' | 'previous' | 'holder';

type Step =
  | { kind: 'try'; client: number; res: number; ttl: number | 'default' }
  | { kind: 'release'; client: number; res: number; token: TokenChoice }
  | { kind: 'renew'; client: number; res: number; ttl: number; token: TokenChoice }
  | { kind: 'write'; client: number; res: number }
  | { kind: 'advance'; ms: number };

const client = fc.integer({ min: 1, max: 3 });
// r1 is drawn more often than r2 so that contention (and stale holders) on one resource is common.
const res = fc.constantFrom(1, 1, 1, 2);
const ttl = fc.constantFrom(300, 1000);
const tryTtl = fc.constantFrom<number | 'default'>(300, 1000, 'default');
/** The service's default TTL varies too, so a learner's code cannot lean on one value. */
const defaultTtl = fc.constantFrom(400, 1000);
const tokenChoice = fc.constantFrom<TokenChoice>('own', 'own', 'previous', 'holder');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('try' as const), client, res, ttl: tryTtl }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), client, res, token: tokenChoice }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renew' as const), client, res, ttl, token: tokenChoice }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), client, res }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.constantFrom(1, 299, 300, 301, 399, 400, 401, 999, 1000, 1001), fc.integer({ min: 1, max: 1500 })),
    }),
  },
);

interface Grant {
  owner: string;
  token: number;
  expiresAt: number;
}

async function runSchedule(ctx: Ctx, { ttlMs, steps: schedule }: { ttlMs: number; steps: readonly Step[] }): Promise<void> {
  const s = ctx.scenario(`Lock service with default TTL ${ttlMs} ms (sweep every ${ttlMs / 2} ms); clients c1-c3; resources r1, r2, each behind a FencedResource`);
  const { clock, lock: svc } = service(ctx, ttlMs);
  const grants = new Map<string, Grant>(); // the last grant per resource, until released
  const tokens = new Map<string, number>(); // each client's latest token per resource
  const previous = new Map<string, number>(); // the token before that (stale once a new one is granted)
  const fenced = new Map<string, Impl.FencedResource>();
  const acceptedMax = new Map<string, number>();
  let maxToken = 0;
  for (const r of ['r1', 'r2']) fenced.set(r, new ctx.impl.FencedResource());

  for (const step of schedule) {
    const now = clock.now();
    if (step.kind === 'advance') {
      s.step(`${step.ms} ms pass (t=${now + step.ms})`);
      clock.advanceSync(step.ms);
    } else {
      const c = `c${step.client}`;
      const r = `r${step.res}`;
      const g = grants.get(r);
      if (step.kind === 'try') {
        const got = step.ttl === 'default' ? svc.tryAcquire(r, c) : svc.tryAcquire(r, c, step.ttl);
        const grantedTtl = step.ttl === 'default' ? ttlMs : step.ttl;
        s.step(`t=${now}: ${c} tryAcquire(${r}${step.ttl === 'default' ? ', default TTL' : `, ttl ${step.ttl}`}) -> ${showLock(got)}`);
        if (got) {
          s.expect(got.ownerId === c && got.resourceId === r, `the lock to name ${c} and ${r}`, `it names ${got.ownerId} and ${got.resourceId}`);
          s.expect(got.fencingToken > maxToken, `a token bigger than every earlier one (${maxToken})`, `token ${got.fencingToken}`);
          s.expect(!g || g.owner === c || now >= g.expiresAt, `never two unexpired holders of ${r}`,
            () => `${g?.owner} still held ${r} with token ${g?.token} until t=${g?.expiresAt}, and ${c} was granted it too`);
          maxToken = got.fencingToken;
          s.expect(got.expiresAt === now + grantedTtl, `the lease to end at t=${now + grantedTtl}`, `expiresAt is ${got.expiresAt}`);
          grants.set(r, { owner: c, token: got.fencingToken, expiresAt: now + grantedTtl });
          const mine = tokens.get(`${c}:${r}`);
          if (mine !== undefined) previous.set(`${c}:${r}`, mine);
          tokens.set(`${c}:${r}`, got.fencingToken);
        } else {
          s.expect(!(!g || now >= g.expiresAt), `${c} to get ${r}: it is free`, g ? `the last lease ended at t=${g.expiresAt} and ${c} was refused` : `${c} was refused`);
        }
      } else if (step.kind === 'release' || step.kind === 'renew') {
        const token = (step.token === 'holder' ? g?.token : (step.token === 'previous' ? previous : tokens).get(`${c}:${r}`)) ?? 0;
        const valid = !!g && g.owner === c && g.token === token;
        const ok = step.kind === 'release' ? svc.release(r, c, token) : svc.renew(r, c, token, step.ttl);
        const verb = step.kind === 'release' ? 'release' : `renew (ttl ${step.ttl})`;
        s.step(`t=${now}: ${c} ${verb} ${r} with token ${token} -> ${ok}`);
        if (ok) {
          s.expect(valid, `${step.kind} to be refused: ${c} does not hold ${r} with token ${token}`,
            () => (g ? `it succeeded, though ${g.owner} holds ${r} with token ${g.token}` : 'it succeeded, though nobody holds it'));
          s.expect(now < (g as Grant).expiresAt, `${step.kind} to be refused: the lease ended at t=${g?.expiresAt}`, 'it succeeded');
          if (step.kind === 'release') grants.delete(r);
          else (g as Grant).expiresAt = now + step.ttl;
        } else {
          s.expect(!(valid && now < (g as Grant).expiresAt), `${c}, holding ${r} with token ${token} until t=${g?.expiresAt}, to ${step.kind} it`, `${step.kind} returned false`);
        }
      } else {
        const token = tokens.get(`${c}:${r}`);
        if (token === undefined) {
          s.step(`t=${now}: ${c} has never held ${r}; it skips its write`);
        } else {
          const store = fenced.get(r) as Impl.FencedResource;
          const ok = store.write(`${c}#${token}`, token);
          s.step(`t=${now}: ${c} writes to ${r}'s storage with token ${token} -> ${ok ? 'accepted' : 'refused'}`);
          const highest = acceptedMax.get(r) ?? 0;
          s.expect(store.highestToken >= highest, `${r}'s storage never to lower its highest token (${highest})`, `highestToken is ${store.highestToken}`);
          if (ok) {
            s.expect(token >= highest, `a write with token ${token} to be refused: token ${highest} was already accepted`, 'it was accepted');
            acceptedMax.set(r, token);
          } else {
            s.expect(token < highest, `the write to be accepted: no newer token than ${token} has written to ${r}`, 'it was refused');
          }
        }
      }
    }
    checkViews(s, svc, grants, clock.now());
  }
  svc.shutdown();
}

/**
 * isLocked, getLockInfo and getAllLocks agree with the grants, at the expiry instant too. Runs
 * after every step of every schedule, so each message is only written once a check has failed.
 */
function checkViews(s: Scenario, svc: Impl.DistributedLock, grants: Map<string, Grant>, now: number): void {
  const all = svc.getAllLocks();
  for (const r of ['r1', 'r2']) {
    const g = grants.get(r);
    const live = !!g && now < g.expiresAt;
    const dead = !live;
    const info = svc.getLockInfo(r);
    const listed = all.get(r);
    if (live) {
      if (!svc.isLocked(r)) s.fail(`isLocked(${r}) to be true: ${g.owner} holds it until t=${g.expiresAt}`, 'it was false');
      if (info?.fencingToken !== g.token) s.fail(`getLockInfo(${r}) to show ${g.owner}'s token ${g.token}`, `it showed ${showLock(info)}`);
      if (listed?.fencingToken !== g.token) s.fail(`getAllLocks() to list ${r} with token ${g.token}`, `it listed ${showLock(listed)}`);
    } else if (dead) {
      const why = () => (g ? `its last lease ended at t=${g.expiresAt}` : 'nobody holds it');
      if (svc.isLocked(r)) s.fail(`isLocked(${r}) to be false: ${why()}`, 'it was true');
      if (!(info === null || info === undefined)) s.fail(`getLockInfo(${r}) to be null: ${why()}`, `it showed ${showLock(info)}`);
      if (listed !== undefined) s.fail(`getAllLocks() not to list ${r}: ${why()}`, `it listed ${showLock(listed)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

export default defineGrader<typeof Impl>({
  requiredExports: ['DistributedLock', 'FencedResource', 'Lock'],
  requirements: [
    {
      id: 'free-lock-acquired',
      title: 'A free lock is granted at once, with the right owner, times and a positive token',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 5000 ms');
        const { clock, lock: svc } = service(ctx, 5000);
        clock.advanceSync(200);
        s.step('t=200: client1 calls tryAcquire("resource1", "client1")');
        const a = acquired(s, svc.tryAcquire('resource1', 'client1'), 'client1', 'client1 to get the free lock');
        s.expectEqual(a.resourceId, 'resource1', 'the lock\'s resourceId');
        s.expect(a.fencingToken > 0, 'a positive fencing token', `token ${a.fencingToken}`);
        s.expectEqual(a.acquiredAt, 200, 'acquiredAt');
        s.expectEqual(a.expiresAt, 5200, 'expiresAt (acquiredAt + default TTL)');
        s.expectEqual(a.renewalCount, 0, 'renewalCount');
        s.step('client1 tries tryAcquire("resource2", "client1", 2000) with its own TTL');
        const b = acquired(s, svc.tryAcquire('resource2', 'client1', 2000), 'client1', 'client1 to get the free resource2 too');
        s.expectEqual(b.expiresAt, 2200, 'expiresAt with a 2000 ms TTL');
        s.step('client1, which holds resource2, calls tryAcquire("resource2", "client1") again');
        const again = acquired(s, svc.tryAcquire('resource2', 'client1'), 'client1', 'the holder asking again to get a fresh grant (the lock is re-entrant)');
        s.expect(again.fencingToken > b.fencingToken, `the fresh grant to carry a bigger token than ${b.fencingToken}`, `it carries ${again.fencingToken}`);
        s.step(`client1 releases resource1 with token ${a.fencingToken}`);
        s.expect(svc.release('resource1', 'client1', a.fencingToken), 'the owner\'s release to succeed', 'release returned false');
        s.expect(!svc.isLocked('resource1'), 'resource1 to be unlocked after the release', 'isLocked is still true');
        s.step('client2 calls tryAcquire("resource1", "client2") right away');
        acquired(s, svc.tryAcquire('resource1', 'client2'), 'client2', 'client2 to get the released lock');
        svc.shutdown();
      },
    },
    {
      id: 'mutual-exclusion',
      title: 'While a lease lasts, nobody else can take the lock',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 5000 ms');
        const { clock, lock: svc } = service(ctx, 5000);
        s.step('t=0: client1 acquires resource2');
        const a = acquired(s, svc.tryAcquire('resource2', 'client1'), 'client1', 'client1 to get the free lock');
        for (const t of [0, 2500, 4999]) {
          clock.advanceSync(t - clock.now());
          const b = svc.tryAcquire('resource2', 'client2');
          s.step(`t=${t}: client2 calls tryAcquire("resource2", "client2") -> ${showLock(b)}`);
          s.expect(b === null, 'client2 to be refused: client1\'s lease runs until t=5000', `it got ${showLock(b)}`);
          s.expect(svc.isLocked('resource2'), 'isLocked("resource2") to be true', 'it was false');
          const info = svc.getLockInfo('resource2');
          s.expect(info?.ownerId === 'client1' && info.fencingToken === a.fencingToken, `getLockInfo to still show client1 with token ${a.fencingToken}`, () => `it showed ${showLock(info)}`);
        }
        svc.shutdown();
      },
    },
    {
      id: 'expiry-frees-crashed-holder',
      title: 'A holder that crashes without releasing loses the lock when its lease runs out',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 30 000 ms (sweep every 15 s)');
        const { clock, lock: svc } = service(ctx, 30_000);
        clock.advanceSync(1000);
        s.step('t=1000: client A acquires "job" (lease until t=31 000)');
        const a = acquired(s, svc.tryAcquire('job', 'A'), 'A', 'A to get the free lock');
        clock.advanceSync(5000);
        s.step(`t=${clock.now()}: A crashes and never releases`);
        clock.advanceSync(30_999 - clock.now());
        s.step(`t=${clock.now()}: B calls tryAcquire("job", "B")`);
        s.expect(svc.tryAcquire('job', 'B') === null, 'B to be refused one millisecond before the lease ends', 'B got the lock');
        clock.advanceSync(1);
        s.step(`t=${clock.now()}, the instant the lease ends (the sweep last ran at t=30 000, while the lease still held): B calls tryAcquire("job", "B")`);
        s.expect(!svc.isLocked('job'), 'isLocked("job") to be false: a lease covers [1000, 31 000), so it is free at 31 000', 'it was true');
        const b = acquired(s, svc.tryAcquire('job', 'B'), 'B', 'B to get the lock A\'s lease no longer covers');
        s.expect(b.fencingToken > a.fencingToken, `B's token to be bigger than A's ${a.fencingToken}`, `it was ${b.fencingToken}`);
        svc.shutdown();
      },
    },
    {
      id: 'tokens-strictly-increase',
      title: 'Every grant gets a bigger fencing token than all earlier ones, on any resource',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 1000 ms');
        const { clock, lock: svc } = service(ctx, 1000);
        const seen: number[] = [];
        const grant = (res: string, owner: string, note: string): LockLike => {
          const l = acquired(s, svc.tryAcquire(res, owner), owner, `${owner} to get ${res}`);
          s.step(`t=${clock.now()}: ${owner} acquires ${res}${note} -> token ${l.fencingToken}`);
          const last = seen.length ? Math.max(...seen) : 0;
          s.expect(l.fencingToken > last, `token ${l.fencingToken} to exceed every earlier token (${seen.join(', ')})`, 'it did not');
          seen.push(l.fencingToken);
          return l;
        };
        const l1 = grant('resource5', 'client1', '');
        s.step(`client1 releases resource5 with token ${l1.fencingToken}`);
        svc.release('resource5', 'client1', l1.fencingToken);
        grant('resource5', 'client2', ' after the release');
        grant('resource6', 'client1', ' (another resource)');
        grant('resource7', 'client3', ' (a third resource)');
        clock.advanceSync(1001);
        s.step('1001 ms pass: every lease has ended');
        grant('resource6', 'client2', ' after client1\'s lease ended');
        grant('resource5', 'client3', ' after client2\'s lease ended');
        svc.shutdown();
      },
    },
    {
      id: 'release-needs-owner-and-live-token',
      title: 'Release fails for a non-owner, a stale token or an expired lease, and never frees another holder\'s lock',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 1000 ms');
        const { clock, lock: svc } = service(ctx, 1000);
        clock.advanceSync(100);
        s.step('t=100: client1 releases "res", which nobody holds');
        s.expect(!svc.release('res', 'client1', 1), 'release of a lock nobody holds to fail', 'it returned true');
        const first = acquired(s, svc.tryAcquire('res', 'client1'), 'client1', 'client1 to get the free lock');
        s.step(`client1 acquires "res" (token ${first.fencingToken}) and releases it`);
        svc.release('res', 'client1', first.fencingToken);
        const second = acquired(s, svc.tryAcquire('res', 'client1'), 'client1', 'client1 to get it again');
        s.step(`client1 acquires "res" again (token ${second.fencingToken})`);
        s.step(`client2 calls release("res", "client2", ${second.fencingToken}) with client1's token`);
        s.expect(!svc.release('res', 'client2', second.fencingToken), 'a non-owner\'s release to fail', 'it returned true');
        s.step(`client1 calls release("res", "client1", ${first.fencingToken}) with its old token`);
        s.expect(!svc.release('res', 'client1', first.fencingToken), 'a release with a stale token to fail', 'it returned true');
        s.expect(svc.getLockInfo('res')?.fencingToken === second.fencingToken, `client1 to still hold "res" with token ${second.fencingToken}`, 'the lock was gone');
        clock.advanceSync(1001);
        s.step('t=1101: client1 stalled past its lease, which ended at t=1100 (the next sweep is due at t=1500)');
        s.step(`client1 calls release("res", "client1", ${second.fencingToken})`);
        s.expect(!svc.release('res', 'client1', second.fencingToken), 'a release after the lease ended to fail', 'it returned true');
        const third = acquired(s, svc.tryAcquire('res', 'client2'), 'client2', 'client2 to get the expired lock');
        s.step(`client2 acquires "res" (token ${third.fencingToken}); client1 calls release("res", "client1", ${second.fencingToken}) again`);
        s.expect(!svc.release('res', 'client1', second.fencingToken), 'the late release to fail', 'it returned true');
        s.expect(svc.getLockInfo('res')?.ownerId === 'client2', 'client2 to still hold "res"', 'client1\'s late release freed it');
        s.step(`client2 releases with its token ${third.fencingToken}`);
        s.expect(svc.release('res', 'client2', third.fencingToken), 'the holder\'s release to succeed', 'it returned false');
        svc.shutdown();
      },
    },
    {
      id: 'renew-extends-lease',
      title: 'The holder can renew its live lease, which then lasts a fresh TTL from the renewal',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 5000 ms');
        const { clock, lock: svc } = service(ctx, 5000);
        s.step('t=0: client1 acquires resource4 with a 2000 ms TTL');
        const a = acquired(s, svc.tryAcquire('resource4', 'client1', 2000), 'client1', 'client1 to get the free lock');
        clock.advanceSync(1000);
        s.step(`t=1000: client1 renews with token ${a.fencingToken} (default TTL 5000 ms)`);
        s.expect(svc.renew('resource4', 'client1', a.fencingToken), 'the renewal to succeed', 'renew returned false');
        clock.advanceSync(1500);
        s.step('t=2500: past the original 2000 ms lease');
        s.expect(svc.isLocked('resource4'), 'resource4 to still be locked (renewed until t=6000)', 'isLocked was false');
        const info = svc.getLockInfo('resource4');
        s.expect(info?.expiresAt === 6000 && info.renewalCount === 1, 'getLockInfo to show expiresAt 6000 and renewalCount 1',
          () => (info ? `expiresAt ${info.expiresAt}, renewalCount ${info.renewalCount}` : 'it returned null'));
        s.step('t=2500: client2 calls tryAcquire("resource4", "client2")');
        s.expect(svc.tryAcquire('resource4', 'client2') === null, 'client2 to be refused', 'client2 got it');
        svc.shutdown();
      },
    },
    {
      id: 'renew-refused-without-live-lease',
      title: 'Renew fails for a non-owner, a stale token or a lease that already ran out',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 1000 ms');
        const { clock, lock: svc } = service(ctx, 1000);
        clock.advanceSync(100);
        const old = acquired(s, svc.tryAcquire('res', 'client1'), 'client1', 'client1 to get the free lock');
        svc.release('res', 'client1', old.fencingToken);
        const a = acquired(s, svc.tryAcquire('res', 'client1'), 'client1', 'client1 to get it again');
        s.step(`t=100: client1 acquires "res" (token ${old.fencingToken}), releases it, acquires it again (token ${a.fencingToken})`);
        s.step(`client2 calls renew("res", "client2", ${a.fencingToken})`);
        s.expect(!svc.renew('res', 'client2', a.fencingToken), 'a non-owner\'s renewal to fail', 'it returned true');
        s.step(`client1 calls renew("res", "client1", ${old.fencingToken}) with its old token`);
        s.expect(!svc.renew('res', 'client1', old.fencingToken), 'a renewal with a stale token to fail', 'it returned true');
        clock.advanceSync(1000);
        s.step(`t=${clock.now()}: the lease ends at this very instant (it covered [100, 1100)); client1 calls renew("res", "client1", ${a.fencingToken})`);
        s.expect(!svc.renew('res', 'client1', a.fencingToken), 'renewing an expired lease to fail (someone else may hold it now)', 'it returned true');
        clock.advanceSync(1);
        s.step(`t=${clock.now()} (the next sweep is due at t=1500): client1 calls renew("res", "client1", ${a.fencingToken}) again`);
        s.expect(!svc.renew('res', 'client1', a.fencingToken), 'renewing an expired lease to fail', 'it returned true');
        s.expect(!svc.isLocked('res'), '"res" to stay unlocked', 'the renewal brought the expired lease back');
        svc.shutdown();
      },
    },
    {
      id: 'blocking-acquire-waits',
      title: 'A blocked acquire keeps retrying and gets the lock once the holder releases it',
      kind: 'liveness',
      check: async (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 5000 ms');
        const { clock, lock: svc } = service(ctx, 5000);
        s.step('t=0: client1 acquires resource6');
        const a = acquired(s, svc.tryAcquire('resource6', 'client1'), 'client1', 'client1 to get the free lock');
        s.step('t=0: client2 calls acquire("resource6", "client2", 3000) (3 s timeout)');
        const waiting = track(svc.acquire('resource6', 'client2', 3000));
        await clock.advance(1499);
        if (waiting.error) throw waiting.error;
        s.step('t=1499');
        s.expect(!waiting.done, 'client2 to still be waiting', () => `acquire already returned ${showLock(waiting.value)}`);
        await clock.advance(1);
        s.step(`t=1500: client1 releases resource6 with token ${a.fencingToken}`);
        s.expect(svc.release('resource6', 'client1', a.fencingToken), 'the release to succeed', 'it returned false');
        await clock.advance(1499);
        if (waiting.error) throw waiting.error;
        s.step('t=2999: before client2\'s timeout');
        s.expect(waiting.done && !!waiting.value, 'client2\'s acquire to have returned the lock',
          () => (waiting.done ? 'it returned null' : 'it is still waiting'));
        const b = waiting.value as LockLike;
        s.expect(b.ownerId === 'client2' && b.fencingToken > a.fencingToken, `a lock for client2 with a token above ${a.fencingToken}`, () => showLock(b));
        svc.shutdown();
      },
    },
    {
      id: 'blocking-acquire-times-out',
      title: 'A blocked acquire gives up with null when its timeout passes, leaving no timer behind',
      kind: 'behaviour',
      check: async (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 10 000 ms');
        const { clock, lock: svc } = service(ctx, 10_000);
        s.step('t=0: client1 acquires resource6 and keeps it');
        acquired(s, svc.tryAcquire('resource6', 'client1'), 'client1', 'client1 to get the free lock');
        s.step('t=0: client2 calls acquire("resource6", "client2", 3000)');
        const waiting = track(svc.acquire('resource6', 'client2', 3000));
        await clock.advance(2999);
        if (waiting.error) throw waiting.error;
        s.step('t=2999');
        s.expect(!waiting.done, 'client2 to still be waiting (its timeout is 3000 ms)', () => `acquire already returned ${showLock(waiting.value)}`);
        await clock.advance(251);
        if (waiting.error) throw waiting.error;
        s.step('t=3250');
        s.expect(waiting.done, 'acquire to have given up by now (within 250 ms of its timeout)', 'it is still waiting');
        s.expect(waiting.value === null, 'acquire to return null', () => `it returned ${showLock(waiting.value)}`);
        s.expect(svc.getLockInfo('resource6')?.ownerId === 'client1', 'client1 to still hold resource6', 'it does not');
        s.step('shutdown()');
        svc.shutdown();
        s.expectEqual(clock.pendingTimers(), 0, 'timers left on the clock after shutdown');
      },
    },
    {
      id: 'acquire-options-honoured',
      title: "A blocking acquire retries every retryDelayMs, grants with its ttlMs, and returns null AT its deadline, not one pause later",
      kind: 'behaviour',
      check: async (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 5000 ms');
        const { clock, lock: svc } = service(ctx, 5000);
        s.step('t=0: client1 acquires "r"');
        const a = acquired(s, svc.tryAcquire('r', 'client1'), 'client1', 'client1 to get the free lock');
        s.step('t=0: client2 calls acquire("r", "client2", 2000, { retryDelayMs: 300, ttlMs: 700 }): attempts at 0, 300, 600, ...');
        const waiting = track(svc.acquire('r', 'client2', 2000, { retryDelayMs: 300, ttlMs: 700 }));
        await clock.advance(450);
        s.step(`t=${clock.now()}: client1 releases "r"`);
        s.expect(svc.release('r', 'client1', a.fencingToken), 'the release to succeed', 'it returned false');
        await clock.advance(149);
        if (waiting.error) throw waiting.error;
        s.step(`t=${clock.now()}: client2's next attempt is due at t=600`);
        s.expect(!waiting.done, 'client2 to still be waiting: it retries every 300 ms, not every 50 ms', () => `acquire already returned ${showLock(waiting.value)}`);
        await clock.advance(1);
        if (waiting.error) throw waiting.error;
        s.step(`t=${clock.now()}`);
        s.expect(waiting.done && !!waiting.value, "client2's attempt at t=600 to get the lock", () => (waiting.done ? 'acquire returned null' : 'it is still waiting'));
        const b = waiting.value as LockLike;
        s.expectEqual([b.acquiredAt, b.expiresAt], [600, 1300], 'the grant\'s [acquiredAt, expiresAt] (ttlMs 700 from the options)');

        const t = ctx.scenario('Lock service with default TTL 10 000 ms; client1 holds "q" throughout');
        const other = service(ctx, 10_000);
        acquired(t, other.lock.tryAcquire('q', 'client1'), 'client1', 'client1 to get the free lock');
        t.step('t=0: client2 calls acquire("q", "client2", 1000, { retryDelayMs: 300 }): attempts at 0, 300, 600, 900, then the deadline');
        const before = other.lock.getMessageCount();
        const blocked = track(other.lock.acquire('q', 'client2', 1000, { retryDelayMs: 300 }));
        await other.clock.advance(999);
        if (blocked.error) throw blocked.error;
        t.step(`t=${other.clock.now()}`);
        t.expect(!blocked.done, 'client2 to still be waiting (its deadline is t=1000)', () => `acquire already returned ${showLock(blocked.value)}`);
        await other.clock.advance(1);
        if (blocked.error) throw blocked.error;
        t.step(`t=${other.clock.now()}, the deadline`);
        t.expect(blocked.done && blocked.value === null, 'acquire to have returned null by its deadline (its last pause is cut short at the deadline)',
          () => (blocked.done ? `it returned ${showLock(blocked.value)}` : 'it is still waiting: it slept a full 300 ms past the deadline'));
        const attempts = other.lock.getMessageCount() - before;
        t.expect(attempts === 4 || attempts === 5, 'acquire to count one message per attempt: 4 (at 0, 300, 600, 900) or 5 (once more at the deadline)', `it counted ${attempts}`);
        svc.shutdown();
        other.lock.shutdown();
      },
    },
    {
      id: 'expired-never-listed',
      title: 'An expired lock is never reported as held, even before the sweep removes it',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 1000 ms (sweep every 500 ms)');
        const { clock, lock: svc } = service(ctx, 1000);
        s.step('t=0: client1 acquires r1 with a 300 ms TTL; client2 acquires r2 with the default TTL');
        acquired(s, svc.tryAcquire('r1', 'client1', 300), 'client1', 'client1 to get r1');
        acquired(s, svc.tryAcquire('r2', 'client2'), 'client2', 'client2 to get r2');
        clock.advanceSync(301);
        s.step('t=301: r1\'s lease has ended; the first sweep is due at t=500');
        s.expectEqual([...svc.getAllLocks().keys()].sort(), ['r2'], 'the resources getAllLocks() lists');
        s.expect(svc.getLockInfo('r1') === null, 'getLockInfo("r1") to be null', () => `it showed ${showLock(svc.getLockInfo('r1'))}`);
        s.expect(!svc.isLocked('r1'), 'isLocked("r1") to be false', 'it was true');
        s.expectEqual(svc.storedLockCount(), 2, 'records still stored (the sweep, every 500 ms, has not run yet: the views filter r1 out themselves)');
        svc.shutdown();
      },
    },
    {
      id: 'expired-locks-cleaned',
      title: 'The background sweep deletes expired lock records, and shutdown stops it',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 1000 ms (sweep every 500 ms)');
        const { clock, lock: svc } = service(ctx, 1000);
        s.step('t=0: client1 acquires r1 with a 300 ms TTL; client2 acquires r2 with the default TTL');
        acquired(s, svc.tryAcquire('r1', 'client1', 300), 'client1', 'client1 to get r1');
        acquired(s, svc.tryAcquire('r2', 'client2'), 'client2', 'client2 to get r2');
        clock.advanceSync(501);
        s.step('t=501: the sweep ran at t=500');
        s.expectEqual(svc.storedLockCount(), 1, 'records the service still stores (r2 only)');
        clock.advanceSync(1000);
        s.step('t=1501: sweeps ran at t=1000 and t=1500; r2 expired at t=1000');
        s.expectEqual(svc.storedLockCount(), 0, 'records the service still stores');
        s.expectEqual(svc.getAllLocks().size, 0, 'locks listed by getAllLocks()');
        s.step('shutdown()');
        svc.shutdown();
        s.expectEqual(clock.pendingTimers(), 0, 'timers left on the clock after shutdown');
      },
    },
    {
      id: 'paused-client-fenced',
      title: 'A client paused past its lease cannot overwrite the new holder\'s data: storage refuses its old token',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 30 000 ms; a FencedResource "storage" guarded by the lock');
        const { clock, lock: svc } = service(ctx, 30_000);
        const storage = new ctx.impl.FencedResource();
        const a = acquired(s, svc.tryAcquire('file', 'A'), 'A', 'A to get the free lock');
        s.step(`t=0: A acquires "file" (token ${a.fencingToken}) and writes "A-1" with it`);
        s.expect(storage.write('A-1', a.fencingToken), 'the storage to accept the holder\'s write', 'it was refused');
        clock.advanceSync(31_000);
        s.step('A stalls for 31 s (a long GC pause); its lease ended at t=30 000');
        const b = acquired(s, svc.tryAcquire('file', 'B'), 'B', 'B to get the expired lock');
        s.step(`t=31 000: B acquires "file" (token ${b.fencingToken}) and writes "B-1"`);
        s.expect(b.fencingToken > a.fencingToken, `B's token to be bigger than A's ${a.fencingToken}`, `it was ${b.fencingToken}`);
        s.expect(storage.write('B-1', b.fencingToken), 'the storage to accept B\'s write', 'it was refused');
        s.step(`A wakes up, still believing it holds the lock, and writes "A-2" with token ${a.fencingToken}`);
        s.expect(!storage.write('A-2', a.fencingToken), 'the storage to refuse A\'s stale token', 'it accepted the write');
        s.expectEqual(storage.read(), 'B-1', 'the stored value');
        s.expectEqual(storage.highestToken, b.fencingToken, 'the storage\'s highest token');
        s.step(`B writes "B-2" with the same token ${b.fencingToken}`);
        s.expect(storage.write('B-2', b.fencingToken), 'the current holder to write again with its token', 'it was refused');
        svc.shutdown();
      },
    },
    {
      id: 'message-count',
      title: 'Every request to the lock service (each acquire attempt, release, renew) counts one message',
      kind: 'behaviour',
      check: async (ctx) => {
        const s = ctx.scenario('Lock service with default TTL 5000 ms');
        const { clock, lock: svc } = service(ctx, 5000);
        s.expectEqual(svc.getMessageCount(), 0, 'messages before any request');
        s.step('client1 acquires r, client2 is refused, client1 renews, client1 releases');
        const a = acquired(s, svc.tryAcquire('r', 'client1'), 'client1', 'client1 to get the free lock');
        svc.tryAcquire('r', 'client2');
        svc.renew('r', 'client1', a.fencingToken);
        svc.release('r', 'client1', a.fencingToken);
        s.expectEqual(svc.getMessageCount(), 4, 'messages after four requests');
        const b = acquired(s, svc.tryAcquire('r', 'client1'), 'client1', 'client1 to get the free lock');
        s.step('client1 acquires r again; client2 calls acquire("r", "client2", 1000) and waits it out');
        const waiting = track(svc.acquire('r', 'client2', 1000));
        await clock.advance(1500);
        if (waiting.error) throw waiting.error;
        // Attempts every 50 ms from 0 to 950, and maybe once more at the deadline: 20 or 21 messages.
        const attempts = svc.getMessageCount() - 5;
        s.expect(attempts === 20 || attempts === 21, "client2's 1000 ms acquire (retry delay 50 ms) to count one message per attempt: 20, or 21 with one more at the deadline",
          () => `the count went from 5 to ${svc.getMessageCount()} (${attempts} for the acquire)`);
        svc.release('r', 'client1', b.fencingToken);
        svc.shutdown();
      },
    },
    {
      id: 'random-interleavings',
      title: 'Under random interleavings of clients, expiry and writes: one holder at a time, tokens only grow, storage never goes back',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.record({ ttlMs: defaultTtl, steps: fc.array(stepArb, { minLength: 1, maxLength: 25, size: 'medium' }) }), (schedule) => runSchedule(ctx, schedule)),
    },
  ],
});

/** Messages for n clients contending once each for one free lock. */
export const complexity = {
  operation: 'n clients each call tryAcquire once on the same free resource (one wins, n - 1 are refused)',
  measure: (impl: typeof Impl, n: number): number => {
    const clock = createSimClock(0);
    const svc = new impl.DistributedLock(5000, { clock });
    for (let i = 1; i <= n; i++) svc.tryAcquire('job', `client${i}`);
    const messages = svc.getMessageCount();
    svc.shutdown();
    return messages;
  },
};
