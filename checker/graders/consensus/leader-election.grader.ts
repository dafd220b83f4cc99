import fc from 'fast-check';
import type * as Impl from '../../../solutions/consensus/leader-election.ts';
import { defineGrader, checkSchedules, type GradeContext, type Scenario, handOver } from '../../engine/grader.ts';
import { createSimClock, type SimClock } from '../../engine/sim-clock.ts';

type Module = typeof Impl;
type Election = InstanceType<Module['LeaderElection']>;

const TIMEOUT = 1000;
const FIVE = [1, 2, 3, 4, 5] as const;

function cluster(ctx: GradeContext<Module>, ids: readonly number[] = FIVE): { clock: SimClock; le: Election } {
  const clock = ctx.simClock();
  return { clock, le: new ctx.impl.LeaderElection(handOver(ids), TIMEOUT, { clock }) };
}

const list = (ids: readonly number[]): string => ids.join(', ');

/** Every live node believes in `leader`, which is the only live node in the LEADER state. */
function expectAgreement(s: Scenario, le: Election, live: readonly number[], leader: number): void {
  s.expectEqual(le.getLeader(), leader, 'getLeader()');
  const leaders = live.filter((id) => le.getNodeState(id) === 'LEADER');
  s.expectEqual(leaders, [leader], 'the live nodes in state LEADER');
  for (const id of live) s.expectEqual(le.getLeaderSeenBy(id), leader, `the leader node ${id} believes in`);
}

