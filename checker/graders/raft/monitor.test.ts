import { describe, expect, it } from 'vitest';
import type { LogEntry, RaftView } from '#workbook/raft-node';
import { Scenario, isScenarioFailure } from '../../engine/grader.ts';
import { SafetyMonitor } from './monitor.ts';

const view = (log: LogEntry[], term = 3): RaftView => ({ term, role: 'follower', votedFor: null, commitIndex: 0, log, snapshotIndex: 0, snapshotTerm: 0 });

function failureOf(check: () => void): string {
  try {
    check();
  } catch (error) {
    if (isScenarioFailure(error)) return error.report.expected;
    throw error;
  }
  return 'no failure';
}

describe('the raft safety monitor re-checks only what changed, and misses nothing that did', () => {
  it('an entry that stayed the same is checked again when the entry before it changed (log matching)', () => {
    const monitor = new SafetyMonitor(new Scenario('one node'), false);
    monitor.checkNode(1, view([{ index: 1, term: 1, command: 'a' }, { index: 2, term: 2, command: 'b' }]), 0);
    const expected = failureOf(() => monitor.checkNode(1, view([{ index: 1, term: 3, command: 'x' }, { index: 2, term: 2, command: 'b' }]), 0));
    expect(expected).toBe('logs that agree at index 2 (term 2) to agree on everything before it (log matching)');
  });

  it('a node whose inspect hands out its live entries, and changes one in place, is still checked', () => {
    const monitor = new SafetyMonitor(new Scenario('two nodes'), false);
    const live: LogEntry[] = [{ index: 1, term: 1, command: 'a' }];
    monitor.checkNode(1, view(live), 0);
    (live[0] as { command: string }).command = 'z';
    const expected = failureOf(() => monitor.checkNode(1, view(live), 0));
    expect(expected).toBe('every log holding an entry at index 1 with term 1 to hold the same command (log matching)');
  });

  it('a log checked again unchanged passes, and a growing log is checked where it grew', () => {
    const monitor = new SafetyMonitor(new Scenario('two nodes'), false);
    const a = { index: 1, term: 1, command: 'a' };
    monitor.checkNode(1, view([a]), 0);
    monitor.checkNode(1, view([{ ...a }]), 0);
    monitor.checkNode(2, view([{ ...a }, { index: 2, term: 1, command: 'b' }]), 0);
    const expected = failureOf(() => monitor.checkNode(1, view([{ ...a }, { index: 2, term: 1, command: 'c' }]), 0));
    expect(expected).toBe('every log holding an entry at index 2 with term 1 to hold the same command (log matching)');
  });

  it("a node's commitIndex may not go down while it runs, and starts again from scratch after a restart (it is volatile)", () => {
    const monitor = new SafetyMonitor(new Scenario('one node'), true);
    const log = [{ index: 1, term: 1, command: 'a' }, { index: 2, term: 1, command: 'b' }];
    monitor.checkNode(1, { ...view(log), commitIndex: 2 }, 0);
    monitor.checkNode(1, { ...view(log), commitIndex: 0 }, 1);
    monitor.checkNode(1, { ...view(log), commitIndex: 2 }, 1);
    const expected = failureOf(() => monitor.checkNode(1, { ...view(log), commitIndex: 1 }, 1));
    expect(expected).toBe("node 1's commitIndex never to go down while it runs (what is committed stays committed)");
  });
});
