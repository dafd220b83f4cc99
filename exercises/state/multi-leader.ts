/**
 * Multi-leader replication: every leader takes writes locally and syncs with the others later.
 * Fill in every TODO, then run
 *   npm run exercise -- run state/multi-leader
 *
 * The document's MultiMasterDB, with the part it leaves out: detecting that two leaders wrote the
 * same key without knowing of each other. Each stored version carries a vector clock (per leader,
 * how many of that leader's writes to this key it had seen). A version another one dominates is
 * replaced; versions neither of which dominates are concurrent and both kept, as siblings, until
 * a write made after seeing them all replaces them.
 */

/** Leader id -> writes of that leader to this key seen; a missing entry means 0. */
export type VectorClock = Readonly<Record<string, number>>;

export interface Version {
  readonly value: string;
  readonly clock: VectorClock;
}

const entry = (clock: VectorClock, leader: string): number => clock[leader] ?? 0;

/** -1: a happened before b; 1: after; 0: the same clock; undefined: concurrent. */
function compareClocks(a: VectorClock, b: VectorClock): -1 | 0 | 1 | undefined {
  // TODO: walk the leaders of BOTH clocks (a missing entry is 0: use entry()). Some entry
  // smaller and some larger: concurrent (undefined). Only smaller ones: -1. Only larger: 1.
  // None: 0.
  void a;
  void b;
  void entry;
  return 0;
}

/** The versions of both lists that no other version dominates, each clock once. */
function maximal(versions: readonly Version[]): Version[] {
  // TODO: keep each version that no other version in the list dominates (compareClocks(v, other)
  // === -1), and keep a clock only once (the same version can arrive from two leaders).
  return [...versions];
}

export class MultiLeaderDB {
  /** leader -> key -> the versions it holds (one, or several siblings) */
  private readonly stores = new Map<string, Map<string, Version[]>>();

  constructor(leaderIds: readonly string[]) {
    for (const id of leaderIds) this.stores.set(id, new Map());
  }

  /** A local write: it has seen every version the leader holds for the key, so it replaces them all. */
  write(leader: string, key: string, value: string): void {
    // TODO:
    //   1. The new clock is the entry-wise maximum of the clocks of every version this leader holds
    //      for the key (so it dominates them all), plus 1 in this leader's own entry.
    //   2. The key now holds just this one version.
    void leader;
    void key;
    void value;
  }

  /** The values the leader holds for the key, sorted: one, none, or several siblings. */
  read(leader: string, key: string): string[] {
    // TODO: the values of the versions held (this.store(leader) finds the leader's map), sorted.
    void leader;
    void key;
    return [];
  }

  /** `to` takes in everything `from` holds: per key, the versions no other version dominates. */
  sync(from: string, to: string): void {
    // TODO: for every key `from` holds, `to` keeps maximal(its versions + from's versions).
    // Leave `from` unchanged: syncing is one-way.
    void from;
    void to;
    void maximal;
  }

  /** Keys for which the leader holds concurrent siblings, sorted. */
  conflicts(leader: string): string[] {
    // TODO: the keys holding more than one version, sorted.
    void leader;
    return [];
  }

  private store(leader: string): Map<string, Version[]> {
    const store = this.stores.get(leader);
    if (!store) throw new RangeError(`no leader "${leader}"`);
    return store;
  }
}
