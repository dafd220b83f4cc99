/**
 * Pattern 3: a distributed lock with leases and fencing tokens.
 *
 * Implement the methods marked TODO:
 *   - DistributedLock.tryAcquire, acquire, release, renew and removeExpired (the background sweep)
 *   - FencedResource.write (the storage service that refuses stale lock holders)
 * Everything else (the Lock record, the constructor, the read-only views) is given.
 *
 * Time convention: a lock acquired at time t with TTL d covers [t, t + d). It is expired as soon as
 * now >= expiresAt, so a 1000 ms lease taken at 0 is held at 999 and free at 1000.
 * Always read time from `this.clock` (never Date.now()) and wait with `this.clock.sleep(ms)`.
 *
 * Check your work:  npm run exercise -- run consensus/distributed-lock
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
    // Sweep expired records every half TTL.
    this.cleanupTimer = this.clock.setInterval(() => this.removeExpired(), Math.max(1, Math.floor(defaultTtlMs / 2)));
  }

  /** One attempt: grants the lock if it is free, expired, or already held by the same owner. */
  tryAcquire(resourceId: string, ownerId: string, ttlMs: number = this.defaultTtlMs): Lock | null {
    this.messageCount++;
    // TODO:
    //   1. Look up the current record for resourceId.
    //   2. If there is one, its lease has not run out (lock.isExpired(now)) and another owner holds it,
    //      refuse: return null.
    //   3. Otherwise (no record, an expired record, or the same owner asking again) grant it:
    //      take the next token from the ONE global counter (increment first, so tokens start at 1),
    //      build a Lock stamped with the clock's current time and ttlMs, store it, return it.
    void resourceId;
    void ownerId;
    void ttlMs;
    return null;
  }

  /** Retries `tryAcquire` with a pause between attempts until it succeeds or `timeoutMs` has passed. */
  async acquire(resourceId: string, ownerId: string, timeoutMs: number, options: AcquireOptions = {}): Promise<Lock | null> {
    // TODO:
    //   1. Work out the deadline: now + timeoutMs.
    //   2. Loop: try once (pass options.ttlMs on); on success return the lock.
    //   3. If the deadline has come, give up and return null.
    //   4. Otherwise wait with `await this.clock.sleep(...)` (options.retryDelayMs or
    //      DEFAULT_RETRY_DELAY_MS, but never past the deadline) and try again.
    void resourceId;
    void ownerId;
    void timeoutMs;
    void options;
    return null;
  }

  /** Frees the lock, but only for its owner holding the current token and only while the lease lasts. */
  release(resourceId: string, ownerId: string, fencingToken: number): boolean {
    this.messageCount++;
    // TODO:
    //   1. No record for resourceId: nothing to release, return false.
    //   2. The caller is not the owner, or its token is not the record's token (a stale grant): false.
    //   3. The lease has already run out: false (the caller was not protected any more).
    //   4. Otherwise delete the record and return true.
    void resourceId;
    void ownerId;
    void fencingToken;
    return false;
  }

  /** Extends the lease; refused once it has expired, since someone else may already hold the lock. */
  renew(resourceId: string, ownerId: string, fencingToken: number, ttlMs: number = this.defaultTtlMs): boolean {
    this.messageCount++;
    // TODO:
    //   1. No record, or its lease has run out: return false.
    //   2. The caller is not the owner or holds another token: return false.
    //   3. Otherwise extend the lease by ttlMs from now (lock.renew) and return true.
    void resourceId;
    void ownerId;
    void fencingToken;
    void ttlMs;
    return false;
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
    // TODO: delete every record in this.locks whose lease has run out at the clock's current time.
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
    // TODO:
    //   1. A token older (smaller) than the highest accepted so far: refuse, return false.
    //   2. Otherwise remember the token as the highest, store the value and return true.
    void value;
    void fencingToken;
    return false;
  }

  read(): T | undefined {
    return this.value;
  }

  /** The highest token accepted so far (0 before the first write). */
  get highestToken(): number {
    return this.highest;
  }
}
