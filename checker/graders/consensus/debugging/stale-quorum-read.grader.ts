import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/stale-quorum-read.ts';
import { defineGrader, checkSchedules, type GradeContext, handOver } from '../../../engine/grader.ts';

type Mod = typeof Impl;
type Versioned = Impl.VersionedValue;
const K = 'profile';
const showRead = (v: Versioned | null): string => (v === null ? 'nothing' : `"${v.value}" (version ${v.version})`);

/** N=3, R=2, W=2; "v1" written everywhere, then "v2" written while node 1 was down. */
function chapterStore(ctx: GradeContext<Mod>, s: ReturnType<GradeContext<Mod>['scenario']>) {
  const store = new ctx.impl.QuorumStore([1, 2, 3], { readQuorum: 2, writeQuorum: 2 });
  s.step('All 3 nodes up: write "v1" (becomes version 1 on nodes 1, 2, 3)');
  store.write(K, 'v1');
  s.step('Node 1 goes down: write "v2" (becomes version 2 on nodes 2 and 3 only)');
  store.getNode(1).active = false;
  store.write(K, 'v2');
  store.getNode(1).active = true;
  s.step('Node 1 comes back (still holding "v1", version 1)');
  return store;
}

const configs = [
  { n: 3, r: 2, w: 2 }, { n: 3, r: 1, w: 3 }, { n: 3, r: 3, w: 1 },
  { n: 5, r: 3, w: 3 }, { n: 5, r: 2, w: 4 }, { n: 5, r: 4, w: 2 },
] as const;
const words = ['apple', 'kiwi', 'fig', 'mango', 'pear', 'lime', 'date', 'plum'];

/** Random placements: the newest version on at least W replicas, older versions (or nothing) elsewhere. */
const placementArb = fc
  .record({
    config: fc.constantFrom(...configs),
    latest: fc.integer({ min: 1, max: 4 }),
    holdsLatest: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    older: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
    down: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    valueOf: fc.shuffledSubarray(words, { minLength: 5, maxLength: 5 }),
  })
  .map(({ config, latest, holdsLatest, older, down, valueOf }) => {
    const ids = Array.from({ length: config.n }, (_, i) => i + 1);
    const holders = new Set(ids.filter((_, i) => holdsLatest[i]));
    for (const id of ids) if (holders.size < config.w) holders.add(id);
    const versions = ids.map((id, i) => (holders.has(id) ? latest : older[i]! % latest));
    return { config, ids, versions, value: (v: number) => valueOf[v]!, down: ids.filter((_, i) => down[i]) };
  });

