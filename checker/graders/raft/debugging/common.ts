import fc from 'fast-check';
import { checkSchedules, type GradeContext, type Requirement } from '../../../engine/grader.ts';
import { PROFILES, RELIABLE, describeTimeline, timelineArbitrary, type TimelineStep } from '../../../sim/network.ts';
import { startCluster, traced, type Cluster, type Mod } from './harness.ts';

/**
 * Requirements every Raft debugging challenge shares. The planted bugs differ, but a fix must keep
 * the whole node working: elect, commit, re-elect, and stay safe under lost, late, duplicated and
 * reordered messages, crashes, pauses and partitions. The liveness requirements are what reject a
 * "fix" that makes the bug go away by making the node do nothing.
 */

export const ELECTION_LIMIT_MS = 1000;
export const COMMIT_LIMIT_MS = 500;

/** A leader within the limit, or the scenario fails with every node's state. */
export function requireLeader(c: Cluster, s: ReturnType<GradeContext<Mod>['scenario']>, among?: readonly number[]): number {
  const leader = c.awaitLeader(ELECTION_LIMIT_MS, among);
  if (leader === undefined) {
    s.fail(`a leader${among ? ` among {${among.join(',')}}` : ''} within ${ELECTION_LIMIT_MS} ms`,
      `after ${ELECTION_LIMIT_MS} ms there is none: ${c.ids.map((id) => c.describe(id)).join('; ')}`);
  }
  return leader;
}

/** Writes `command` to the leader and waits until `nodes` (default: every running node) applied it. */
export function requireCommit(c: Cluster, s: ReturnType<GradeContext<Mod>['scenario']>, command: string, nodes?: readonly number[], limitMs = COMMIT_LIMIT_MS): void {
  const leader = c.leader();
  s.step(`a client writes ${JSON.stringify(command)} to the leader (node ${leader})`);
  const accepted = c.write(command);
  s.expect(accepted, `leader ${leader} to accept the write`, () => `it refused it: ${c.describe(leader!)}`);
  if (!c.awaitApplied(command, limitMs, nodes)) {
    const who = nodes ?? c.running();
    s.fail(`nodes {${who.join(',')}} to apply ${JSON.stringify(command)} within ${limitMs} ms`,
      `${who.filter((id) => !c.applied(id).includes(command)).map((id) => c.describe(id)).join('; ')}`);
  }
}

interface RandomSchedule {
  /** Seed of the simulation itself: which messages are lost, delayed, duplicated. */
  readonly simSeed: number;
  readonly timeline: TimelineStep[];
  readonly writes: number[];
}

const RANDOM_NODES = 5;
const RANDOM_END_MS = 2500;

/** Shrinking replays whole runs; a bounded number of attempts keeps a failing verdict within seconds. */
const MAX_SHRINKS = 30;

const schedules: fc.Arbitrary<RandomSchedule> = fc.limitShrink(fc.record({
  simSeed: fc.nat(),
  timeline: timelineArbitrary(PROFILES.churn, [1, 2, 3, 4, 5], { startMs: 300, endMs: RANDOM_END_MS, minGapMs: 150, maxFaults: 8 }),
  writes: fc.array(fc.integer({ min: 300, max: RANDOM_END_MS }), { maxLength: 8 }).map((w) => [...w].sort((a, b) => a - b)),
}), MAX_SHRINKS);

/** Random runs are long; a tenth of the run count keeps a verdict within seconds. */
const randomRuns = (ctx: GradeContext<Mod>): number => Math.max(8, Math.round(ctx.runs / 10));

function runRandom(ctx: GradeContext<Mod>, schedule: RandomSchedule, thenProgress: boolean): void {
  const s = ctx.scenario(`${RANDOM_NODES} nodes (1-${RANDOM_NODES}), simulation seed ${schedule.simSeed}, on an unreliable network: 10% of messages lost, delays up to 27 ms, some duplicated, some held back up to 200 ms`);
  for (const line of describeTimeline(schedule.timeline)) s.step(line);
  for (const at of schedule.writes) s.step(`at ${at} ms, a client writes to whichever node is leader`);
  const c = startCluster(ctx, s, { nodes: RANDOM_NODES, network: PROFILES.churn.network, seed: schedule.simSeed });
  traced(c, () => {
    c.sim.schedule(schedule.timeline);
    schedule.writes.forEach((at, i) => {
      c.sim.runFor(Math.max(0, at - c.sim.now));
      c.write(`w${i + 1}`);
    });
    c.sim.runFor(Math.max(0, RANDOM_END_MS + 200 - c.sim.now));
    if (!thenProgress) return;
    s.step(`at ${c.sim.now} ms the faults stop: the network heals and becomes reliable, every node is up and running`);
    c.sim.heal();
    c.sim.setNetwork(RELIABLE);
    for (const id of c.ids) {
      c.sim.restart(id);
      c.sim.resume(id);
    }
    for (let attempt = 1; attempt <= 4; attempt++) {
      const leader = requireLeader(c, s);
      c.write('final', leader);
      if (c.awaitApplied('final', 2 * COMMIT_LIMIT_MS, c.ids)) return;
    }
    s.fail(`a write to the leader to be applied on all ${RANDOM_NODES} nodes within ${ELECTION_LIMIT_MS + 2 * COMMIT_LIMIT_MS} ms of the faults stopping (4 tries)`,
      c.ids.map((id) => c.describe(id)).join('; '));
  });
}

