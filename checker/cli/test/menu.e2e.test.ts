import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const DOWN = '\x1b[B';
const ENTER = '\r';

/** The menu on a real (pseudo-)terminal, driven by keys as a learner would. */
describe('the menu on a terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('shows every entry, nudges predictions, starts a fresh exercise with first steps, and labels pickers with status', async () => {
    const term = wb.terminal([]);
    try {
      await term.waitFor('What next?', { timeoutMs: 20_000 });
      await term.waitFor('Quit');
      const first = term.screen();
      expect(first).toMatch(/Predict first: \d+ questions? before you start Leader election/);
      expect(first).not.toMatch(/reveal more choices/i);

      // Continue (the second entry) on an exercise never run: what to do first, not a wall of failures.
      let mark = term.screen().length;
      await term.press(DOWN, ENTER);
      await term.waitFor('What to do first', { since: mark, timeoutMs: 20_000 });
      await term.waitFor('Back to the menu', { since: mark, timeoutMs: 20_000 });
      expect(term.screen().slice(mark)).not.toMatch(/✗/);
      mark = term.screen().length;
      await term.press(DOWN, DOWN, ENTER);
      await term.waitFor('What next?', { since: mark, timeoutMs: 20_000 });

      // Pick an exercise: every exercise with where the learner stands.
      mark = term.screen().length;
      await term.press(DOWN, DOWN, ENTER);
      await term.waitFor('Which one?', { since: mark, timeoutMs: 20_000 });
      await term.waitFor('Incident', { since: mark, timeoutMs: 20_000 });
      expect(term.screen().slice(mark)).toMatch(/Raft: elections and log replication\s+· new/);

      term.type('\x03');
      expect(await term.exit).toBe(130);
    } finally {
      term.type('\x03');
    }
  }, 120_000);
});