export default defineGrader<Mod>({
  requiredExports: ['QuorumStore', 'ReplicaNode'],
  requirements: [
    {
      id: 'returns-newest-of-quorum',
      title: 'A quorum read returns the newest version among the replies, whichever replica answered first',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store with N=3 (nodes 1-3), R=2, W=2');
        const store = chapterStore(ctx, s);
        s.step('Read: asks node 1, then node 2');
        const result = store.read(K);
        s.expect(result?.value === 'v2' && result.version === 2,
          'the read to return "v2" (version 2): node 2\'s reply is newer than node 1\'s',
          () => `it returned ${showRead(result)}${result?.version === 1 ? ', the stale value from node 1, although node 2 answered with version 2' : ''}`);
      },
    },
    {
      id: 'missing-reply-does-not-hide-value',
      title: 'A replica that never saw the key does not hide the value another replica in the quorum holds',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store with N=3 (nodes 1-3), R=2, W=2');
        const store = new ctx.impl.QuorumStore([1, 2, 3], { readQuorum: 2, writeQuorum: 2 });
        s.step('Node 1 is down: write "v1" (version 1 on nodes 2 and 3)');
        store.getNode(1).active = false;
        const ok = store.write(K, 'v1');
        s.expect(ok, 'the write to succeed with 2 acknowledgements', 'it failed');
        store.getNode(1).active = true;
        s.step('Node 1 comes back with nothing for the key; read asks node 1, then node 2');
        const result = store.read(K);
        s.expect(result?.value === 'v1', 'the read to return "v1" (version 1)', () => `it returned ${showRead(result)}: an acknowledged write vanished`);
      },
    },
    {
      id: 'read-available-with-r-up',
      title: 'A read succeeds with the newest value as long as R replicas are up',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store with N=3 (nodes 1-3), R=2, W=2');
        const store = chapterStore(ctx, s);
        s.step('Node 3 goes down; read (only nodes 1 and 2 can answer)');
        store.getNode(3).active = false;
        const result = store.read(K);
        s.expect(result?.value === 'v2', 'the read to return "v2" (version 2): 2 replicas are enough',
          () => `it returned ${showRead(result)}`);
      },
    },
    {
      id: 'refuses-read-without-quorum',
      title: 'With fewer than R replicas up a read returns nothing rather than a possibly stale value',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Quorum store with N=3 (nodes 1-3), R=2, W=2');
        const store = chapterStore(ctx, s);
        s.step('Nodes 2 and 3 go down; read (only node 1, holding "v1", can answer)');
        store.getNode(2).active = false;
        store.getNode(3).active = false;
        const result = store.read(K);
        s.expect(result === null, 'the read to return nothing: 1 reply is below R=2', () => `it returned ${showRead(result)}`);
      },
    },
    {
      id: 'writes-reach-up-replicas-and-need-w',
      title: 'A write goes to every replica that is up and none that is down, numbers the versions of a key 1, 2, 3..., and succeeds exactly when at least W replicas took it (W and N varied)',
      kind: 'safety',
      check: (ctx) => {
        for (const { n, w } of [{ n: 3, w: 2 }, { n: 3, w: 3 }, { n: 5, w: 2 }, { n: 5, w: 4 }, { n: 4, w: 3 }]) {
          const ids = Array.from({ length: n }, (_, i) => i + 1);
          const s = ctx.scenario(`Quorum store with N=${n} (nodes 1-${n}), R=1, W=${w}`);
          const store = new ctx.impl.QuorumStore(handOver(ids), { readQuorum: 1, writeQuorum: w });
          let messages = 0;
          for (let downCount = 0; downCount <= n; downCount++) {
            const down = ids.slice(n - downCount);
            for (const id of ids) store.getNode(id).active = !down.includes(id);
            const version = downCount + 1;
            const value = `v${version}`;
            s.step(`${down.length === 0 ? 'All nodes up' : `Node(s) ${down.join(', ')} down`}: write "${value}"`);
            const before = new Map(down.map((id) => [id, store.getNode(id).get(K)?.version ?? 0]));
            const ok = store.write(K, value);
            messages += n - downCount;
            const up = n - downCount;
            s.expect(ok === up >= w, `the write to ${up >= w ? 'succeed' : 'fail'}: ${up} replica(s) took it, W=${w}`, `write returned ${ok}`);
            for (const id of ids) {
              const held = store.getNode(id).get(K);
              if (down.includes(id)) {
                s.expect((held?.version ?? 0) === before.get(id), `node ${id}, which is down, not to receive "${value}"`, () => `it holds ${showRead(held)}`);
              } else {
                s.expect(held?.version === version && held.value === value, `node ${id} to hold "${value}" (version ${version})`, () => `it holds ${showRead(held)}`);
              }
            }
            s.expect(store.getMessageCount() === messages, `getMessageCount() to be ${messages}: one message per replica that is up`, () => `it was ${store.getMessageCount()}`);
          }
        }
      },
    },
    {
      id: 'default-quorums-are-majorities',
      title: 'Without readQuorum and writeQuorum options, R and W are majorities of N (odd and even N)',
      kind: 'safety',
      check: (ctx) => {
        for (const n of [3, 4, 5]) {
          const ids = Array.from({ length: n }, (_, i) => i + 1);
          const majority = Math.floor(n / 2) + 1;
          const s = ctx.scenario(`Quorum store with N=${n} (nodes 1-${n}) and no quorum options: R = W = ${majority}`);
          const store = new ctx.impl.QuorumStore(handOver(ids));
          s.expect(store.readQuorum === majority && store.writeQuorum === majority, `readQuorum and writeQuorum to be ${majority}`,
            `they are ${store.readQuorum} and ${store.writeQuorum}`);
          const down = ids.slice(majority - 1);
          for (const id of down) store.getNode(id).active = false;
          s.step(`Node(s) ${down.join(', ')} down (${majority - 1} up): write "v1", then read`);
          const ok = store.write(K, 'v1');
          const read = store.read(K);
          s.expect(!ok && read === null, `the write to fail and the read to return nothing: ${majority - 1} replies are below ${majority}`,
            () => `write returned ${ok}, read returned ${showRead(read)}`);
        }
      },
    },
    {
      id: 'replica-never-goes-back',
      title: 'A replica keeps the newer version of a key when an older one arrives later; an unknown node id is an error',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('One replica (node 1) of a quorum store');
        const store = new ctx.impl.QuorumStore([1, 2, 3]);
        const replica = store.getNode(1);
        s.step('Node 1 is sent version 2 ("v2"), then a delayed version 1 ("v1")');
        replica.put(K, { value: 'v2', version: 2 });
        replica.put(K, { value: 'v1', version: 1 });
        s.expect(replica.get(K)?.version === 2, 'node 1 to keep "v2" (version 2)', () => `it holds ${showRead(replica.get(K))}`);
        s.expect(replica.get('other') === null, 'a key node 1 never saw to read as null', () => `it read ${showRead(replica.get('other'))}`);
        let threw = false;
        try {
          store.getNode(99);
        } catch {
          threw = true;
        }
        s.expect(threw, 'getNode(99) to throw: there is no node 99', 'it returned without an error');
      },
    },
    {
      id: 'random-placements-read-newest',
      title: 'For any placement of versions with the newest on at least W replicas, a read with R replicas up returns the newest, asking only until R replied',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, placementArb, (p) => {
          const { n, r, w } = p.config;
          const s = ctx.scenario(`Quorum store with N=${n} (nodes 1-${n}), R=${r}, W=${w}`);
          const store = new ctx.impl.QuorumStore(handOver(p.ids), { readQuorum: r, writeQuorum: w });
          p.ids.forEach((id, i) => {
            const v = p.versions[i]!;
            if (v > 0) store.getNode(id).put(K, { value: p.value(v), version: v });
            s.step(`Node ${id} holds ${v > 0 ? `"${p.value(v)}" (version ${v})` : 'nothing'}`);
          });
          for (const id of p.down) store.getNode(id).active = false;
          const up = n - p.down.length;
          s.step(`${p.down.length === 0 ? 'All nodes are up' : p.down.length === 1 ? `Node ${p.down[0]} is down` : `Nodes ${p.down.join(', ')} are down`}; read`);
          const latest = Math.max(...p.versions);
          const result = store.read(K);
          s.expect(store.getMessageCount() === Math.min(r, up), `getMessageCount() to be ${Math.min(r, up)}: the read asks up replicas in node order until ${r} replied`,
            () => `it was ${store.getMessageCount()}`);
          if (up >= r) {
            s.expect(result?.version === latest && result.value === p.value(latest),
              `the read to return the newest value "${p.value(latest)}" (version ${latest})`,
              () => `it returned ${showRead(result)}`);
          } else {
            s.expect(result === null, `the read to return nothing: only ${up} replica(s) up, below R=${r}`,
              () => `it returned ${showRead(result)}`);
          }
        }),
    },
  ],
});
