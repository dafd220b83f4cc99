import fc from 'fast-check';
import type { NodeId } from '#workbook/raft-node';
import { PROFILES, timelineArbitrary, type FaultProfile, type TimelineStep } from '../../sim/network.ts';
import { checkSchedules, type Scenario } from '../../engine/grader.ts';
import { Cluster, ELECTION_LIMIT_MS, type Ctx } from './harness.ts';

/**
 * Random runs for the raft graders: a seed for the simulator (message delays, losses, election
 * timeouts) and a fault timeline, both drawn by fast-check from the run's seed, so a failing run
 * shrinks to fewer, later, smaller faults and replays exactly.
 */
export interface RandomRun {
  readonly simSeed: number;
  readonly profile: FaultProfile;
  readonly timeline: readonly TimelineStep[];
  /** A client submits a command to the leader every this many ms (0: never). */
  readonly writeEveryMs: number;
}

export function randomRuns(
  n: number,
  profiles: readonly FaultProfile['name'][],
  options: { durationMs: number; writes: boolean },
): fc.Arbitrary<RandomRun> {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return fc.constantFrom(...profiles).chain((name) =>
    fc.record({
      simSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      profile: fc.constant(PROFILES[name]),
      timeline: timelineArbitrary(PROFILES[name], ids, { startMs: 200, endMs: options.durationMs, minGapMs: 150 }),
      writeEveryMs: options.writes ? fc.integer({ min: 50, max: 300 }) : fc.constant(0),
    }),
  );
}

export interface RandomRunOptions {
  readonly n: number;
  readonly durationMs: number;
  readonly durable?: boolean;
  readonly snapshotEvery?: number;
  /** After the faults: heal, restart everyone, and demand a leader and a new commit everywhere. */
  readonly checkLiveness: boolean;
  /** With liveness: also demand that a new command commits on every node (not for elections alone). */
  readonly agreement?: boolean;
  /** How many random runs at most (the engine's `runs` may lower it). */
  readonly maxRuns: number;
}

/** Plays one random run: faults on a timeline, client writes to whoever leads, safety after every event. */
export function playRandomRun(ctx: Ctx, run: RandomRun, options: RandomRunOptions): Cluster {
  const s = ctx.scenario(`${options.n} nodes (1-${options.n}) on a${run.profile.name === 'unreliable' || run.profile.name === 'churn' ? 'n unreliable' : ' reliable'} network (simulator seed ${run.simSeed}; ${run.profile.name} profile)`);
  const c = new Cluster(ctx, s, { n: options.n, seed: run.simSeed, network: run.profile.network, durable: options.durable, snapshotEvery: options.snapshotEvery, recordSent: false });
  c.describe(run.timeline);
  c.schedule(run.timeline);
  if (run.writeEveryMs > 0) s.step(`every ${run.writeEveryMs} ms, a client submits the next command ("w1", "w2", ...) to any node that says it leads`);
  let written = 0;
  while (c.now < options.durationMs) {
    c.sim.runFor(run.writeEveryMs || options.durationMs);
    if (run.writeEveryMs > 0) {
      const leader = c.ids.find((id) => c.view(id)?.role === 'leader' && !c.sim.isPaused(id));
      if (leader !== undefined) c.request(leader, `w${++written}`);
    }
  }
  if (!options.checkLiveness) return c;
  const minority = c.ids.slice(c.ids.length - Math.floor((c.ids.length - 1) / 2));
  s.step(`at ${c.now} ms, every node restarts or resumes, the network becomes reliable and heals, except that nodes ${minority.join(' and ')} stay cut off`);
  c.sim.heal();
  c.sim.setNetwork(PROFILES.reliable.network);
  for (const id of c.ids) {
    if (!c.sim.isUp(id)) c.sim.restart(id);
    c.sim.resume(id);
  }
  for (const id of minority) c.disconnect(id);
  // Liveness: a connected majority makes progress on its own...
  c.waitForLeader(ELECTION_LIMIT_MS);
  if (options.agreement) c.one('majority', c.ids.length - minority.length, 5000);
  // ...and once everyone is back, the whole cluster does.
  for (const id of minority) c.connect(id);
  c.waitForLeader(ELECTION_LIMIT_MS);
  if (!options.agreement) return c;
  const index = c.one('final', options.n, 5000);
  // Everything the final command's index covers is now the same everywhere.
  for (const id of c.ids) {
    const mine = c.appliedBy(id).slice(0, index);
    const first = c.appliedBy(c.ids[0]!).slice(0, index);
    s.expect(mine.length >= index && mine.every((cmd, i) => cmd === first[i] || first[i] === undefined), `node ${id} to have applied the same ${index} commands as node ${c.ids[0]}`, () => `node ${id} applied ${mine.length}: [${mine.slice(-5).join(', ')}]`);
  }
  return c;
}

export function checkRandomRuns(ctx: Ctx, profiles: readonly FaultProfile['name'][], options: RandomRunOptions & { writes: boolean }): Promise<void> {
  return checkSchedules(ctx, randomRuns(options.n, profiles, options), (run) => recordingFailure(() => { playRandomRun(ctx, run, options); }), { runs: simulatedRuns(ctx, options.maxRuns) });
}

/**
 * How many simulated runs a randomised requirement makes: a simulated run costs what hundreds of
 * the consensus module's direct-call schedules cost, so the engine's `runs` (500 for a verdict,
 * 200 for the self-check's proofs, N for `--runs N`) is divided by ten, and capped by the
 * requirement's own figure (chosen so a verdict runs ten times the labs' test count per part).
 */
export function simulatedRuns(ctx: Ctx, max: number): number {
  return Math.max(1, Math.min(max, Math.ceil(ctx.runs / 10)));
}

/** Runs one random run; if it fails, remembers its cluster (fast-check's last failure is the shrunk one). */
export function recordingFailure(play: () => void): void {
  Cluster.latest = undefined;
  try {
    play();
  } catch (error) {
    Cluster.lastFailed = Cluster.latest;
    throw error;
  }
}

export type { NodeId, Scenario };
