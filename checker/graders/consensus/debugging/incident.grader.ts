import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/incident.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario, handOver } from '../../../engine/grader.ts';

type Mod = typeof Impl;
const IDS = [1, 2, 3, 4, 5];
const LEASE = 1000;
const SETTING = `Service of 5 nodes (1-5) sharing one storage; leader lease ${LEASE} ms`;
/** Elections start at a time other than 0, so "expiry = lease" and "expiry = start + lease" differ. */
const START = 1_234;

function fresh(ctx: GradeContext<Mod>) {
  const clock = ctx.simClock();
  return { clock, cluster: new ctx.impl.Cluster(handOver(IDS), { clock, leaseMs: LEASE }) };
}

/** Elects `id`, allowing one retry (a candidate may first need to catch up with a newer term). */
function elect(s: Scenario, cluster: Impl.Cluster, id: number, why: string): void {
  s.step(`Node ${id} runs an election`);
  const won = cluster.electLeader(id) || cluster.electLeader(id);
  s.expect(won && cluster.isLeader(id), `node ${id} to become leader: ${why}`,
    won ? `electLeader(${id}) returned true but isLeader(${id}) is false` : `its election failed (twice in a row)`);
}

type Step =
  | { readonly kind: 'partition'; readonly groups: readonly number[] }
  | { readonly kind: 'heal' }
  | { readonly kind: 'elect' | 'renew' | 'write'; readonly node: number }
  | { readonly kind: 'wait'; readonly ms: number };

