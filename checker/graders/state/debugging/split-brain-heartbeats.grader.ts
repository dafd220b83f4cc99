import fc from 'fast-check';
import type * as Impl from '../../../../solutions/state/debugging/split-brain-heartbeats.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario, handOver } from '../../../engine/grader.ts';
import type { SimClock } from '../../../engine/sim-clock.ts';

type Mod = typeof Impl;
type Detector = Impl.SplitBrainDetector;
const TIMEOUT = 30_000;
const NAMES = ['db1', 'db2', 'db3', 'db4', 'db5'];
const secs = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** Five detectors on one simulated clock, and which side of a split each node is on (same side: can talk). */
function cluster(ctx: GradeContext<Mod>, options?: Impl.SplitBrainDetectorOptions) {
  const clock = ctx.simClock();
  const nodes = NAMES.map((id) => new ctx.impl.SplitBrainDetector(id, NAMES.length, clock, handOver(options)));
  const side = new Map(NAMES.map((n) => [n, 0]));
  const byId = (id: string): Detector => nodes[NAMES.indexOf(id)]!;
  const reach = (a: string, b: string): boolean => side.get(a) === side.get(b);
  return {
    clock,
    nodes,
    byId,
    reach,
    split(s: Scenario, groups: readonly (readonly string[])[]): void {
      groups.forEach((g, i) => g.forEach((n) => side.set(n, i)));
      s.step(groups.length === 1 ? 'the network heals' : `the network splits into ${groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`);
    },
    /** Every node sends a heartbeat to every node it can reach. */
    beat(): void {
      for (const to of nodes) for (const from of nodes) if (from !== to && reach(from.nodeId, to.nodeId)) to.heartbeatReceived(from.nodeId);
    },
    ask(from: string) {
      return (node: string): boolean => reach(from, node) && byId(node).isPrimary;
    },
  };
}

function advance(s: Scenario, clock: SimClock, ms: number, what = ''): void {
  clock.advanceSync(ms);
  s.step(`t=${secs(clock.now())}${what ? `: ${what}` : ''}`);
}

/** One detector in a 3-node cluster that heard from n2 and n3 at t=0 and then nothing. */
function lonely(ctx: GradeContext<Mod>, s: Scenario) {
  const clock = ctx.simClock();
  const d = new ctx.impl.SplitBrainDetector('n1', 3, clock);
  s.step('t=0 s: n1 receives heartbeats from n2 and n3; then nothing more arrives');
  d.heartbeatReceived('n2');
  d.heartbeatReceived('n3');
  return { clock, d };
}

type Op =
  | { readonly kind: 'beat' }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'split'; readonly sides: readonly number[] }
  | { readonly kind: 'elect'; readonly node: number }
  | { readonly kind: 'tick' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'beat' as const }) },
  // Whole seconds, and the edges of the timeout: 30 000 ms exactly, and one either side.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 1, max: 40 }).map((x) => x * 1000), fc.constantFrom(TIMEOUT - 1, TIMEOUT, TIMEOUT + 1, 1)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('split' as const), sides: fc.array(fc.nat(1), { minLength: 5, maxLength: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('elect' as const), node: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

