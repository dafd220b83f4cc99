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
    // TODO: set it in the leader's data, append { key, value, at: this.clock.now() } to the log,
    // and return the new log length (the entry's position, counting from 1).
    void key;
    void value;
    return 0;
  }

  /** From the leader: always the latest write. */
  read(key: string): string | undefined {
    // TODO: the leader's own data.
    void key;
    return undefined;
  }

  /** From follower `follower`: what it has applied so far, possibly stale. */
  readFromFollower(follower: number, key: string): string | undefined {
    // TODO: the follower's data (this.follower(follower) finds it and rejects a bad id).
    void follower;
    void key;
    return undefined;
  }

  /** Applies the next `maxEntries` log entries the follower lacks, in log order; returns how many. */
  replicate(follower: number, maxEntries = Infinity): number {
    // TODO: starting at log index f.applied, apply entries one by one (in order: a follower's
    // data must always be the leader's data as of some log position), until the follower has
    // the whole log or `maxEntries` have been applied. Count f.applied up; return how many.
    void follower;
    void maxEntries;
    return 0;
  }

  /** Log entries the follower has not applied yet. */
  replicationLag(follower: number): number {
    // TODO: log entries the follower has not applied.
    void follower;
    return 0;
  }

  /** How long the oldest entry the follower lacks has been waiting; 0 when it is caught up. */
  replicationLagMs(follower: number): number {
    // TODO: now minus the time of the OLDEST entry the follower has not applied (the one at
    // index f.applied); 0 when it has applied everything.
    void follower;
    return 0;
  }

  /** Followers lagging by more than `thresholdMs` (exactly the threshold is fine), in ascending order. */
  laggingFollowers(thresholdMs: number): number[] {
    // TODO: ids (1..n, ascending) whose replicationLagMs is MORE than thresholdMs.
    void thresholdMs;
    return [];
  }

  private follower(id: number): Follower {
    const f = this.followers[id - 1];
    if (!f) throw new RangeError(`no follower ${id}: followers are 1..${this.followers.length}`);
    return f;
  }
}