export default defineGrader<Module>({
  requiredExports: ['LeaderElection', 'NodeState'],
  requirements: [
    {
      id: 'highest-live-id-wins',
      title: 'Whoever starts the election, the live node with the highest id becomes leader',
      kind: 'behaviour',
      check: (ctx) => {
        const ids = [17, 3, 42, 8, 11];
        for (const starter of ids) {
          const s = ctx.scenario(`5 nodes with ids ${list(ids)}, all up, heartbeat timeout ${TIMEOUT} ms`);
          const { le } = cluster(ctx, ids);
          s.step(`node ${starter} calls startElection`);
          le.startElection(starter);
          s.expectEqual(le.getLeader(), 42, 'the leader');
          s.expectEqual(le.getNodeState(42), 'LEADER', 'the state of node 42');
          for (const id of ids.filter((i) => i !== 42)) s.expectEqual(le.getNodeState(id), 'FOLLOWER', `the state of node ${id}`);
          le.shutdown();
        }
        for (const starter of [3, 8, 11, 17]) {
          const s = ctx.scenario(`5 nodes with ids ${list(ids)}, heartbeat timeout ${TIMEOUT} ms`);
          const { le } = cluster(ctx, ids);
          s.step('node 42 crashes (simulateFailure(42))');
          le.simulateFailure(42);
          s.step(`node ${starter} calls startElection`);
          le.startElection(starter);
          s.expectEqual(le.getLeader(), 17, 'the leader (42 is down, so 17 is the highest live id)');
          le.shutdown();
        }
      },
    },
    {
      id: 'election-completes',
      title: 'An election started by a live node always ends with a leader',
      kind: 'liveness',
      check: (ctx) => {
        for (const starter of FIVE) {
          const s = ctx.scenario(`5 nodes (1-5), all up, heartbeat timeout ${TIMEOUT} ms`);
          const { le } = cluster(ctx);
          s.step(`node ${starter} calls startElection`);
          le.startElection(starter);
          s.expect(le.getLeader() !== -1, 'a leader once the election returns', 'getLeader() returned -1: nobody declared victory');
          le.shutdown();
        }
      },
    },
    {
      id: 'all-nodes-agree',
      title: 'After an election every live node follows the same leader, and only that node is LEADER',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), all up, heartbeat timeout ${TIMEOUT} ms`);
        const { clock, le } = cluster(ctx);
        s.step('node 2 calls startElection');
        le.startElection(2);
        expectAgreement(s, le, FIVE, 5);
        s.step('node 5 crashes');
        le.simulateFailure(5);
        s.step(`${TIMEOUT + 1} ms pass, then node 3 calls checkLeaderHealth`);
        clock.advanceSync(TIMEOUT + 1);
        le.checkLeaderHealth(3);
        expectAgreement(s, le, [1, 2, 3, 4], 4);
        s.step('node 5 recovers (simulateRecovery(5)) and bullies its way back');
        le.simulateRecovery(5);
        expectAgreement(s, le, FIVE, 5);
        le.shutdown();
      },
    },
    {
      id: 'no-early-failover',
      title: 'Followers do not replace a crashed leader before the heartbeat timeout has passed',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms`);
        const { clock, le } = cluster(ctx);
        s.step('node 1 calls startElection (node 5 wins)');
        le.startElection(1);
        s.step(`${TIMEOUT} ms pass (heartbeats keep flowing)`);
        clock.advanceSync(TIMEOUT);
        s.step('node 5 crashes right after a heartbeat');
        le.simulateFailure(5);
        const before = le.getMessageCount();
        s.step(`${TIMEOUT - 1} ms pass, then nodes 1-4 each call checkLeaderHealth`);
        clock.advanceSync(TIMEOUT - 1);
        for (const id of [1, 2, 3, 4]) le.checkLeaderHealth(id);
        s.expectEqual(le.getLeader(), -1, 'getLeader() (no new leader yet: the timeout has not passed)');
        for (const id of [1, 2, 3, 4]) {
          s.expectEqual(le.getNodeState(id), 'FOLLOWER', `the state of node ${id}`);
          s.expectEqual(le.getLeaderSeenBy(id), 5, `the leader node ${id} believes in`);
        }
        s.expectEqual(le.getMessageCount() - before, 0, 'the messages sent since the crash (no election yet)');
        s.step(`1 ms more: exactly ${TIMEOUT} ms of silence (t=${clock.now() + 1}); nodes 1-4 each call checkLeaderHealth`);
        clock.advanceSync(1);
        for (const id of [1, 2, 3, 4]) le.checkLeaderHealth(id);
        s.expectEqual(le.getLeader(), -1, `getLeader() (silence of exactly the timeout is tolerated: only MORE than ${TIMEOUT} ms means failure)`);
        s.expectEqual(le.getMessageCount() - before, 0, 'the messages sent since the crash (no election yet)');
        le.shutdown();
      },
    },
    {
      id: 'dead-leader-replaced',
      title: 'Once the heartbeat timeout has passed, a follower that checks elects a new leader',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms`);
        const { clock, le } = cluster(ctx);
        s.step('node 1 calls startElection (node 5 wins)');
        le.startElection(1);
        s.step(`${TIMEOUT} ms pass, then node 5 crashes`);
        clock.advanceSync(TIMEOUT);
        le.simulateFailure(5);
        s.step(`${TIMEOUT + 1} ms pass, then node 1 calls checkLeaderHealth`);
        clock.advanceSync(TIMEOUT + 1);
        le.checkLeaderHealth(1);
        expectAgreement(s, le, [1, 2, 3, 4], 4);
        s.step('node 4 crashes too');
        le.simulateFailure(4);
        s.step(`${2 * TIMEOUT} ms pass, then node 2 calls checkLeaderHealth`);
        clock.advanceSync(2 * TIMEOUT);
        le.checkLeaderHealth(2);
        expectAgreement(s, le, [1, 2, 3], 3);
        le.shutdown();
      },
    },
    {
      id: 'failed-node-never-leads',
      title: 'A crashed node is never elected, and a crashed node cannot start an election',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms`);
        const { le } = cluster(ctx);
        s.expectEqual(le.getLeaderSeenBy(5), -1, 'the leader node 5 believes in before any election');
        s.step('node 5 crashes before any election');
        le.simulateFailure(5);
        s.step('node 1 calls startElection');
        le.startElection(1);
        expectAgreement(s, le, [1, 2, 3, 4], 4);
        s.expectEqual(le.getLeaderSeenBy(5), -1, "the leader the crashed node 5 believes in (a crashed node receives nothing, not even node 4's VICTORY)");
        s.step('node 4 calls simulateRecovery(4), though it is up');
        const sent = le.getMessageCount();
        le.simulateRecovery(4);
        s.expectEqual(le.getMessageCount() - sent, 0, 'the messages sent (a node that is up does not recover)');

        const t = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms, no leader yet`);
        const fresh = cluster(ctx);
        t.step('node 2 crashes, then node 2 calls startElection');
        fresh.le.simulateFailure(2);
        fresh.le.startElection(2);
        t.expectEqual(fresh.le.getLeader(), -1, 'getLeader() (a crashed node cannot run an election)');
        t.expectEqual(fresh.le.getMessageCount(), 0, 'the messages sent');
        t.step(`${2 * TIMEOUT} ms pass, then node 2 (still down) calls checkLeaderHealth`);
        fresh.clock.advanceSync(2 * TIMEOUT);
        fresh.le.checkLeaderHealth(2);
        t.expectEqual(fresh.le.getLeader(), -1, 'getLeader()');
        t.expectEqual(fresh.le.getMessageCount(), 0, 'the messages sent');
        le.shutdown();
        fresh.le.shutdown();
      },
    },
    {
      id: 'recovered-higher-id-takes-over',
      title: 'A recovered node with a higher id than the leader takes over; a recovered lower node follows',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms`);
        const { le } = cluster(ctx);
        s.step('node 5 crashes, node 1 calls startElection (node 4 wins)');
        le.simulateFailure(5);
        le.startElection(1);
        s.step('node 5 recovers (simulateRecovery(5))');
        le.simulateRecovery(5);
        s.expectEqual(le.getLeader(), 5, 'the leader after node 5 is back');
        s.expectEqual(le.getNodeState(4), 'FOLLOWER', 'the state of node 4 (it must step down)');
        expectAgreement(s, le, FIVE, 5);
        s.step('node 2 crashes, then recovers');
        le.simulateFailure(2);
        le.simulateRecovery(2);
        expectAgreement(s, le, FIVE, 5);
        le.shutdown();
      },
    },
    {
      id: 'heartbeats-keep-leader',
      title: 'While the leader is up, its heartbeats stop followers from starting elections',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms`);
        const { clock, le } = cluster(ctx);
        s.step('node 1 calls startElection (node 5 wins)');
        le.startElection(1);
        s.expectEqual(le.getLeader(), 5, 'the leader after the election');
        s.step('node 1, a follower, crashes (the leader keeps beating)');
        le.simulateFailure(1);
        s.step(`for ${12 * TIMEOUT} ms, every 300 ms, nodes 2-4 each call checkLeaderHealth`);
        for (let elapsed = 300; elapsed <= 12 * TIMEOUT; elapsed += 300) {
          clock.advanceSync(300);
          const before = le.getMessageCount();
          for (const id of [2, 3, 4]) le.checkLeaderHealth(id);
          const sent = le.getMessageCount() - before;
          s.expect(
            sent === 0 && le.getLeader() === 5,
            `no election while node 5 is up (checkLeaderHealth sends nothing, node 5 stays leader)`,
            () => {
              const leader = le.getLeader();
              const who = leader === 5 ? 'node 5 is still leader' : `the leader is ${leader === -1 ? 'nobody (-1)' : `node ${leader}`}`;
              return `at ${elapsed} ms the health checks sent ${sent} message(s) and ${who}, although node 5 is up and its heartbeats reach every follower`;
            },
          );
        }
        le.shutdown();
      },
    },
    {
      id: 'shutdown-stops-timers',
      title: 'shutdown() leaves no timer running',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms`);
        const { clock, le } = cluster(ctx);
        s.step('node 1 calls startElection, 1500 ms pass');
        le.startElection(1);
        clock.advanceSync(1500);
        s.step('node 5 crashes; 1001 ms later node 1 checks and node 4 wins; node 5 recovers and wins');
        le.simulateFailure(5);
        clock.advanceSync(TIMEOUT + 1);
        le.checkLeaderHealth(1);
        le.simulateRecovery(5);
        clock.advanceSync(700);
        s.step('shutdown()');
        le.shutdown();
        s.expectEqual(clock.pendingTimers(), 0, 'the timers still scheduled on the clock');
      },
    },
    {
      id: 'election-message-cost',
      title: 'Messages are counted exactly as the guide does: from the lowest id N(N-1)/2 ELECTIONs, as many ANSWERs and N-1 VICTORYs; from the highest only N-1; each heartbeat round N-1',
      kind: 'behaviour',
      check: (ctx) => {
        const ids = Array.from({ length: 12 }, (_, i) => i + 1);
        const s = ctx.scenario('12 nodes (1-12), all up; messages = election, answer, victory and heartbeat messages');
        const { clock, le } = cluster(ctx, ids);
        s.step('node 1 calls startElection (no time passes): the worst case');
        le.startElection(1);
        s.expectEqual(le.getMessageCount(), 66 + 66 + 11, 'getMessageCount(): 66 ELECTION (11 + 10 + ... + 1), 66 ANSWER and 11 VICTORY messages');
        s.step(`${TIMEOUT / 2} ms pass: node 12 sends one heartbeat round`);
        clock.advanceSync(TIMEOUT / 2);
        s.expectEqual(le.getMessageCount(), 143 + 11, 'getMessageCount(): one heartbeat to each of the 11 other nodes');
        s.step(`${TIMEOUT} ms more: two more heartbeat rounds`);
        clock.advanceSync(TIMEOUT);
        s.expectEqual(le.getMessageCount(), 154 + 22, 'getMessageCount()');
        le.shutdown();

        const t = ctx.scenario('12 nodes (1-12), all up');
        const best = cluster(ctx, ids);
        t.step('node 12 calls startElection: the best case, nobody is above it');
        best.le.startElection(12);
        t.expectEqual(best.le.getMessageCount(), 11, 'getMessageCount(): no ELECTION, 11 VICTORY messages');
        best.le.shutdown();

        const u = ctx.scenario('12 nodes (1-12); node 12 is down');
        const failover = cluster(ctx, ids);
        failover.le.simulateFailure(12);
        u.step('node 11 calls startElection');
        failover.le.startElection(11);
        u.expectEqual(failover.le.getMessageCount(), 1 + 11, 'getMessageCount(): 1 ELECTION to node 12 (no ANSWER: it is down) and 11 VICTORY messages (to every other node)');
        failover.le.shutdown();
      },
    },
    {
      id: 'leader-own-health-check',
      title: "The leader's own checkLeaderHealth does nothing, however long it has been",
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario(`5 nodes (1-5), heartbeat timeout ${TIMEOUT} ms; node 5 is down`);
        const { clock, le } = cluster(ctx);
        le.simulateFailure(5);
        s.step('node 1 calls startElection (node 4 wins)');
        le.startElection(1);
        s.step(`${3 * TIMEOUT} ms pass; the leader, node 4, calls checkLeaderHealth on itself`);
        clock.advanceSync(3 * TIMEOUT);
        const before = le.getMessageCount();
        le.checkLeaderHealth(4);
        s.expectEqual(le.getMessageCount() - before, 0, 'the messages sent by the check (the leader does not check on itself)');
        expectAgreement(s, le, [1, 2, 3, 4], 4);
        le.shutdown();
      },
    },
    {
      id: 'unknown-node-rejected',
      title: 'Using a node id that is not in the cluster, or a heartbeat timeout that is not positive, throws an error',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5)');
        const { le } = cluster(ctx);
        const calls: [string, () => unknown][] = [
          ['startElection(9)', () => le.startElection(9)],
          ['checkLeaderHealth(9)', () => le.checkLeaderHealth(9)],
          ['simulateFailure(9)', () => le.simulateFailure(9)],
          ['simulateRecovery(9)', () => le.simulateRecovery(9)],
          ['getNodeState(9)', () => le.getNodeState(9)],
          ['getLeaderSeenBy(9)', () => le.getLeaderSeenBy(9)],
        ];
        calls.push(['new LeaderElection([1, 2, 3], 0)', () => new ctx.impl.LeaderElection([1, 2, 3], 0, { clock: ctx.simClock() })]);
        for (const [name, call] of calls) {
          s.step(`call ${name}`);
          let threw = false;
          try {
            call();
          } catch (error) {
            threw = error instanceof Error;
          }
          s.expect(threw, `${name} to throw an Error (e.g. RangeError "unknown node 9")`, 'it returned normally');
        }
        le.shutdown();
      },
    },
    scheduleRequirement(),
  ],
});