export default defineGrader<Mod>({
  requiredExports: ['SplitBrainDetector'],
  requirements: [
    {
      id: 'minority-primary-steps-down',
      title: 'A primary cut off in a minority steps down once its heartbeats have timed out, and the majority side can elect',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (db1-db5), heartbeat timeout 30 s, heartbeats every 5 s');
        const c = cluster(ctx);
        c.beat();
        s.step('t=0 s: heartbeats; db1 attempts an election');
        const first = c.byId('db1').attemptPrimaryElection(c.ask('db1'));
        s.expect(first === 'became_primary', 'db1 to become primary (it sees all 5)', () => `it answered "${first}"`);
        c.split(s, [['db1', 'db2'], ['db3', 'db4', 'db5']]);
        for (let i = 0; i < 12; i++) {
          c.clock.advanceSync(5_000);
          c.beat();
          for (const n of c.nodes) n.handleNetworkPartition();
        }
        s.step('heartbeats every 5 s on each side, everyone calling handleNetworkPartition, until t=60 s');
        const db1 = c.byId('db1');
        s.expect(!db1.isPrimary, 'db1 to have stepped down: it sees only db2, 2 of 5', () => `db1 is still primary, seeing ${db1.visibleNodes().join(', ')}`);
        s.expect(!db1.canBePrimary(), 'db1.canBePrimary() to be false', 'it is true');
        s.step('db3 attempts an election');
        const third = c.byId('db3').attemptPrimaryElection(c.ask('db3'));
        s.expect(third === 'became_primary', 'db3 to become primary (it sees db4 and db5: 3 of 5)', () => `it answered "${third}"`);
      },
    },
    {
      id: 'visible-until-timeout-inclusive',
      title: 'A node heard from at t stays visible at t + 30 000 ms (and at 29 999) and is gone at t + 30 001',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (n1-n3), heartbeat timeout 30 000 ms');
        const { clock, d } = lonely(ctx, s);
        for (const [at, visible] of [[TIMEOUT - 1, true], [TIMEOUT, true], [TIMEOUT + 1, false]] as const) {
          advance(s, clock, at - clock.now(), 'n1 checks what it sees');
          const seen = d.visibleNodes();
          s.expect(seen.length === (visible ? 2 : 0), visible ? 'n2 and n3 still visible' : 'neither n2 nor n3 to be visible any more',
            () => (seen.length ? `it sees ${seen.join(', ')}` : 'it sees nobody'));
          s.expect(d.canBePrimary() === visible, `canBePrimary() to be ${visible}`, () => `it is ${!visible}`);
        }
      },
    },
    {
      id: 'isolated-node-cannot-become-primary',
      title: 'A node that has heard nothing for longer than the timeout cannot become primary',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (n1-n3), heartbeat timeout 30 s');
        const { clock, d } = lonely(ctx, s);
        advance(s, clock, 45_000, 'n1 attempts an election');
        const result = d.attemptPrimaryElection(() => false);
        s.expect(result === 'insufficient_nodes_visible' && !d.isPrimary, 'n1 to answer "insufficient_nodes_visible" and stay a non-primary',
          () => `it answered "${result}"${d.isPrimary ? ' and is now primary' : ''}`);
      },
    },
    {
      // The program ignores a heartbeat from the node itself (broadcasts reach their sender too):
      // counted, the node would see itself twice and reach a quorum with one other node.
      id: 'own-heartbeat-not-counted',
      title: 'A node\'s own heartbeat coming back to it does not count as another visible node',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (db1-db5), a primary needs 3');
        const d = new ctx.impl.SplitBrainDetector('db1', 5, ctx.simClock());
        s.step('db1 receives a heartbeat from db2 and its own broadcast heartbeat; then it attempts an election');
        d.heartbeatReceived('db2');
        d.heartbeatReceived('db1');
        const seen = d.visibleNodes();
        s.expect(seen.join() === 'db2', 'db1 to see only db2', () => `it sees [${seen.join(', ')}]`);
        const result = d.attemptPrimaryElection(() => false);
        s.expect(result === 'insufficient_nodes_visible' && !d.isPrimary, 'db1 to answer "insufficient_nodes_visible": itself and db2 are 2 of 5',
          () => `it answered "${result}"${d.isPrimary ? ' and is now primary' : ''}`);
      },
    },
    {
      id: 'steady-heartbeats-keep-quorum',
      title: 'Heartbeats every 10 s keep a primary in place for as long as they keep coming',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (db1-db5), heartbeat timeout 30 s, heartbeats every 10 s, no failures');
        const c = cluster(ctx);
        c.beat();
        const result = c.byId('db1').attemptPrimaryElection(c.ask('db1'));
        s.step('t=0 s: db1 attempts an election');
        s.expect(result === 'became_primary', 'db1 to become primary', () => `it answered "${result}"`);
        for (let t = 10; t <= 300; t += 10) {
          c.clock.advanceSync(10_000);
          c.beat();
          for (const n of c.nodes) n.handleNetworkPartition();
          if (!c.byId('db1').isPrimary || c.byId('db1').visibleNodes().length !== 4) {
            s.step(`t=${t} s, after heartbeats`);
            s.fail('db1 to stay primary, seeing the 4 others', `db1 ${c.byId('db1').isPrimary ? 'is primary' : 'stepped down'}, seeing ${c.byId('db1').visibleNodes().join(', ') || 'nobody'}`);
          }
        }
      },
    },
    {
      id: 'one-primary-at-a-time',
      title: 'A node does not become primary while a node it sees says it is primary',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (db1-db5), all connected');
        const c = cluster(ctx);
        c.beat();
        s.step('db2 becomes primary; then db4 attempts an election');
        c.byId('db2').attemptPrimaryElection(c.ask('db2'));
        const result = c.byId('db4').attemptPrimaryElection(c.ask('db4'));
        s.expect(result === 'another_primary_exists' && !c.byId('db4').isPrimary, 'db4 to answer "another_primary_exists"', () => `it answered "${result}"`);
      },
    },
    {
      id: 'any-size-any-timeout',
      title: 'For other cluster sizes and timeouts, the quorum is a majority of the cluster and the timeout edge moves with the option',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.record({ n: fc.integer({ min: 2, max: 9 }), timeout: fc.constantFrom(1_000, 5_000, 12_345, 45_000) }), ({ n, timeout }) => {
          const quorum = Math.floor(n / 2) + 1;
          const s = ctx.scenario(`${n} nodes (n1-n${n}), heartbeatTimeoutMs ${timeout}`);
          const clock = ctx.simClock();
          const d = new ctx.impl.SplitBrainDetector('n1', n, clock, { heartbeatTimeoutMs: timeout });
          const others = Array.from({ length: n - 1 }, (_, i) => `n${i + 2}`);
          const heard = others.slice(0, quorum - 2);
          s.step(`t=0: n1 hears from ${heard.length ? heard.join(', ') : 'nobody'} (${heard.length + 1} of ${n} with itself; a majority is ${quorum})`);
          for (const o of heard) d.heartbeatReceived(o);
          s.expect(!d.canBePrimary(), 'canBePrimary() to be false: one short of a majority', 'it is true');
          const last = others[quorum - 2];
          if (last !== undefined) {
            s.step(`t=0: n1 hears from ${last} as well`);
            d.heartbeatReceived(last);
            s.expect(d.canBePrimary(), `canBePrimary() to be true: ${quorum} of ${n}`, 'it is false');
          }
          advance(s, clock, timeout, 'exactly the timeout after the heartbeats');
          s.expect(d.visibleNodes().length === quorum - 1, `n1 to still see ${quorum - 1} node(s)`, () => `it sees ${d.visibleNodes().join(', ') || 'nobody'}`);
          advance(s, clock, 1, 'one millisecond later');
          s.expect(d.visibleNodes().length === 0, 'n1 to see nobody', () => `it sees ${d.visibleNodes().join(', ')}`);
        }),
    },
    {
      id: 'random-partitions',
      title: 'Under random splits, heartbeats, clock jumps (including the timeout edge) and elections, every node sees exactly the nodes heard within the timeout',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
          const s = ctx.scenario('5 nodes (db1-db5), heartbeat timeout 30 000 ms, all connected at t=0');
          const c = cluster(ctx);
          const heard = NAMES.map(() => new Map<string, number>());
          for (const op of ops) {
            if (op.kind === 'beat') {
              s.step(`t=${secs(c.clock.now())}: every node sends heartbeats to the nodes it can reach`);
              c.beat();
              NAMES.forEach((to, i) => NAMES.forEach((from) => from !== to && c.reach(from, to) && heard[i]!.set(from, c.clock.now())));
            } else if (op.kind === 'advance') {
              advance(s, c.clock, op.ms);
            } else if (op.kind === 'split') {
              const groups = [0, 1].map((g) => NAMES.filter((_, i) => op.sides[i] === g)).filter((g) => g.length > 0);
              c.split(s, groups);
            } else if (op.kind === 'elect') {
              const id = NAMES[op.node]!;
              s.step(`${id} attempts an election`);
              c.byId(id).attemptPrimaryElection(c.ask(id));
            } else {
              s.step('every node calls handleNetworkPartition');
              for (const n of c.nodes) n.handleNetworkPartition();
            }
            const now = c.clock.now();
            NAMES.forEach((id, i) => {
              const want = [...heard[i]!].filter(([, at]) => now - at <= TIMEOUT).map(([n]) => n).sort();
              const got = c.byId(id).visibleNodes();
              s.expect(got.join() === want.join(), `${id} to see ${want.join(', ') || 'nobody'}`, () => `it sees ${got.join(', ') || 'nobody'}`);
              const can = c.byId(id).canBePrimary();
              s.expect(can === want.length + 1 >= 3, `${id}.canBePrimary() to be ${want.length + 1 >= 3}`, () => `it is ${can}`);
            });
          }
        }),
    },
  ],
});
