import fc from 'fast-check';
import type * as Impl from '../../../solutions/consensus/quorum.ts';
import { checkSchedules, defineGrader, type GradeContext, type Scenario } from '../../engine/grader.ts';
import { createSimClock } from '../../engine/sim-clock.ts';

type Module = typeof Impl;
type Cluster = Impl.QuorumConsensus;
type Config = readonly [numNodes: number, rf: number, r: number, w: number];

const describeConfig = ([n, rf, r, w]: Config) => `${n} nodes (1-${n}), RF = ${rf}, R = ${r}, W = ${w}`;

function build(ctx: GradeContext<Module>, [n, rf, r, w]: Config): Cluster {
  return new ctx.impl.QuorumConsensus(n, rf, r, w, { clock: ctx.simClock() });
}

function showValue(v: Impl.VersionedValue | null | undefined): string {
  if (!v) return 'nothing';
  return `"${v.value}" (counter ${v.version?.counter}, timestamp ${v.version?.timestamp})`;
}

/** The key's home replicas, checked to be RF distinct node ids. */
function homesOf(s: Scenario, q: Cluster, key: string, [n, rf]: Config): number[] {
  const homes = q.homeReplicas(key);
  const ok =
    Array.isArray(homes) &&
    homes.length === rf &&
    new Set(homes).size === rf &&
    homes.every((id) => Number.isInteger(id) && id >= 1 && id <= n);
  s.expect(ok, `homeReplicas("${key}") to list ${rf} different node ids between 1 and ${n}`, () => `it returned ${JSON.stringify(homes)}`);
  return [...homes];
}

function expectHolds(s: Scenario, q: Cluster, node: number, key: string, value: string | null, why: string): void {
  const held = q.getReplicaValue(node, key);
  s.expect((held?.value ?? null) === value, `node ${node} to hold ${value === null ? 'nothing' : `"${value}"`} for "${key}" (${why})`, () => `it holds ${showValue(held)}`);
}

/**
 * The Challenge 6 setting on a 3-node cluster (RF 3, R 2, W 2): `newer` holds "v2" from a write
 * that reached only it, `stale` still holds "v1", `down` is failed. Only the stale and newer
 * replicas can answer, so the read must use both replies.
 */
function staleAndNewer(ctx: GradeContext<Module>, position: number) {
  const config: Config = [3, 3, 2, 2];
  const s = ctx.scenario(describeConfig(config) + '; all nodes up');
  const q = build(ctx, config);
  const homes = homesOf(s, q, 'k', config);
  const [newer, stale, down] = [homes[position % 3]!, homes[(position + 1) % 3]!, homes[(position + 2) % 3]!];
  s.step(`homeReplicas("k") = [${homes.join(', ')}]`);
  s.step('write("k", "v1")');
  s.expect(q.write('k', 'v1'), 'the write to be acknowledged (all 3 home replicas are up)', 'write returned false');
  s.step(`node ${stale} and node ${down} fail; write("k", "v2") reaches only node ${newer}`);
  q.simulateFailure(stale);
  q.simulateFailure(down);
  s.expect(!q.write('k', 'v2'), 'the write to return false (1 ack, W = 2)', 'write returned true');
  s.step(`node ${stale} recovers`);
  q.simulateRecovery(stale);
  expectHolds(s, q, newer, 'k', 'v2', 'it stored the write before the quorum failed; nothing is rolled back');
  expectHolds(s, q, stale, 'k', 'v1', 'a write that fails leaves no hints, so nothing is handed over');
  return { s, q, newer, stale, down };
}

const configs: readonly Config[] = [
  [3, 3, 2, 2],
  [5, 3, 2, 2],
  [4, 3, 2, 2],
  [5, 3, 1, 3],
  [5, 3, 3, 1],
  [5, 5, 3, 3],
  // An even replication factor (R + W = 5 > 4, but neither is a majority alone) and RF = 1.
  [5, 4, 2, 3],
  [5, 4, 3, 2],
  [4, 1, 1, 1],
];
const keys = ['a', 'b', 'c'] as const;

type Step =
  | { readonly op: 'write'; readonly key: string }
  | { readonly op: 'read'; readonly key: string }
  | { readonly op: 'fail'; readonly node: number }
  | { readonly op: 'recover'; readonly node: number };

