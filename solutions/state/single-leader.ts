/**
 * Single-leader replication: every write goes to the leader, followers copy its log later.
 * Fill in every TODO, then run
 *   npm run exercise -- run state/single-leader
 *
 * The document's MasterSlaveDB: the leader applies a write at once and appends it to its log;
 * followers apply the log in order, when `replicate` is called (asynchronous replication,
 * driven by hand so the grader decides when a follower catches up). A read from the leader is
 * always current; a read from a follower may be stale by however far the follower is behind.
 */
import type { Clock } from '#workbook/clock';

interface LogEntry {
  readonly key: string;
  readonly value: string;
  /** Clock time at which the leader took the write. */
  readonly at: number;
}

interface Follower {
  /** How many log entries this follower has applied (always a prefix of the log). */
  applied: number;
  readonly data: Map<string, string>;
}

export class SingleLeaderDB {
  private readonly log: LogEntry[] = [];
  private readonly data = new Map<string, string>();
  private readonly followers: Follower[] = [];

  /** Followers are numbered 1..followerCount. */
  constructor(
    followerCount: number,
    private readonly clock: Clock,
  ) {
    for (let i = 0; i < followerCount; i++) this.followers.push({ applied: 0, data: new Map() });
  }

  /** Applies the write on the leader, appends it to the log, returns its log position (1, 2, ...). */
  write(key: string, value: string): number {
    this.data.set(key, value);
    this.log.push({ key, value, at: this.clock.now() });
    return this.log.length;
  }

  /** From the leader: always the latest write. */
  read(key: string): string | undefined {
    return this.data.get(key);
  }

  /** From follower `follower`: what it has applied so far, possibly stale. */
  readFromFollower(follower: number, key: string): string | undefined {
    return this.follower(follower).data.get(key);
  }

  /** Applies the next `maxEntries` log entries the follower lacks, in log order; returns how many. */
  replicate(follower: number, maxEntries = Infinity): number {
    const f = this.follower(follower);
    let count = 0;
    while (f.applied < this.log.length && count < maxEntries) {
      const entry = this.log[f.applied]!;
      f.data.set(entry.key, entry.value);
      f.applied++;
      count++;
    }
    return count;
  }

  /** Log entries the follower has not applied yet. */
  replicationLag(follower: number): number {
    return this.log.length - this.follower(follower).applied;
  }

  /** How long the oldest entry the follower lacks has been waiting; 0 when it is caught up. */
  replicationLagMs(follower: number): number {
    const next = this.log[this.follower(follower).applied];
    return next ? this.clock.now() - next.at : 0;
  }

  /** Followers lagging by more than `thresholdMs` (exactly the threshold is fine), in ascending order. */
  laggingFollowers(thresholdMs: number): number[] {
    const lagging: number[] = [];
    for (let id = 1; id <= this.followers.length; id++) if (this.replicationLagMs(id) > thresholdMs) lagging.push(id);
    return lagging;
  }

  private follower(id: number): Follower {
    const f = this.followers[id - 1];
    if (!f) throw new RangeError(`no follower ${id}: followers are 1..${this.followers.length}`);
    return f;
  }
}
