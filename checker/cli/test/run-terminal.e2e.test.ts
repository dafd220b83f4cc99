import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const LEADER = 'exercises/consensus/leader-election.ts';
// The leader-election grader's first requirement: the first to call startElection.
const FIRST_REQUIREMENT = 'Whoever starts the election, the live node with the highest id becomes leader';

/** `run` on a (pseudo-)terminal while a learner's file loops forever. */
describe('run on a terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('says which requirement is running, and Ctrl-C stops it promptly with exit 130', async () => {
    const stub = wb.read(LEADER);
    wb.write(LEADER, stub.replace(/startElection\(nodeId: number\): void \{/, 'startElection(nodeId: number): void {\n    for (;;) {}'));
    const term = wb.terminal(['run', 'leader', '--seed', '3']);
    try {
      // Stuck in the first requirement (its guard is 10 s): the progress line names it meanwhile.
      await term.waitFor(`checking: ${FIRST_REQUIREMENT}`, { timeoutMs: 30_000 });
      const sentAt = Date.now();
      term.type('\x03');
      expect(await exited(term)).toBe(130);
      // Generous: "within a second" is measured by hand, not asserted on a loaded machine.
      expect(Date.now() - sentAt).toBeLessThan(5000);
      expect(term.screen()).not.toMatch(/\n\s+at /);
    } finally {
      term.type('\x03');
      wb.write(LEADER, stub);
    }
  }, 120_000);
});