/**
 * A late copy of an old AppendEntries must leave acknowledged entries in place. Shared because a
 * "fix" of several challenges (cut the log to what the request covered) breaks exactly this.
 */
export function lateAppendKeepsEntries(): Requirement<Mod> {
  return {
    id: 'late-append-keeps-acknowledged-entries',
    title: 'After two writes commit, a copy of the first AppendEntries delivered late still leaves every node holding both',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const leader = requireLeader(c, s);
        const term = c.sim.node(leader)!.currentTerm;
        requireCommit(c, s, 'a');
        requireCommit(c, s, 'b');
        c.sim.runFor(100);
        s.step(`every node holds [a, b] and the leader has committed both`);
        for (const follower of c.ids.filter((id) => id !== leader)) {
          s.step(`the first AppendEntries of term ${term} carrying "a" (prevLogIndex 0, entries [a], leaderCommit 0), held up in the network, reaches node ${follower}`);
          c.sim.inject(leader, follower, { type: 'AppendEntries', term, leaderId: leader, prevLogIndex: 0, prevLogTerm: 0, entries: [{ term, command: 'a' }], leaderCommit: 0 });
        }
        c.sim.runFor(20);
        for (const id of c.ids) {
          s.expect(c.sim.node(id)!.log.length >= 2, `node ${id} to still hold [a, b]`, () => c.describe(id));
        }
      });
    },
  };
}

export function commonRequirements(): Requirement<Mod>[] {
  return [
    {
      id: 'elects-a-stable-leader',
      title: 'On a reliable network, 5 nodes elect a leader within 1 s, and it stays leader of the same term for the next second',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all followers in term 0, on a reliable network (delays 1-5 ms, nothing lost)');
        const c = startCluster(ctx, s, { nodes: 5 });
        traced(c, () => {
          const leader = requireLeader(c, s);
          const term = c.sim.node(leader)!.currentTerm;
          s.step(`node ${leader} leads term ${term}; 1000 ms pass with nothing going wrong`);
          c.sim.runFor(1000);
          const now = c.leader();
          s.expect(now === leader && c.sim.node(leader)!.currentTerm === term, `node ${leader} to still lead term ${term}: its heartbeats every 50 ms keep every follower's timer from running out`,
            () => `${now === undefined ? 'there is no leader' : `node ${now} leads term ${c.sim.node(now)!.currentTerm}`}: ${c.ids.map((id) => c.describe(id)).join('; ')}`);
        });
      },
    },
    {
      id: 'commits-writes-in-order',
      title: 'Three writes to the leader are applied by every node, once each and in order, within 500 ms each',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          requireLeader(c, s);
          for (const command of ['a', 'b', 'c']) requireCommit(c, s, command);
        });
      },
    },
    {
      id: 're-elects-after-leader-crash',
      title: 'After the leader crashes, the others elect a new leader within 1 s and commit; the old leader restarts and catches up',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3) on a reliable network');
        const c = startCluster(ctx, s, { nodes: 3 });
        traced(c, () => {
          const first = requireLeader(c, s);
          requireCommit(c, s, 'a');
          requireCommit(c, s, 'b');
          s.step(`node ${first} (the leader) crashes`);
          c.sim.crash(first);
          const others = c.ids.filter((id) => id !== first);
          requireLeader(c, s, others);
          requireCommit(c, s, 'c', others);
          s.step(`node ${first} restarts`);
          c.sim.restart(first);
          if (!c.awaitApplied('c', ELECTION_LIMIT_MS, c.ids)) {
            s.fail(`node ${first} to catch up and apply "a", "b", "c" within ${ELECTION_LIMIT_MS} ms`, c.describe(first));
          }
        });
      },
    },
    {
      id: 'random-faults-stay-safe',
      title: 'Under random crashes, restarts, pauses, partitions and an unreliable network, every safety property holds after every event',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, schedules, (schedule) => runRandom(ctx, schedule, false), { runs: randomRuns(ctx) }),
    },
    {
      id: 'random-faults-then-progress',
      title: 'After random faults stop, the cluster elects a leader and commits a write on every node within 2 s',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, schedules, (schedule) => runRandom(ctx, schedule, true), { runs: randomRuns(ctx) }),
    },
  ];
}
