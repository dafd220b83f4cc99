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
  let less = false;
  let more = false;
  for (const leader of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (entry(a, leader) < entry(b, leader)) less = true;
    if (entry(a, leader) > entry(b, leader)) more = true;
  }
  if (less && more) return undefined;
  return less ? -1 : more ? 1 : 0;
}

/** The versions of both lists that no other version dominates, each clock once. */
function maximal(versions: readonly Version[]): Version[] {
  const kept: Version[] = [];
  for (const v of versions) {
    const beaten = versions.some((other) => compareClocks(v.clock, other.clock) === -1);
    const duplicate = kept.some((k) => compareClocks(v.clock, k.clock) === 0);
    if (!beaten && !duplicate) kept.push(v);
  }
  return kept;
}

export class MultiLeaderDB {
  /** leader -> key -> the versions it holds (one, or several siblings) */
  private readonly stores = new Map<string, Map<string, Version[]>>();

  constructor(leaderIds: readonly string[]) {
    for (const id of leaderIds) this.stores.set(id, new Map());
  }

  /** A local write: it has seen every version the leader holds for the key, so it replaces them all. */
  write(leader: string, key: string, value: string): void {
    const store = this.store(leader);
    const clock: Record<string, number> = {};
    for (const v of store.get(key) ?? []) for (const [l, n] of Object.entries(v.clock)) clock[l] = Math.max(clock[l] ?? 0, n);
    clock[leader] = (clock[leader] ?? 0) + 1;
    store.set(key, [{ value, clock }]);
  }

  /** The values the leader holds for the key, sorted: one, none, or several siblings. */
  read(leader: string, key: string): string[] {
    return (this.store(leader).get(key) ?? []).map((v) => v.value).sort();
  }

  /** `to` takes in everything `from` holds: per key, the versions no other version dominates. */
  sync(from: string, to: string): void {
    const source = this.store(from);
    const target = this.store(to);
    for (const [key, versions] of source) target.set(key, maximal([...(target.get(key) ?? []), ...versions]));
  }

  /** Keys for which the leader holds concurrent siblings, sorted. */
  conflicts(leader: string): string[] {
    return [...this.store(leader)].filter(([, versions]) => versions.length > 1).map(([key]) => key).sort();
  }

  private store(leader: string): Map<string, Version[]> {
    const store = this.stores.get(leader);
    if (!store) throw new RangeError(`no leader "${leader}"`);
    return store;
  }
}