type Step =
  | { readonly kind: 'fail' | 'recover' | 'elect' | 'check'; readonly node: number }
  | { readonly kind: 'advance'; readonly ms: number };

function describe(step: Step): string {
  switch (step.kind) {
    case 'fail': return `node ${step.node} crashes`;
    case 'recover': return `node ${step.node} recovers`;
    case 'elect': return `node ${step.node} calls startElection`;
    case 'check': return `node ${step.node} calls checkLeaderHealth`;
    case 'advance': return `${step.ms} ms pass`;
  }
}

/** Steps for a given heartbeat timeout: time moves by amounts around its half and its whole. */
function stepArb(timeout: number): fc.Arbitrary<Step> {
  const half = Math.floor(timeout / 2);
  return fc.oneof(
    fc.record({ kind: fc.constantFrom('fail' as const, 'recover' as const, 'elect' as const, 'check' as const), node: fc.constantFrom(...FIVE) }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1, half - 1, half, half + 1, timeout - 1, timeout, timeout + 1, 3 * half, 5 * half) }),
  );
}

/** The timeout varies, so code that hard-codes 1000 ms (or a 500 ms heartbeat) is caught. */
const scheduleArb = fc.constantFrom(TIMEOUT, 300, 701).chain((timeout) => fc.record({ timeout: fc.constant(timeout), steps: fc.array(stepArb(timeout), { maxLength: 25 }) }));

