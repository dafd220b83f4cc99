import { describe, expect, it } from 'vitest';
import * as solution from '../../../solutions/raft/raft-node.ts';
import { Scenario, isScenarioFailure, makeContext } from '../../engine/grader.ts';
import { formatEvent } from '../../sim/events.ts';
import { UNRELIABLE } from '../../sim/network.ts';
import { Cluster } from './harness.ts';

/** The reference Raft node on the simulator: runs replay exactly from their seed. */
function run(seed: number): Cluster {
  const c = new Cluster(makeContext(solution, seed, 1), new Scenario('5 nodes'), { n: 5, seed, network: UNRELIABLE, durable: true, snapshotEvery: 5 });
  c.schedule([
    { at: 400, fault: { kind: 'partition', groups: [[1, 2], [3, 4, 5]] } },
    { at: 900, fault: { kind: 'crash', node: 3 } },
    { at: 1200, fault: { kind: 'heal' } },
    { at: 1300, fault: { kind: 'restart', node: 3 } },
  ]);
  for (let i = 1; i <= 12; i++) {
    c.sim.runFor(120);
    const leader = c.leaderAmong();
    if (leader !== undefined) c.request(leader, `w${i}`);
  }
  c.sim.runFor(1000);
  return c;
}

describe('Raft on the simulator', () => {
  it('the same seed gives the same full event log, down to every message and apply', () => {
    const a = run(77).sim.log.map(formatEvent);
    expect(a.length).toBeGreaterThan(1000);
    expect(a.some((line) => line.includes(' apply '))).toBe(true);
    expect(run(77).sim.log.map(formatEvent)).toEqual(a);
  });

  it('a different seed gives a different run', () => {
    expect(run(78).sim.log.map(formatEvent)).not.toEqual(run(77).sim.log.map(formatEvent));
  });

  it('logs each node\'s term, role and commit index when they change, and links every delivery to its send', () => {
    const { log } = run(79).sim;
    expect(log.some((e) => e.kind === 'state' && e.role === 'leader')).toBe(true);
    const sent = new Set(log.filter((e) => e.kind === 'send' || e.kind === 'duplicate').map((e) => (e as { msgId: number }).msgId));
    for (const e of log) if (e.kind === 'deliver' && !e.injected) expect(sent.has(e.msgId)).toBe(true);
  });

  it('the safety monitor fails the scenario when two nodes apply different commands at one index', () => {
    const c = run(80);
    let caught: unknown;
    try {
      c.monitor.checkApply(1, { kind: 'command', index: 1, term: 99, command: 'forged' }, 99, () => 99);
    } catch (error) {
      caught = error;
    }
    expect(isScenarioFailure(caught)).toBe(true);
    expect((caught as Error).message).toContain('state machine safety');
  });
});

describe('the failing run, kept for traces', () => {
  it('after a random requirement fails, failingRunLog is the event log of the shrunk failing run', async () => {
    const { makeContext } = await import('../../engine/grader.ts');
    const { checkRandomRuns } = await import('./schedules.ts');
    const broken = { RaftNode: class extends solution.RaftNode { override inspect() { const v = super.inspect(); return { ...v, role: 'leader' as const }; } } };
    Cluster.forget();
    let caught: unknown;
    try {
      await checkRandomRuns(makeContext(broken as never, 5, 10), ['unreliable'], { n: 3, durationMs: 500, writes: false, checkLiveness: false, maxRuns: 10 });
    } catch (error) {
      caught = error;
    }
    expect(isScenarioFailure(caught)).toBe(true);
    const log = Cluster.failingRunLog();
    expect(log && log.length).toBeGreaterThan(0);
    expect(log!.some((e) => e.kind === 'state' && e.role === 'leader')).toBe(true);
  });
});
