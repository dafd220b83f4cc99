import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const LEADER = 'exercises/consensus/leader-election.ts';

/** `watch` as a learner uses it, on a real (pseudo-)terminal: keys, hints, the next exercise. */
describe('watch on a terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('shows its keys, gives the next hint on h, moves on with n after a pass, and quits on q', async () => {
    const stub = wb.read(LEADER);
    wb.write(LEADER, wb.read('solutions/consensus/leader-election.ts'));
    const term = wb.terminal(['watch', 'leader', '--poll']);
    try {
      await term.waitFor('Keys: h hint');
      expect(term.screen()).toContain('Passing.');
      expect(term.screen()).toContain('Press n for the next exercise: Raft: elections and log replication (consensus/raft).');

      let mark = term.screen().length;
      term.type('h');
      await term.waitFor('Hint 1 of', { since: mark });
      expect(JSON.parse(wb.read('workbook-progress.json')).exercises['consensus/leader-election'].hintsShown).toBe(1);

      mark = term.screen().length;
      term.type('n');
      await term.waitFor('Next: Raft: elections and log replication (consensus/raft)', { since: mark });
      await term.waitFor('Not passing yet.', { since: mark });
      expect(term.screen().slice(mark)).toContain('Watching exercises/consensus/raft.ts (polling).');

      term.type('q');
      expect(await term.exit).toBe(0);
      expect(term.screen()).toContain('Stopped watching.');
    } finally {
      wb.write(LEADER, stub);
    }
  }, 120_000);
});
