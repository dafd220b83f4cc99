import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/incident.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario } from '../../../engine/grader.ts';

type Mod = typeof Impl;
const IDS = [1, 2, 3, 4, 5];
const LEASE = 1000;
const SETTING = `Service of 5 nodes (1-5) sharing one storage; leader lease ${LEASE} ms`;

function fresh(ctx: GradeContext<Mod>) {
  const clock = ctx.simClock();
  return { clock, cluster: new ctx.impl.Cluster(IDS, { clock, leaseMs: LEASE }) };
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

const nodeArb = fc.integer({ min: 1, max: 5 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), groups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('elect' as const), node: nodeArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('renew' as const), node: nodeArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), node: nodeArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 15 }).map((x) => x * 100 + 3) }) },
);

function describeGroups(groups: readonly number[]): string {
  const sides = [0, 1, 2].map((g) => IDS.filter((_, i) => groups[i] === g)).filter((side) => side.length > 0);
  return sides.map((side) => `{${side.join(', ')}}`).join(' | ');
}

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
      id: 'random-partitions-one-writer',
      title: 'Under any schedule of partitions, heals, elections, renewals, writes and waits: only majorities elect, leaders are lease-bounded, and storage never takes a stale write',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.array(stepArb, { minLength: 1, maxLength: 22 }), (steps) => {
          const s = ctx.scenario(SETTING);
          const { cluster, clock } = fresh(ctx);
          let groups = [0, 0, 0, 0, 0];
          const reach = (id: number) => IDS.filter((_, i) => groups[i] === groups[id - 1]).length;
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
                cluster.partition([0, 1, 2].map((g) => IDS.filter((_, i) => groups[i] === g)).filter((side) => side.length > 0));
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
                const won = cluster.electLeader(step.node) || (majority && cluster.electLeader(step.node));
                s.expect(won === majority, majority ? `node ${step.node} to win: it reaches a majority` : `node ${step.node} to lose: it reaches only a minority`,
                  won ? `it became leader (term ${cluster.getTerm(step.node)})` : 'it lost (twice in a row)');
                if (won) lastConfirmed.set(step.node, clock.now());
                break;
              }
              case 'renew': {
                const wasLeader = cluster.isLeader(step.node);
                const term = cluster.getTerm(step.node);
                const newer = IDS.some((id) => groups[id - 1] === groups[step.node - 1] && cluster.getTerm(id) > term);
                s.step(`${at}: node ${step.node}${wasLeader ? ' (leader, term ' + term + ')' : ''} renews its lease (it reaches ${reach(step.node)} of 5)`);
                const renewed = cluster.renewLease(step.node);
                const should = wasLeader && reach(step.node) >= 3 && !newer;
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
              s.expect(since < LEASE, `node ${id} to lead only within ${LEASE} ms of its last election or renewal with a majority`,
                `node ${id} still leads ${since} ms after that`);
            }
            const terms = leaders.map((id) => cluster.getTerm(id));
            s.expect(new Set(terms).size === terms.length, 'no two leaders to share a term',
              () => `nodes ${leaders.join(', ')} lead in terms ${terms.join(', ')}`);
          }
        }),
    },
  ],
});
