/**
 * A lock service that hands out leases with fencing tokens.
 *
 * Reported symptom: a batch worker crashed while holding the lock on "invoice-run". Its lease was
 * 30 seconds long, yet minutes later every other worker was still being refused the lock, and the
 * nightly run never happened until someone restarted the lock service by hand.
 *
 * Run it: npx tsx exercises/consensus/debugging/lock-deadlock.ts
 * Grade it: npm run exercise -- run consensus/debugging/lock-deadlock
 */
import { type Clock, systemClock } from '#workbook/clock';

export class Lock {
  constructor(
    readonly resourceId: string,
    readonly ownerId: string,
    /** Grows with every grant: storage refuses writes carrying a smaller token than it has seen. */
    readonly fencingToken: number,
    /** Clock time (ms) at which the lease runs out. */
    readonly expiresAt: number,
  ) {}

  isExpired(now: number): boolean {
    return now >= this.expiresAt;
  }
}

export interface LockServiceOptions {
  /** How long a granted lock lasts without being renewed. Default 30 000 ms. */
  readonly ttlMs?: number;
  readonly clock?: Clock;
}

export class LockService {
  private readonly locks = new Map<string, Lock>();
  private tokenCounter = 0;
  private messageCount = 0;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(options: LockServiceOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Grants (or, for its current owner, renews) the lock on `resourceId`; null when someone else holds it. */
  tryAcquire(resourceId: string, ownerId: string): Lock | null {
    this.messageCount++;
    const now = this.clock.now();
    const existing = this.locks.get(resourceId);

    if (existing !== undefined) {
      if (existing.ownerId !== ownerId) return null;
    }

    const lock = new Lock(resourceId, ownerId, ++this.tokenCounter, now + this.ttlMs);
    this.locks.set(resourceId, lock);
    return lock;
  }

  /** Frees the lock if `ownerId` holds it; returns whether it did. */
  release(resourceId: string, ownerId: string): boolean {
    this.messageCount++;
    const existing = this.locks.get(resourceId);
    if (existing === undefined || existing.ownerId !== ownerId) return false;
    this.locks.delete(resourceId);
    return true;
  }

  getLock(resourceId: string): Lock | undefined {
    return this.locks.get(resourceId);
  }

  getMessageCount(): number {
    return this.messageCount;
  }
}

/** A clock that only moves when told to, so the scenario runs instantly. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    setInterval: () => 0,
    clearInterval: () => undefined,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

function main(): void {
  const clock = manualClock();
  const service = new LockService({ ttlMs: 30_000, clock });
  const a = service.tryAcquire('invoice-run', 'client-A');
  console.log(`0 s: client A ${a ? `holds the lock (token ${a.fencingToken}, lease 30 s)` : 'was refused'}`);
  clock.advance(5_000);
  console.log('5 s: client A crashes without releasing');
  clock.advance(35_000);
  const b = service.tryAcquire('invoice-run', 'client-B');
  console.log(`40 s: client B ${b ? `acquired the lock with token ${b.fencingToken}` : 'was refused: the lock is still held by client A'}`);
}

if (import.meta.filename === process.argv[1]) main();