const keyArb = fc.constantFrom(...keys);
const nodeArb = fc.integer({ min: 1, max: 5 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('write' as const), key: keyArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('read' as const), key: keyArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('fail' as const), node: nodeArb }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('recover' as const), node: nodeArb }), weight: 2 },
);
const scheduleArb = fc.record({
  config: fc.integer({ min: 0, max: configs.length - 1 }),
  steps: fc.array(stepArb, { maxLength: 25 }),
});

export default defineGrader<Module>({
  requiredExports: ['QuorumConsensus'],
  requirements: [
    {
      id: 'flags-weak-quorums',
      title: 'R + W <= N (N = replication factor) is reported as not strongly consistent, with a warning; an impossible configuration throws',
      kind: 'behaviour',
      check: (ctx) => {
        const bad: readonly Config[] = [[3, 4, 2, 2], [3, 0, 1, 1], [5, 3, 0, 2], [5, 3, 4, 2], [5, 3, 2, 0], [5, 3, 2, 4]];
        const t = ctx.scenario('QuorumConsensus built with impossible numbers');
        for (const config of bad) {
          t.step(`new QuorumConsensus(${config.join(', ')})`);
          let threw = false;
          try {
            build(ctx, config);
          } catch (error) {
            threw = error instanceof Error;
          }
          t.expect(threw, 'it to throw: RF must be 1..numNodes, and R and W 1..RF', 'it was built');
        }
        const cases: readonly (readonly [Config, boolean])[] = [
          [[3, 3, 2, 2], true], [[3, 3, 1, 2], false], [[3, 3, 2, 1], false], [[5, 3, 2, 2], true],
          [[5, 3, 1, 1], false], [[5, 5, 2, 3], false], [[5, 3, 1, 3], true], [[5, 3, 3, 1], true],
        ];
        for (const [config, strong] of cases) {
          const [, rf, r, w] = config;
          const s = ctx.scenario(describeConfig(config));
          const q = build(ctx, config);
          s.step('isStronglyConsistent() and getWarnings() are called');
          s.expectEqual(q.isStronglyConsistent(), strong, `isStronglyConsistent() (R + W = ${r + w}, N = ${rf})`);
          const warnings = q.getWarnings();
          s.expect(
            strong ? warnings.length === 0 : warnings.length > 0,
            strong ? 'no warning, since R + W > N' : 'a warning that reads may be stale, since R + W <= N',
            () => `getWarnings() returned ${JSON.stringify(warnings)}`,
          );
        }
      },
    },
    {
      id: 'versions-ordered',
      title: 'A version orders by its counter, and only equal counters fall back to the timestamp, which comes from the injected clock',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('compareVersions(a, b) and a write on a cluster whose clock is at t=1234');
        const cmp = ctx.impl.compareVersions;
        const cases: readonly [Impl.Version, Impl.Version, number, string][] = [
          [{ counter: 2, timestamp: 0 }, { counter: 1, timestamp: 900 }, 1, 'a higher counter is newer, whatever the timestamps'],
          [{ counter: 3, timestamp: 5 }, { counter: 3, timestamp: 2 }, 1, 'equal counters: the later timestamp is newer'],
          [{ counter: 3, timestamp: 2 }, { counter: 3, timestamp: 5 }, -1, 'equal counters: the earlier timestamp is older'],
          [{ counter: 3, timestamp: 5 }, { counter: 3, timestamp: 5 }, 0, 'the same version'],
        ];
        for (const [a, b, sign, why] of cases) {
          s.step(`compareVersions(${JSON.stringify(a)}, ${JSON.stringify(b)})`);
          const got = cmp(a, b);
          s.expect(Math.sign(got) === sign, `a ${sign > 0 ? 'positive' : sign < 0 ? 'negative' : 'zero'} result: ${why}`, `it returned ${got}`);
        }
        const config: Config = [3, 3, 2, 2];
        const clock = ctx.simClock();
        const q = new ctx.impl.QuorumConsensus(...config, { clock });
        clock.advanceSync(1234);
        s.step('the clock moves to t=1234; write("k", "v1")');
        q.write('k', 'v1');
        const held = q.getReplicaValue(q.homeReplicas('k')[0]!, 'k');
        s.expectEqual(held?.version?.timestamp, 1234, "the stored version's timestamp (the injected clock's now)");
      },
    },
    {
      id: 'stable-home-replicas',
      title: 'Each key has a fixed set of home replicas that does not change when nodes fail, and only they store it',
      kind: 'safety',
      check: (ctx) => {
        const config: Config = [5, 3, 2, 2];
        const s = ctx.scenario(describeConfig(config) + '; all nodes up');
        const q = build(ctx, config);
        const twin = build(ctx, config);
        const placements = new Set(['user:1', 'user:2', 'user:3', 'user:4', 'user:5', 'user:6'].map((key) => q.homeReplicas(key).join(',')));
        s.expect(placements.size > 1, 'the six keys not all to share the same home replicas (the hash spreads keys over the ring)', () => `every key lives on [${[...placements][0]}]`);
        for (const key of ['user:1', 'user:2', 'user:3', 'user:4', 'user:5', 'user:6']) {
          const homes = homesOf(s, q, key, config);
          s.step(`homeReplicas("${key}") = [${homes.join(', ')}]`);
          s.expectEqual(twin.homeReplicas(key), homes, `homeReplicas("${key}") on a second, identical cluster`);
          const other = [1, 2, 3, 4, 5].find((id) => !homes.includes(id))!;
          for (const failed of [homes[0]!, other]) {
            s.step(`node ${failed} fails`);
            q.simulateFailure(failed);
            s.expectEqual(q.homeReplicas(key), homes, `homeReplicas("${key}") with node ${failed} down`);
            if (failed === homes[0]) {
              s.step(`write("${key}", "x")`);
              s.expect(q.write(key, 'x'), 'the write to succeed (2 of 3 home replicas up, W = 2)', 'write returned false');
              for (let id = 1; id <= 5; id++) {
                if (!homes.includes(id)) expectHolds(s, q, id, key, null, 'it is not a home replica; a hint is not a copy');
              }
            }
            s.step(`node ${failed} recovers`);
            q.simulateRecovery(failed);
          }
        }
      },
    },
    {
      id: 'write-needs-w-home-acks',
      title: 'A write succeeds only when W home replicas stored it; hints and other nodes do not count',
      kind: 'safety',
      check: (ctx) => {
        for (const config of [[5, 3, 2, 2], [5, 3, 1, 3]] as const) {
          const w = config[3];
          const s = ctx.scenario(describeConfig(config) + '; all nodes up');
          const q = build(ctx, config);
          const homes = homesOf(s, q, 'k', config);
          s.step(`homeReplicas("k") = [${homes.join(', ')}]`);
          const failing = homes.slice(0, 3 - w + 1);
          s.step(`node${failing.length > 1 ? 's' : ''} ${failing.join(' and ')} fail${failing.length > 1 ? '' : 's'}; the other nodes stay up`);
          for (const id of failing) q.simulateFailure(id);
          s.step('write("k", "v1")');
          s.expect(!q.write('k', 'v1'), `the write to return false: only ${3 - failing.length} home replica(s) can ack and W = ${w}`, 'write returned true');
        }
      },
    },
    {
      id: 'read-needs-r-responses',
      title: 'A read needs R replies from home replicas; a replica without the key still counts as a reply',
      kind: 'safety',
      check: (ctx) => {
        const config: Config = [5, 3, 2, 2];
        const s = ctx.scenario(describeConfig(config) + '; all nodes up');
        const q = build(ctx, config);
        const homes = homesOf(s, q, 'k', config);
        s.step(`homeReplicas("k") = [${homes.join(', ')}]; write("k", "v1")`);
        s.expect(q.write('k', 'v1'), 'the write to succeed', 'write returned false');
        s.step(`nodes ${homes[1]} and ${homes[2]} fail; read("k")`);
        q.simulateFailure(homes[1]!);
        q.simulateFailure(homes[2]!);
        const lonely = q.read('k');
        s.expect(lonely === null, 'read to return null: only 1 home replica can reply and R = 2', () => `it returned ${showValue(lonely)}`);

        const { s: s2, q: q2, newer, stale } = staleAndNewerEmpty(ctx);
        s2.step(`read("k"): node ${newer} replies "v1", node ${stale} replies with nothing`);
        const got = q2.read('k');
        s2.expect(got?.value === 'v1', 'read to return "v1": 2 replies (an empty one counts) meet R = 2', () => `it returned ${showValue(got)}`);
      },
    },
    {
      id: 'read-returns-newest',
      title: 'A read returns the newest version among the replies, not the first reply (Challenge 6)',
      kind: 'safety',
      check: (ctx) => {
        for (let position = 0; position < 3; position++) {
          const { s, q, newer, stale } = staleAndNewer(ctx, position);
          s.step(`read("k"): node ${stale} replies "v1", node ${newer} replies "v2"`);
          const got = q.read('k');
          s.expect(got?.value === 'v2', 'read to return "v2", the newer of the two replies', () => `it returned ${showValue(got)}`);
        }
      },
    },
    {
      id: 'read-repair',
      title: 'A read writes the newest version back to the replicas that replied with an older one or nothing',
      kind: 'behaviour',
      check: (ctx) => {
        for (const position of [1, 2]) {
          // position 1: the stale replica replies after the newer one; position 2: before it.
          const { s, q, newer, stale, down } = staleAndNewer(ctx, position);
          s.step(`read("k"): node ${stale} and node ${newer} reply, ${position === 2 ? 'the stale one first' : 'the stale one last'}`);
          q.read('k');
          expectHolds(s, q, stale, 'k', 'v2', 'read repair sends the newest value to the stale replica, whatever order the replies came in');
          expectHolds(s, q, down, 'k', 'v1', 'it is down: a down replica receives nothing, not even a repair');
        }
        for (let stalePos = 0; stalePos < 5; stalePos++) {
          const config: Config = [5, 5, 3, 3];
          const t = ctx.scenario(describeConfig(config) + '; all nodes up');
          const r = build(ctx, config);
          const homes = homesOf(t, r, 'k', config);
          const stale = homes[stalePos]!;
          const others = homes.filter((id) => id !== stale);
          t.step(`homeReplicas("k") = [${homes.join(', ')}]; write("k", "v1") reaches all five`);
          t.expect(r.write('k', 'v1'), 'the write to succeed', 'write returned false');
          t.step(`nodes ${stale}, ${others[0]} and ${others[1]} fail; write("k", "v2") reaches only nodes ${others[2]} and ${others[3]} (fails: 2 acks, W = 3); they recover`);
          [stale, others[0]!, others[1]!].forEach((id) => r.simulateFailure(id));
          t.expect(!r.write('k', 'v2'), 'the write to fail', 'write returned true');
          [stale, others[0]!, others[1]!].forEach((id) => r.simulateRecovery(id));
          t.step(`node ${others[0]} fails; read("k"): reply ${stalePos + 1} of the four comes from the stale node ${stale}`);
          r.simulateFailure(others[0]!);
          const got = r.read('k');
          t.expect(got?.value === 'v2', 'read to return "v2"', () => `it returned ${showValue(got)}`);
          for (const id of [stale, others[1]!]) expectHolds(t, r, id, 'k', 'v2', 'read repair reaches every replica that replied with "v1"');
          expectHolds(t, r, others[0]!, 'k', 'v1', 'it is down: a down replica receives nothing');
        }
        const { s, q, newer, stale, down } = staleAndNewer(ctx, 0);
        s.step(`read("k"): node ${stale} replies "v1", node ${newer} replies "v2"`);
        q.read('k');
        expectHolds(s, q, stale, 'k', 'v2', 'read repair sends the newest value to the stale replica');
        s.step(`node ${down} recovers with "v1": now nodes ${newer} and ${stale} hold "v2" (the Challenge 6 state); read("k")`);
        q.simulateRecovery(down);
        const got = q.read('k');
        s.expect(got?.value === 'v2', 'read to return "v2": any 2 replies include a "v2"', () => `it returned ${showValue(got)}`);

        const { s: s2, q: q2, stale: empty } = staleAndNewerEmpty(ctx);
        s2.step('read("k")');
        q2.read('k');
        expectHolds(s2, q2, empty, 'k', 'v1', 'read repair also fills a replica that replied with nothing');
      },
    },
    {
      id: 'hinted-handoff',
      title: 'A write that misses a failed home replica is handed to it when it recovers',
      kind: 'safety',
      check: (ctx) => {
        const config: Config = [5, 3, 2, 2];
        const s = ctx.scenario(describeConfig(config) + '; all nodes up');
        const q = build(ctx, config);
        const homes = homesOf(s, q, 'k', config);
        s.step(`homeReplicas("k") = [${homes.join(', ')}]; write("k", "v1")`);
        s.expect(q.write('k', 'v1'), 'the write to succeed', 'write returned false');
        s.step(`node ${homes[0]} fails; write("k", "v2"); write("k", "v3")`);
        q.simulateFailure(homes[0]!);
        s.expect(q.write('k', 'v2') && q.write('k', 'v3'), 'both writes to succeed (2 of 3 home replicas up)', 'a write returned false');
        s.step(`node ${homes[0]} recovers`);
        q.simulateRecovery(homes[0]!);
        expectHolds(s, q, homes[0]!, 'k', 'v3', 'the hints for it are replayed on recovery');
        s.step(`node ${homes[1]} fails; read("k")`);
        q.simulateFailure(homes[1]!);
        const got = q.read('k');
        s.expect(got?.value === 'v3', 'read to return "v3"', () => `it returned ${showValue(got)}`);
      },
    },
    {
      id: 'hint-bookkeeping',
      title: 'A hint is queued only for each home replica that missed a successful write, and disappears once delivered',
      kind: 'behaviour',
      check: (ctx) => {
        const config: Config = [5, 3, 2, 2];
        const s = ctx.scenario(describeConfig(config) + '; all nodes up');
        const q = build(ctx, config);
        const homes = homesOf(s, q, 'k', config);
        const pending = (id: number): number => q.getStatus().nodes.find((n) => n.id === id)?.pendingHints ?? -1;
        const pendingAll = (): string => q.getStatus().nodes.map((n) => `node ${n.id}: ${n.pendingHints}`).join(', ');
        s.step(`homeReplicas("k") = [${homes.join(', ')}]; write("k", "v1") reaches all three`);
        q.write('k', 'v1');
        s.expect(q.getStatus().nodes.every((n) => n.pendingHints === 0), 'no hints: nobody missed the write', pendingAll);
        s.step(`node ${homes[0]} fails; write("k", "v2"); write("k", "v3")`);
        q.simulateFailure(homes[0]!);
        q.write('k', 'v2');
        q.write('k', 'v3');
        s.expectEqual(pending(homes[0]!), 2, `pendingHints of node ${homes[0]} (it missed two writes)`);
        for (const id of [1, 2, 3, 4, 5].filter((x) => x !== homes[0])) {
          s.expectEqual(pending(id), 0, `pendingHints of node ${id} (${homes.includes(id) ? 'it stored both writes' : 'it is not a home replica of "k"'})`);
        }
        s.step(`node ${homes[1]} fails too; write("k", "v4") gets 1 ack (W = 2) and fails`);
        q.simulateFailure(homes[1]!);
        q.write('k', 'v4');
        s.expectEqual([pending(homes[0]!), pending(homes[1]!)], [2, 0], `[pendingHints of node ${homes[0]}, of node ${homes[1]}] (a failed write leaves no hints)`);
        s.step(`node ${homes[0]} recovers`);
        q.simulateRecovery(homes[0]!);
        s.expectEqual(pending(homes[0]!), 0, `pendingHints of node ${homes[0]} once its hints were delivered`);
        s.step(`node ${homes[0]} fails and recovers again`);
        const before = q.getMessageCount();
        q.simulateFailure(homes[0]!);
        q.simulateRecovery(homes[0]!);
        s.expectEqual(q.getMessageCount() - before, 0, 'the messages sent (no hints are left to deliver twice)');
      },
    },
    {
      id: 'message-count',
      title: 'Messages are counted as the guide says: one per request to a replica (up or down) and one per reply; 2 per repair and per hint delivery',
      kind: 'behaviour',
      check: (ctx) => {
        for (const config of [[5, 3, 2, 2], [7, 5, 3, 3]] as const) {
          const [, rf] = config;
          const s = ctx.scenario(describeConfig(config) + '; all nodes up');
          const q = build(ctx, config);
          const homes = homesOf(s, q, 'k', config);
          let last = q.getMessageCount();
          const expectSent = (want: number, what: string): void => {
            const now = q.getMessageCount();
            s.expectEqual(now - last, want, `the messages ${what}`);
            last = now;
          };
          s.expectEqual(last, 0, 'getMessageCount() before any request');
          s.step(`write("k", "v1") to the ${rf} home replicas, all up`);
          q.write('k', 'v1');
          expectSent(2 * rf, `of the write (${rf} requests, ${rf} acks)`);
          s.step('read("k"): every replica holds "v1"');
          q.read('k');
          expectSent(2 * rf, `of the read (${rf} requests, ${rf} replies, nothing to repair)`);
          s.step(`node ${homes[0]} fails; write("k", "v2")`);
          q.simulateFailure(homes[0]!);
          q.write('k', 'v2');
          expectSent(2 * rf - 1, `of the write (${rf} requests, ${rf - 1} acks: the down replica never answers)`);
          s.step(`read("k")`);
          q.read('k');
          expectSent(2 * rf - 1, `of the read (${rf} requests, ${rf - 1} replies)`);
          s.step(`node ${homes[0]} recovers: its one hint is delivered`);
          q.simulateRecovery(homes[0]!);
          expectSent(2, 'of the hint delivery (the write and its ack)');
          s.step(`nodes ${homes[1]} and ${homes[2]} fail; write("k", "v3") gets ${rf - 2} ack(s)`);
          q.simulateFailure(homes[1]!);
          q.simulateFailure(homes[2]!);
          const ok = q.write('k', 'v3');
          expectSent(2 * rf - 2, `of the write (${rf} requests, ${rf - 2} acks)`);
          s.step(`nodes ${homes[1]} and ${homes[2]} recover${ok ? ' (2 hints delivered)' : ''}; read("k")`);
          q.simulateRecovery(homes[1]!);
          q.simulateRecovery(homes[2]!);
          expectSent(ok ? 4 : 0, ok ? 'of the two hint deliveries' : 'on recovery (the write failed: no hints)');
          q.read('k');
          expectSent(2 * rf + (ok ? 0 : 4), ok ? `of the read (${rf} requests, ${rf} replies, all up to date)` : `of the read (${rf} requests, ${rf} replies, 2 repairs of 2 messages)`);
        }
      },
    },
    {
      id: 'committed-writes-survive',
      title: 'Under random failures and recoveries (R + W > N), a write succeeds exactly when at least W home replicas are up, and every read returns the last successful write or a newer one',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, ({ config: index, steps }) => runSchedule(ctx, configs[index]!, steps)),
    },
    {
      id: 'available-with-quorum',
      title: 'With enough home replicas up, writes and reads succeed (all up, or exactly W / R up)',
      kind: 'liveness',
      check: (ctx) => {
        const config: Config = [5, 3, 2, 2];
        const s = ctx.scenario(describeConfig(config) + '; all nodes up');
        const q = build(ctx, config);
        const names = ['Alice', 'Bob', 'Charlie', 'Diana', 'Eve', 'Frank'];
        names.forEach((name, i) => {
          s.step(`write("user:${i + 1}", "${name}"); read("user:${i + 1}")`);
          s.expect(q.write(`user:${i + 1}`, name), 'the write to succeed', 'write returned false');
          const got = q.read(`user:${i + 1}`);
          s.expect(got?.value === name, `read to return "${name}"`, () => `it returned ${showValue(got)}`);
        });
        s.step('write("counter", "1"); write("counter", "2"); write("counter", "3") (the clock does not move); read("counter")');
        for (const v of ['1', '2', '3']) s.expect(q.write('counter', v), 'each write to succeed', 'write returned false');
        const counter = q.read('counter');
        s.expect(counter?.value === '3', 'read to return "3", the latest write', () => `it returned ${showValue(counter)}`);

        const exact: Config = [5, 5, 3, 3];
        const s2 = ctx.scenario(describeConfig(exact) + '; nodes 4 and 5 fail, so exactly 3 replicas are up');
        const q2 = build(ctx, exact);
        q2.simulateFailure(4);
        q2.simulateFailure(5);
        s2.step('write("k", "v1"); read("k")');
        s2.expect(q2.write('k', 'v1'), 'the write to succeed with exactly W = 3 acks', 'write returned false');
        const got = q2.read('k');
        s2.expect(got?.value === 'v1', 'read to return "v1" with exactly R = 3 replies', () => `it returned ${showValue(got)}`);
      },
    },
  ],
});

