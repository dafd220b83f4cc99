import { pathToFileURL } from 'node:url';
import type { ApplyMsg, RaftMessage } from '#workbook/raft-node';
import { systemClock } from '#workbook/clock';
import type { NodeEnv } from '#workbook/node-env';
import * as solution from '../../solutions/raft/raft-node.ts';
import { manifest } from '../manifest/index.ts';
import type { Grader } from '../engine/grader.ts';
import { makeContext, Scenario } from '../engine/grader.ts';
import { VERDICT_RUNS } from '../engine/grade-exercise.ts';
import { graderPath, solutionPath } from '../engine/targets.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { Simulation } from '../sim/sim.ts';
import { RELIABLE, UNRELIABLE } from '../sim/network.ts';
import { Cluster } from '../graders/raft/harness.ts';


/**
 * `npm run bench sim`: the simulator's figures.
 * - events per second and virtual seconds per wall second, bare and with the graders' monitor
 * - a full verdict per raft exercise, in-process (CPU and wall), with the number of schedules
 *   it ran next to ten times the labs' test count for that part
 * - one scenario on real timers against the same scenario simulated: the speed-up
 */

/** Test cases in the labs' Raft suite per part (3A-3D), times ten: the schedules a verdict should at least run. */
const LAB_TESTS: Record<string, number> = { 'raft/election': 3, 'raft/replication': 10, 'raft/persistence': 8, 'raft/snapshots': 7 };

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function throughput(): void {
  console.log('\nSimulator throughput: the reference Raft node, 5 nodes, unreliable network, 60 virtual s');
  for (const monitored of [false, true]) {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    let events = 0;
    if (monitored) {
      // As the graders run it: a write every 100 ms, snapshots every 50 commands, the safety monitor after every event.
      const c = new Cluster(makeContext(solution, 1, 1), new Scenario('bench'), { n: 5, seed: 1, network: UNRELIABLE, durable: true, snapshotEvery: 50, keepLog: false, recordSent: false });
      for (let i = 0; i < 600; i++) {
        c.sim.runFor(100);
        const leader = c.leaderAmong();
        if (leader !== undefined) c.request(leader, `w${i}`);
      }
      events = c.sim.eventCount;
    } else {
      // The simulator alone: elections, heartbeats, ticks; no client, no monitor.
      const sim = new Simulation<RaftMessage, ApplyMsg, solution.RaftNode>({ seed: 1, nodes: [1, 2, 3, 4, 5], network: UNRELIABLE, keepLog: false, createNode: (env) => new solution.RaftNode(env) });
      sim.runFor(60_000);
      events = sim.eventCount;
    }
    const ms = performance.now() - wall;
    const used = cpuMs(cpu);
    const label = monitored ? 'graded (writes, monitor)' : 'bare simulator';
    console.log(`  ${label.padEnd(26)} ${events} events in ${ms.toFixed(0)} ms wall (${used.toFixed(0)} ms CPU): ${Math.round(events / (used / 1000)).toLocaleString('en')} events/s, ${(60 / (used / 1000)).toFixed(0)} virtual s per CPU s`);
  }
}

async function verdicts(): Promise<void> {
  console.log(`\nFull verdict per raft exercise, in-process on the solution (runs ${VERDICT_RUNS}, as \`run\` uses; each randomised requirement caps its own)`);
  for (const entry of manifest.modules.find((m) => m.id === 'raft')?.exercises ?? []) {
    if (entry.kind !== 'pattern') continue;
    const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
    const impl = await import(pathToFileURL(solutionPath(WORKBOOK_ROOT, entry)).href);
    let schedules = 0;
    const wall = performance.now();
    const cpu = process.cpuUsage();
    for (const requirement of grader.requirements) {
      const ctx = makeContext(impl, 1, VERDICT_RUNS);
      // Count the schedules a randomised requirement really runs by watching its scenarios start.
      let scenarios = 0;
      const counting = { ...ctx, scenario: (setting: string) => { scenarios++; return ctx.scenario(setting); } };
      await requirement.check(counting);
      schedules += requirement.randomised ? scenarios : 1;
    }
    const want = (LAB_TESTS[entry.id] ?? 0) * 10;
    console.log(`  ${entry.id.padEnd(18)} ${(cpuMs(cpu) / 1000).toFixed(2)} s CPU, ${((performance.now() - wall) / 1000).toFixed(2)} s wall, ${schedules} schedules (labs' tests x 10 = ${want}${schedules >= want ? '' : ', SHORT'})`);
  }
}