function scheduleRequirement() {
  return {
    id: 'random-schedules-one-leader',
    title: 'Under any mix of crashes, recoveries, elections and time, live nodes never follow two live leaders, and a finished election picks the highest live id',
    kind: 'safety' as const,
    randomised: true,
    check: (ctx: GradeContext<Module>) =>
      checkSchedules(ctx, scheduleArb, async ({ timeout, steps: schedule }) => {
        const s = ctx.scenario(`5 nodes (1-5), all up, heartbeat timeout ${timeout} ms, no leader yet`);
        const clock = createSimClock(0);
        const le = new ctx.impl.LeaderElection(handOver(FIVE), timeout, { clock });
        const alive = new Set<number>(FIVE);
        let noLeaderSince = 0; // when the cluster last had no live leader (0: never had one)
        try {
          for (const step of schedule) {
            s.step(describe(step));
            const leaderBefore = le.getLeader();
            const sentBefore = le.getMessageCount();
            let electionDone = false;
            switch (step.kind) {
              case 'advance':
                clock.advanceSync(step.ms);
                break;
              case 'fail':
                le.simulateFailure(step.node);
                alive.delete(step.node);
                break;
              case 'recover':
                electionDone = !alive.has(step.node);
                le.simulateRecovery(step.node);
                alive.add(step.node);
                break;
              case 'elect':
                electionDone = alive.has(step.node);
                le.startElection(step.node);
                if (!alive.has(step.node)) s.expectEqual(le.getMessageCount() - sentBefore, 0, 'the messages sent by a crashed node');
                break;
              case 'check': {
                le.checkLeaderHealth(step.node);
                if (!alive.has(step.node)) s.expectEqual(le.getMessageCount() - sentBefore, 0, 'the messages sent by a crashed node');
                if (alive.has(step.node) && leaderBefore === step.node) {
                  s.expectEqual(le.getMessageCount() - sentBefore, 0, `the messages sent (node ${step.node} is the leader: its own health check does nothing)`);
                }
                if (!alive.has(step.node) || leaderBefore === step.node) break;
                const silent = clock.now() - noLeaderSince;
                if (leaderBefore === -1 && silent > timeout) electionDone = true;
                if (leaderBefore === -1 && silent <= timeout / 2) {
                  s.expectEqual(le.getMessageCount() - sentBefore, 0, `the messages sent (no live leader for only ${silent} ms: too early to elect)`);
                }
                if (leaderBefore !== -1) {
                  s.expectEqual(le.getMessageCount() - sentBefore, 0, `the messages sent (node ${leaderBefore} is up and sending heartbeats)`);
                }
                break;
              }
            }
            const live = FIVE.filter((id) => alive.has(id));
            const highest = live.length > 0 ? Math.max(...live) : -1;
            const leaders = live.filter((id) => le.getNodeState(id) === 'LEADER');
            s.expect(leaders.length <= 1, 'at most one live node in state LEADER', () => `live leaders: ${list(leaders)}`);
            const believed = [...new Set(live.map((id) => le.getLeaderSeenBy(id)).filter((id) => alive.has(id)))];
            s.expect(believed.length <= 1, 'live nodes follow at most one live leader', () => `live nodes follow ${list(believed)}`);
            const leader = le.getLeader();
            if (electionDone) s.expectEqual(leader, highest, 'the leader once the election is over (the highest live id)');
            if (leader !== -1) {
              s.expectEqual(leader, highest, 'the leader (always the highest live id)');
              for (const id of live) s.expectEqual(le.getLeaderSeenBy(id), leader, `the leader node ${id} believes in`);
            }
            if (leader === -1 && leaderBefore !== -1) noLeaderSince = clock.now();
          }
        } finally {
          le.shutdown();
        }
      }),
  };
}

export const complexity = {
  operation: 'one election started by the lowest id',
  measure: (impl: Module, n: number): number => {
    const clock = createSimClock(0);
    const le = new impl.LeaderElection(Array.from({ length: n }, (_, i) => i + 1), TIMEOUT, { clock });
    le.startElection(1);
    const messages = le.getMessageCount();
    le.shutdown();
    return messages;
  },
};