/** Like staleAndNewer, but the second replica holds nothing: the first write itself failed. */
function staleAndNewerEmpty(ctx: GradeContext<Module>) {
  const config: Config = [3, 3, 2, 2];
  const s = ctx.scenario(describeConfig(config) + '; all nodes up');
  const q = build(ctx, config);
  const homes = homesOf(s, q, 'k', config);
  const [newer, stale, down] = [homes[0]!, homes[1]!, homes[2]!];
  s.step(`homeReplicas("k") = [${homes.join(', ')}]; nodes ${stale} and ${down} fail`);
  q.simulateFailure(stale);
  q.simulateFailure(down);
  s.step(`write("k", "v1") reaches only node ${newer}; node ${stale} recovers`);
  s.expect(!q.write('k', 'v1'), 'the write to return false (1 ack, W = 2)', 'write returned true');
  q.simulateRecovery(stale);
  expectHolds(s, q, stale, 'k', null, 'a write that fails leaves no hints');
  return { s, q, newer, stale, down };
}

function runSchedule(ctx: GradeContext<Module>, config: Config, steps: readonly Step[]): void {
  const [n, , r, w] = config;
  const s = ctx.scenario(describeConfig(config) + '; all nodes up; the clock never moves');
  const q = build(ctx, config);
  const homes = new Map<string, number[]>(keys.map((key) => [key, homesOf(s, q, key, config)]));
  s.step(keys.map((key) => `homeReplicas("${key}") = [${homes.get(key)!.join(', ')}]`).join('; '));
  const up = new Set(Array.from({ length: n }, (_, i) => i + 1));
  const seqOf = new Map<string, number>(); // written value -> its write number
  const lastOk = new Map<string, number>(); // key -> write number of its last successful write
  let seq = 0;
  const liveHomes = (key: string) => homes.get(key)!.filter((id) => up.has(id)).length;
  const label = (key: string) => `"${key}${lastOk.get(key)}"`;

  for (const step of steps) {
    if (step.op === 'fail' || step.op === 'recover') {
      const node = ((step.node - 1) % n) + 1;
      s.step(`node ${node} ${step.op === 'fail' ? 'fails' : 'recovers'}`);
      if (step.op === 'fail') {
        q.simulateFailure(node);
        up.delete(node);
      } else {
        q.simulateRecovery(node);
        up.add(node);
      }
    } else if (step.op === 'write') {
      const value = `${step.key}${++seq}`;
      seqOf.set(value, seq);
      const live = liveHomes(step.key);
      s.step(`write("${step.key}", "${value}") with ${live} home replica(s) up`);
      const ok = q.write(step.key, value);
      s.expectEqual(ok, live >= w, `write's result (W = ${w})`);
      if (ok) lastOk.set(step.key, seq);
    } else {
      const live = liveHomes(step.key);
      s.step(`read("${step.key}") with ${live} home replica(s) up`);
      const got = q.read(step.key);
      if (live < r) {
        s.expect(got === null, `read to return null (R = ${r})`, () => `it returned ${showValue(got)}`);
      } else {
        const gotSeq = got && got.value.startsWith(step.key) ? seqOf.get(got.value) : undefined;
        const floor = lastOk.get(step.key);
        if (floor !== undefined) {
          s.expect(gotSeq !== undefined && gotSeq >= floor, `read to return the last successful write ${label(step.key)} or a newer one`, () => `it returned ${showValue(got)}`);
        } else {
          s.expect(got === null || gotSeq !== undefined, `read to return null or a value written to "${step.key}"`, () => `it returned ${showValue(got)}`);
        }
      }
    }
    // Invariants after every step (plain comparisons first: this loop runs thousands of times).
    for (const key of keys) {
      const expected = homes.get(key)!;
      const now = q.homeReplicas(key);
      if (now.length !== expected.length || now.some((id, i) => id !== expected[i])) {
        s.expectEqual(now, expected, `homeReplicas("${key}")`);
      }
      const floor = lastOk.get(key);
      if (floor === undefined) continue;
      for (const id of expected) {
        if (!up.has(id)) continue;
        const held = q.getReplicaValue(id, key);
        const heldSeq = held ? seqOf.get(held.value) : undefined;
        if (heldSeq !== undefined && heldSeq >= floor) continue;
        s.fail(`live home replica ${id} to hold ${label(key)} or newer (it acked it, or got it handed over on recovery)`, `it holds ${showValue(held)}`);
      }
    }
  }
}

export const complexity = {
  operation: 'one quorum write then one quorum read of the same key, as the cluster grows (RF = 3, R = W = 2 fixed)',
  measure: (impl: Module, n: number): number => {
    const q = new impl.QuorumConsensus(n, 3, 2, 2, { clock: createSimClock(0) });
    q.write('key', 'value');
    q.read('key');
    return q.getMessageCount();
  },
};