/** A partition side value that leaves the node out of the partition call (so it is cut off). */
const UNLISTED = 3;
const nodeArb = fc.integer({ min: 1, max: 5 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // Group 3 leaves the node out of the partition call: it is then cut off from everyone.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), groups: fc.array(fc.integer({ min: 0, max: UNLISTED }), { minLength: 5, maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('elect' as const), node: nodeArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('renew' as const), node: nodeArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), node: nodeArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 15 }).map((x) => x * 100 + 3) }) },
);

function describeGroups(groups: readonly number[]): string {
  const sides = [0, 1, 2].map((g) => IDS.filter((_, i) => groups[i] === g)).filter((side) => side.length > 0);
  const alone = IDS.filter((_, i) => groups[i] === UNLISTED);
  return `${sides.map((side) => `{${side.join(', ')}}`).join(' | ') || 'nothing listed'}${alone.length > 0 ? ` (${alone.join(', ')} not listed, so cut off)` : ''}`;
}

/** Leases a random schedule runs with: undefined is the default of 1000 ms (no leaseMs option). */
const leaseArb = fc.constantFrom<number | undefined>(undefined, LEASE, 400, 2_500);

export default defineGrader<Mod>({
  requiredExports: ['Cluster', 'Storage'],
  requirements: [
    {
      id: 'minority-cannot-elect',
      title: 'A node that can reach only a minority of the cluster never becomes leader',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster } = fresh(ctx);
        s.step('The network splits into {1, 2} and {3, 4, 5}');
        cluster.partition([[1, 2], [3, 4, 5]]);
        for (const id of [1, 2]) {
          s.step(`Node ${id} runs an election on the small side`);
          const won = cluster.electLeader(id);
          s.expect(!won && !cluster.isLeader(id), `node ${id} to lose: it can reach only 2 of 5 nodes`,
            `node ${id} became leader with the votes of just 2 of the 5 nodes: the minority side runs its own leader`);
        }
      },
    },
    {
      id: 'majority-side-elects-and-writes',
      title: 'During a partition, a node on the majority side can still become leader and write',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster } = fresh(ctx);
        s.step('The network splits into {1, 2} and {3, 4, 5}');
        cluster.partition([[1, 2], [3, 4, 5]]);
        elect(s, cluster, 3, 'it reaches 3 of 5 nodes');
        s.step('Node 3 writes balance=70');
        s.expect(cluster.write(3, 'balance', '70') && cluster.storage.read('balance') === '70',
          'the write to be stored', () => `it was refused; storage holds ${cluster.storage.read('balance')}`);
      },
    },
    {
      id: 'healthy-cluster-elects-and-writes',
      title: 'In a healthy cluster a leader is elected, keeps leading while it renews its lease, and its writes are stored',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster, clock } = fresh(ctx);
        elect(s, cluster, 1, 'every node is reachable');
        for (let t = 1; t <= 8; t++) {
          s.step(`${t * 400} ms: node 1 renews its lease, then writes counter=${t}`);
          clock.advanceSync(400);
          const renewed = cluster.renewLease(1);
          s.expect(renewed && cluster.isLeader(1), 'node 1 to renew and stay leader: all 5 nodes answer',
            renewed ? 'it renewed, yet isLeader(1) is false' : 'the renewal failed');
          const written = cluster.write(1, 'counter', String(t));
          s.expect(written && cluster.storage.read('counter') === String(t), `storage to hold counter=${t}`,
            () => `the write was ${written ? 'accepted' : 'refused'} and storage holds counter=${cluster.storage.read('counter')}`);
        }
      },
    },
    {
      id: 'stale-leader-steps-down',
      title: 'A leader that missed a newer election steps down as soon as it meets a node from the newer term',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster } = fresh(ctx);
        elect(s, cluster, 1, 'every node is reachable');
        s.step('The network splits into {1, 2} and {3, 4, 5}');
        cluster.partition([[1, 2], [3, 4, 5]]);
        elect(s, cluster, 3, 'it reaches 3 of 5 nodes');
        s.expect(cluster.getTerm(3) > cluster.getTerm(1), `node 3's term to be newer than node 1's (${cluster.getTerm(1)})`,
          `node 3 is in term ${cluster.getTerm(3)}: nothing tells the two leaders apart`);
        s.step('The network heals (node 1\'s lease has not run out yet); node 1 renews its lease');
        cluster.heal();
        const renewed = cluster.renewLease(1);
        s.expect(!renewed && !cluster.isLeader(1), 'node 1 to learn of the newer term and step down',
          'node 1 renewed and still acts as leader beside node 3: two leaders in one healed cluster');
        s.expect(cluster.getTerm(1) === cluster.getTerm(3), `node 1 to move to node 3's term ${cluster.getTerm(3)}`,
          () => `it stayed in term ${cluster.getTerm(1)}`);
      },
    },
    {
      id: 'stale-writes-refused',
      title: 'Once a new leader has written, storage refuses every write from the deposed leader',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster } = fresh(ctx);
        elect(s, cluster, 1, 'every node is reachable');
        s.step('The network cuts node 1 off: {1} | {2, 3, 4, 5}');
        cluster.partition([[1], [2, 3, 4, 5]]);
        elect(s, cluster, 2, 'it reaches 4 of 5 nodes');
        s.step('Node 2 writes balance=70');
        s.expect(cluster.write(2, 'balance', '70'), 'the new leader\'s write to be stored', 'it was refused');
        s.step('Node 1, cut off and unaware, writes balance=150 to the shared storage');
        const stale = cluster.write(1, 'balance', '150');
        s.expect(!stale && cluster.storage.read('balance') === '70', 'the deposed leader\'s write to be refused; storage keeps balance=70',
          () => `it was stored: storage now holds balance=${cluster.storage.read('balance')}, overwriting the new leader's value`);
      },
    },
    {
      id: 'storage-refuses-smaller-token',
      title: 'Storage refuses a write whose fencing token is smaller than the largest it has accepted',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('A fresh Storage');
        const storage = new ctx.impl.Storage();
        const attempt = (value: string, token: number, wanted: boolean, expected: string) => {
          s.step(`write balance=${value} with fencing token ${token}`);
          const ok = storage.write('balance', value, token);
          s.expect(ok === wanted, expected, `it was ${ok ? 'accepted' : 'refused'}; storage holds balance=${storage.read('balance')}`);
        };
        attempt('100', 5, true, 'the first write to be accepted');
        attempt('150', 3, false, 'token 3 to be refused: token 5 was already accepted');
        attempt('120', 5, true, 'token 5 again to be accepted: the same leader writes again');
        attempt('130', 6, true, 'token 6 to be accepted: a newer leader');
        s.expect(storage.read('balance') === '130', 'storage to hold balance=130', `it holds ${storage.read('balance')}`);
      },
    },
    {
      id: 'lease-expires-without-majority',
      title: 'A leader that cannot renew with a majority stops being leader once its lease runs out',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster, clock } = fresh(ctx);
        elect(s, cluster, 1, 'every node is reachable');
        s.step('The network cuts node 1 off: {1} | {2, 3, 4, 5}');
        cluster.partition([[1], [2, 3, 4, 5]]);
        s.step('400 ms: node 1 tries to renew its lease');
        clock.advanceSync(400);
        const renewed = cluster.renewLease(1);
        s.expect(!renewed, 'the renewal to fail: node 1 reaches 1 of 5 nodes', 'it succeeded');
        s.step(`${LEASE + 100} ms: is node 1 still leader? It writes balance=150`);
        clock.advanceSync(LEASE + 100 - 400);
        const leader = cluster.isLeader(1);
        const wrote = cluster.write(1, 'balance', '150');
        s.expect(!leader && !wrote, `node 1 to have stopped leading: its lease ran out at ${LEASE} ms`,
          `node 1 still ${leader ? 'acts as leader' : 'could write'}${wrote ? ' and its write was stored' : ''}, ${LEASE + 100} ms after it last heard from a majority`);
      },
    },
    {
      id: 'lease-ends-at-its-expiry-instant',
      title: 'A leader elected at time a with lease L still leads at a + L - 1 ms and no longer at a + L or 1 ms later (default and other leases); a renewal restarts the lease from the renewal',
      kind: 'safety',
      check: (ctx) => {
        for (const lease of [undefined, 250]) {
          const leaseMs = lease ?? LEASE;
          for (const offset of [-1, 0, 1]) {
            const s = ctx.scenario(`Service of 5 nodes (1-5); leader lease ${lease === undefined ? `the default (${LEASE} ms, no leaseMs given)` : `${lease} ms`}`);
            const clock = ctx.simClock();
            const cluster = new ctx.impl.Cluster(handOver(IDS), lease === undefined ? { clock } : { clock, leaseMs: lease });
            clock.advanceSync(START);
            s.step(`${START} ms: node 1 runs an election`);
            elect(s, cluster, 1, 'every node is reachable');
            s.step(`${START + 100} ms: node 1 renews its lease with every node in reach (lease now until ${START + 100 + leaseMs} ms)`);
            clock.advanceSync(100);
            s.expect(cluster.renewLease(1), 'the renewal to succeed', 'it failed');
            const expiry = START + 100 + leaseMs;
            const at = expiry + offset;
            clock.advanceSync(at - clock.now());
            s.step(`${at} ms (${offset === 0 ? 'the instant the lease runs out' : `1 ms ${offset < 0 ? 'before' : 'after'} it runs out`}): is node 1 leader?`);
            const leading = cluster.isLeader(1);
            s.expect(leading === offset < 0, offset < 0 ? `node 1 to still lead: its lease runs until ${expiry} ms` : `node 1 to have stopped leading: its lease ran out at ${expiry} ms`,
              leading ? 'it still leads' : 'it no longer leads');
          }
        }
      },
    },
    {
      id: 'renews-with-exactly-a-majority',
      title: 'A leader that reaches exactly a majority (3 of 5) renews its lease',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster, clock } = fresh(ctx);
        elect(s, cluster, 1, 'every node is reachable');
        s.step('The network splits into {1, 2, 3} | {4, 5}; 500 ms later node 1 renews');
        cluster.partition([[1, 2, 3], [4, 5]]);
        clock.advanceSync(500);
        s.expect(cluster.renewLease(1), 'the renewal to succeed: node 1 reaches 3 of 5 nodes', 'it failed');
        s.step(`${LEASE + 100} ms: is node 1 still leader?`);
        clock.advanceSync(LEASE + 100 - 500);
        s.expect(cluster.isLeader(1), `node 1 to lead until ${500 + LEASE} ms`, 'it no longer leads');
        let threw = false;
        try {
          cluster.getTerm(99);
        } catch {
          threw = true;
        }
        s.expect(threw, 'getTerm(99) to throw: there is no node 99', 'it answered without an error');
      },
    },
    {
      id: 'partition-cuts-as-told',
      title: 'partition() puts each listed group on its own side and cuts every unlisted node off from everyone',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(SETTING);
        const { cluster } = fresh(ctx);
        s.step('The network splits: partition({2} | {3} | {4, 5}), node 1 not listed');
        cluster.partition([[2], [3], [4, 5]]);
        const sides = [[1], [2], [3], [4, 5]];
        for (const a of IDS) {
          for (const b of IDS) {
            if (a === b) continue;
            const same = sides.some((side) => side.includes(a) && side.includes(b));
            s.expect(cluster.canReach(a, b) === same, `canReach(${a}, ${b}) to be ${same}`, `it was ${!same}`);
          }
        }
      },
    },
    {
      id: 'random-partitions-one-writer',
      title: 'Under any schedule of partitions (nodes left out included), heals, elections, renewals, writes and waits, with default and other leases: only majorities elect, leaders are lease-bounded, storage never takes a stale write; terms, leaders seen, the highest token and the message count agree after every step',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.record({ lease: leaseArb, steps: fc.array(stepArb, { minLength: 1, maxLength: 22 }) }), ({ lease, steps }) => {
          const leaseMs = lease ?? LEASE;
          const s = ctx.scenario(`Service of 5 nodes (1-5) sharing one storage; leader lease ${lease === undefined ? `the default (${LEASE} ms, no leaseMs given)` : `${lease} ms`}`);
          const clock = ctx.simClock();
          const cluster = new ctx.impl.Cluster(handOver(IDS), lease === undefined ? { clock } : { clock, leaseMs: lease });
          let groups = [0, 0, 0, 0, 0];
          const side = (id: number) => (groups[id - 1] === UNLISTED ? [id] : IDS.filter((_, i) => groups[i] === groups[id - 1]));
          const reach = (id: number) => side(id).length;
          const leaderOf = new Map<number, number | null>(IDS.map((id) => [id, null]));
          let messages = 0;
          const lastConfirmed = new Map<number, number>();
          const writerOfTerm = new Map<number, number>();
          let highestToken = -Infinity;
          let writes = 0;
          for (const step of steps) {
            const at = `${clock.now()} ms`;
            switch (step.kind) {
              case 'partition':
                groups = [...step.groups];
                s.step(`${at}: the network splits into ${describeGroups(groups)}`);
                cluster.partition([0, 1, 2].map((g) => IDS.filter((_, i) => groups[i] === g)).filter((members) => members.length > 0));
                break;
              case 'heal':
                groups = [0, 0, 0, 0, 0];
                s.step(`${at}: the network heals`);
                cluster.heal();
                break;
              case 'wait':
                s.step(`${step.ms} ms pass`);
                clock.advanceSync(step.ms);
                break;
              case 'elect': {
                s.step(`${at}: node ${step.node} runs an election (it reaches ${reach(step.node)} of 5)`);
                const majority = reach(step.node) >= 3;
                const seen = Math.max(...side(step.node).map((id) => cluster.getTerm(id)));
                let won = cluster.electLeader(step.node);
                messages += reach(step.node) - 1;
                if (!won && majority) {
                  won = cluster.electLeader(step.node);
                  messages += reach(step.node) - 1;
                }
                s.expect(won === majority, majority ? `node ${step.node} to win: it reaches a majority` : `node ${step.node} to lose: it reaches only a minority`,
                  won ? `it became leader (term ${cluster.getTerm(step.node)})` : 'it lost (twice in a row)');
                if (won) {
                  s.expect(cluster.getTerm(step.node) > seen, `node ${step.node} to lead in a term above every term it can see (${seen})`, () => `it leads in term ${cluster.getTerm(step.node)}`);
                  lastConfirmed.set(step.node, clock.now());
                  for (const id of side(step.node)) leaderOf.set(id, step.node);
                }
                break;
              }
              case 'renew': {
                const wasLeader = cluster.isLeader(step.node);
                const term = cluster.getTerm(step.node);
                const newer = IDS.some((id) => groups[id - 1] === groups[step.node - 1] && cluster.getTerm(id) > term);
                s.step(`${at}: node ${step.node}${wasLeader ? ' (leader, term ' + term + ')' : ''} renews its lease (it reaches ${reach(step.node)} of 5)`);
                const newest = Math.max(...side(step.node).map((id) => cluster.getTerm(id)));
                const renewed = cluster.renewLease(step.node);
                if (wasLeader) messages += reach(step.node) - 1;
                const should = wasLeader && reach(step.node) >= 3 && !newer;
                if (wasLeader && newer) {
                  s.expect(cluster.getTerm(step.node) === newest && !cluster.isLeader(step.node), `node ${step.node} to step down and move to term ${newest}, the newest it can see`,
                    () => `it is in term ${cluster.getTerm(step.node)}${cluster.isLeader(step.node) ? ', still leading' : ''}`);
                }
                if (renewed) for (const id of side(step.node)) leaderOf.set(id, step.node);
                s.expect(renewed === should,
                  should ? 'the renewal to succeed: a current leader reaching a majority' : `the renewal to fail: ${!wasLeader ? 'it is not leader' : reach(step.node) < 3 ? 'it reaches only a minority' : 'a reachable node is in a newer term'}`,
                  renewed ? 'it succeeded' : 'it failed');
                if (renewed) lastConfirmed.set(step.node, clock.now());
                break;
              }
              case 'write': {
                const isLeader = cluster.isLeader(step.node);
                const token = cluster.getTerm(step.node);
                const value = `w${++writes}`;
                s.step(`${at}: node ${step.node}${isLeader ? ` (leader, term ${token})` : ''} writes key=${value}`);
                const ok = cluster.write(step.node, 'key', value);
                if (isLeader) messages++;
                const should = isLeader && token >= highestToken;
                s.expect(ok === should,
                  should ? 'the write to be stored: it comes from a current leader' : !isLeader ? 'the write to be refused: the node is not leader' : `the write to be refused: a write from term ${highestToken} was already stored`,
                  ok ? 'it was stored' : 'it was refused');
                if (ok) {
                  const earlier = writerOfTerm.get(token);
                  s.expect(earlier === undefined || earlier === step.node, `only one node to write in term ${token}`,
                    `nodes ${earlier} and ${step.node} both wrote with term ${token}: two leaders at once`);
                  writerOfTerm.set(token, step.node);
                  highestToken = token;
                }
                break;
              }
            }
            const leaders = IDS.filter((id) => cluster.isLeader(id));
            for (const id of leaders) {
              const since = clock.now() - (lastConfirmed.get(id) ?? -Infinity);
              s.expect(since < leaseMs, `node ${id} to lead only within ${leaseMs} ms of its last election or renewal with a majority`,
                `node ${id} still leads ${since} ms after that`);
            }
            s.expect(cluster.storage.getHighestToken() === Math.max(0, highestToken), `storage.getHighestToken() to be ${Math.max(0, highestToken)}, the token of the last stored write`,
              () => `it was ${cluster.storage.getHighestToken()}`);
            s.expect(cluster.getMessageCount() === messages,
              `getMessageCount() to be ${messages}: one message per other reachable node for each election and each renewal by a leader, one per leader write`,
              () => `it was ${cluster.getMessageCount()}`);
            for (const id of IDS) {
              s.expect(cluster.getLeaderOf(id) === leaderOf.get(id), `getLeaderOf(${id}) to be ${leaderOf.get(id) ?? 'null'}: the last leader that won or renewed with it in reach`,
                () => `it was ${cluster.getLeaderOf(id) ?? 'null'}`);
            }
            const terms = leaders.map((id) => cluster.getTerm(id));
            s.expect(new Set(terms).size === terms.length, 'no two leaders to share a term',
              () => `nodes ${leaders.join(', ')} lead in terms ${terms.join(', ')}`);
          }
        }),
    },
  ],
});
