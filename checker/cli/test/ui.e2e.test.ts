import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const LEADER = 'exercises/consensus/leader-election.ts';

/**
 * `ui` opens @vitest/ui in a browser; what a test can hold without one is the vitest run behind it,
 * which reports on the terminal too: the failures point at the learner's file, and saving that
 * file re-runs the graders.
 */
describe('ui on a terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it("points failures at the learner's file, re-runs when the learner saves it, and stops on Ctrl-C", async () => {
    const term = wb.terminal(['ui', 'leader', '--seed', '5']);
    try {
      await term.waitFor('Watching for file changes', { timeoutMs: 90_000 });
      expect(term.screen()).toMatch(/Tests\s+\d+ failed/);
      expect(term.screen()).toContain(`❯ ${LEADER}:`);
      expect(term.screen()).not.toMatch(/❯ checker\/ui\/learner-graders\.ui\.ts:\d+/);

      const mark = term.screen().length;
      wb.write(LEADER, wb.read('solutions/consensus/leader-election.ts'));
      await term.waitFor(/Tests\s+\d+ passed \(\d+\)[\s\S]*Waiting for file changes/, { since: mark, timeoutMs: 90_000 });
      expect(term.screen().slice(mark)).not.toMatch(/Tests\s+\d+ failed/);

      term.type('\x03');
      expect(await exited(term)).toBe(130);
    } finally {
      term.type('\x03');
    }
  }, 240_000);
});
