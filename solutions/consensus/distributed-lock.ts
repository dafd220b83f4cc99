/**
 * Pattern 3: a distributed lock with leases and fencing tokens (reference solution).
 *
 * The lock service hands out leases: a lock is held until its owner releases it or until its
 * time-to-live runs out, whichever comes first, so a crashed holder cannot block everyone forever.
 * Every grant carries a fencing token taken from one global counter that only grows. A storage
 * service that checks the token on each write (FencedResource) can then refuse a holder whose
 * lease ran out while it was paused, even though that holder still believes it owns the lock.
 *
 * Time convention: a lock acquired at time t with TTL d covers [t, t + d). It is expired as soon as
 * now >= expiresAt, so a 1000 ms lease taken at 0 is held at 999 and free at 1000.
 */
import { systemClock, type Clock, type TimerHandle } from '#workbook/clock';

/** Pause between attempts of the blocking `acquire`. */
export const DEFAULT_RETRY_DELAY_MS = 50;

export class Lock {
  expiresAt: number;
  renewalCount = 0;

  constructor(
    readonly resourceId: string,
    readonly ownerId: string,
    /** Taken from the service's global counter: a later grant always has a bigger token. */
    readonly fencingToken: number,
    readonly acquiredAt: number,
    ttlMs: number,
  ) {
    this.expiresAt = acquiredAt + ttlMs;
  }

  isExpired(now: number): boolean {
    return now >= this.expiresAt;
  }

  /** Extends the lease from `now`, not from the old expiry: a renewal buys a fresh TTL. */
  renew(now: number, ttlMs: number): void {
    this.expiresAt = now + ttlMs;
    this.renewalCount++;
  }
}

export interface AcquireOptions {
  /** Lease length for this grant; the service's default TTL when omitted. */
  readonly ttlMs?: number;
  /** Pause between attempts; DEFAULT_RETRY_DELAY_MS when omitted. */
  readonly retryDelayMs?: number;
}

export class DistributedLock {
  private readonly locks = new Map<string, Lock>();
  /** One counter for every resource, so tokens are comparable and never reused anywhere. */
  private tokenCounter = 0;
  private messageCount = 0;
  private readonly clock: Clock;
  private readonly cleanupTimer: TimerHandle;

  constructor(
    private readonly defaultTtlMs: number,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    // Sweep expired records every half TTL, so a dead holder's record never lingers long.
    this.cleanupTimer = this.clock.setInterval(() => this.removeExpired(), Math.max(1, Math.floor(defaultTtlMs / 2)));
  }

  /** One attempt: grants the lock if it is free, expired, or already held by the same owner. */
  tryAcquire(resourceId: string, ownerId: string, ttlMs: number = this.defaultTtlMs): Lock | null {
    this.messageCount++;
    const now = this.clock.now();
    const existing = this.locks.get(resourceId);
    // An expired lease counts as free: this is what rescues the lock from a crashed holder.
    if (existing && !existing.isExpired(now) && existing.ownerId !== ownerId) return null;
    // Re-entrant: the same owner gets a fresh grant, and its old token becomes stale.
    this.tokenCounter++;
    const lock = new Lock(resourceId, ownerId, this.tokenCounter, now, ttlMs);
    this.locks.set(resourceId, lock);
    return lock;
  }

  /** Retries `tryAcquire` with a pause between attempts until it succeeds or `timeoutMs` has passed. */
  async acquire(resourceId: string, ownerId: string, timeoutMs: number, options: AcquireOptions = {}): Promise<Lock | null> {
    const deadline = this.clock.now() + timeoutMs;
    const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    for (;;) {
      const lock = this.tryAcquire(resourceId, ownerId, options.ttlMs);
      if (lock) return lock;
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) return null;
      // Never sleep past the deadline: the caller asked for an answer by then.
      await this.clock.sleep(Math.min(retryDelayMs, remaining));
    }
  }

  /** Frees the lock, but only for its owner holding the current token and only while the lease lasts. */
  release(resourceId: string, ownerId: string, fencingToken: number): boolean {
    this.messageCount++;
    const lock = this.locks.get(resourceId);
    if (!lock || lock.ownerId !== ownerId || lock.fencingToken !== fencingToken) return false;
    // A lease that ran out was not protecting anything: tell the caller so.
    if (lock.isExpired(this.clock.now())) return false;
    this.locks.delete(resourceId);
    return true;
  }

  /** Extends the lease; refused once it has expired, since someone else may already hold the lock. */
  renew(resourceId: string, ownerId: string, fencingToken: number, ttlMs: number = this.defaultTtlMs): boolean {
    this.messageCount++;
    const now = this.clock.now();
    const lock = this.locks.get(resourceId);
    if (!lock || lock.isExpired(now)) return false;
    if (lock.ownerId !== ownerId || lock.fencingToken !== fencingToken) return false;
    lock.renew(now, ttlMs);
    return true;
  }

  isLocked(resourceId: string): boolean {
    const lock = this.locks.get(resourceId);
    return lock !== undefined && !lock.isExpired(this.clock.now());
  }

  /** The live lock on a resource, or null when there is none or its lease ran out. */
  getLockInfo(resourceId: string): Lock | null {
    const lock = this.locks.get(resourceId);
    return lock && !lock.isExpired(this.clock.now()) ? lock : null;
  }

  /** Every live lock, by resource id; an expired record is never listed, swept or not. */
  getAllLocks(): Map<string, Lock> {
    const now = this.clock.now();
    const active = new Map<string, Lock>();
    for (const [resourceId, lock] of this.locks) {
      if (!lock.isExpired(now)) active.set(resourceId, lock);
    }
    return active;
  }

  /** How many lock records the service still stores, expired ones included (shows the sweep works). */
  storedLockCount(): number {
    return this.locks.size;
  }

  /** Requests the service received: each tryAcquire attempt, release and renew is one message. */
  getMessageCount(): number {
    return this.messageCount;
  }

  shutdown(): void {
    this.clock.clearInterval(this.cleanupTimer);
  }

  /** The background sweep: drops every record whose lease has run out. */
  private removeExpired(): void {
    const now = this.clock.now();
    for (const [resourceId, lock] of this.locks) {
      if (lock.isExpired(now)) this.locks.delete(resourceId);
    }
  }
}

/**
 * A storage service that protects itself: it remembers the highest fencing token it has accepted
 * and refuses any write carrying an older one. The same token may write again (one holder, many writes).
 */
export class FencedResource<T = string> {
  private value: T | undefined;
  private highest = 0;

  write(value: T, fencingToken: number): boolean {
    if (fencingToken < this.highest) return false;
    this.highest = fencingToken;
    this.value = value;
    return true;
  }

  read(): T | undefined {
    return this.value;
  }

  /** The highest token accepted so far (0 before the first write). */
  get highestToken(): number {
    return this.highest;
  }
}