/** Three reference nodes on real timers and a real-time network (1-5 ms delays): elect, then commit 20 commands one by one. */
async function realTimeScenario(): Promise<number> {
  const ids = [1, 2, 3];
  const nodes = new Map<number, solution.RaftNode>();
  const applied = new Map<number, number>(ids.map((id) => [id, 0]));
  const timers = new Set<NodeJS.Timeout | ReturnType<typeof setInterval>>();
  const clock = {
    ...systemClock,
    setTimeout: (cb: () => void, ms: number) => { const t = setTimeout(cb, ms); timers.add(t); return t; },
    setInterval: (cb: () => void, ms: number) => { const t = setInterval(cb, ms); timers.add(t); return t; },
  };
  for (const id of ids) {
    let saved: unknown;
    const env: NodeEnv<RaftMessage, ApplyMsg> = {
      id, peers: ids, clock, random: Math.random,
      send: (to, m) => { const copy = structuredClone(m); const t = setTimeout(() => nodes.get(to)!.receive(id, copy), 1 + Math.floor(Math.random() * 5)); timers.add(t); },
      persister: { save: (s) => { saved = structuredClone(s); }, readState: () => structuredClone(saved), readSnapshot: () => undefined },
      apply: (a) => { if (a.kind === 'command') applied.set(id, a.index); },
    };
    nodes.set(id, new solution.RaftNode(env));
  }
  const start = performance.now();
  const until = (done: () => boolean) => new Promise<void>((resolve) => { const poll = setInterval(() => { if (done()) { clearInterval(poll); resolve(); } }, 1); });
  const leader = () => ids.find((id) => nodes.get(id)!.inspect().role === 'leader');
  for (let i = 1; i <= 20; i++) {
    await until(() => leader() !== undefined);
    const reply = nodes.get(leader()!)!.handleClientRequest(`c${i}`);
    if (reply.ok) await until(() => ids.every((id) => applied.get(id)! >= reply.index));
  }
  const elapsed = performance.now() - start;
  for (const t of timers) clearTimeout(t);
  return elapsed;
}

function simulatedScenario(): { wallMs: number; cpuMs: number; virtualMs: number } {
  const applied = new Map<number, number>();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const sim = new Simulation<RaftMessage, ApplyMsg, solution.RaftNode>({
    seed: 1, nodes: [1, 2, 3], network: RELIABLE, keepLog: false, createNode: (env) => new solution.RaftNode(env),
    onApply: (id, a) => { if (a.kind === 'command') applied.set(id, a.index); },
  });
  const leader = () => sim.nodeIds.find((id) => sim.node(id)?.inspect().role === 'leader');
  for (let i = 1; i <= 20; i++) {
    sim.runUntil(() => leader() !== undefined, 10_000);
    const reply = sim.request(leader()!, 'c', (n) => n.handleClientRequest(`c${i}`));
    if (reply?.ok) sim.runUntil(() => sim.nodeIds.every((id) => (applied.get(id) ?? 0) >= reply.index), 10_000);
  }
  return { wallMs: performance.now() - start, cpuMs: cpuMs(cpu), virtualMs: sim.now };
}

async function speedUp(): Promise<void> {
  console.log('\nWall-clock mode: 3 reference nodes elect a leader and commit 20 commands one by one');
  const real = await realTimeScenario();
  simulatedScenario(); // warm-up: the real run had no JIT advantage to give away, the simulated one should not pay for compiling
  const sims = [simulatedScenario(), simulatedScenario(), simulatedScenario()].sort((a, b) => a.wallMs - b.wallMs);
  const sim = sims[1]!;
  console.log(`  on real timers          ${real.toFixed(0)} ms`);
  console.log(`  simulated               ${sim.wallMs.toFixed(1)} ms wall, ${sim.cpuMs.toFixed(1)} ms CPU, for ${sim.virtualMs} virtual ms (median of 3)`);
  console.log(`  speed-up                ${(real / sim.wallMs).toFixed(0)}x by wall time, ${(real / sim.cpuMs).toFixed(0)}x by CPU time (the two differ when other processes share the CPU)`);
}

export async function simulatorBench(): Promise<void> {
  throughput();
  await verdicts();
  await speedUp();
}
