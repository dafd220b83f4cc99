import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const ENTER = '\r';
const CTRL_C = '\x03';
const SPLIT_BRAIN = 'consensus/debugging/split-brain';

/** A challenge's debugging notes, asked on a (pseudo-)terminal once the verdict is in. */
describe('challenge notes on a terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());
  const answers = (): Record<string, string> => JSON.parse(wb.read('workbook-progress.json')).challenges[SPLIT_BRAIN]?.answers ?? {};

  it('saves each note as it is typed, skips an empty one, keeps them through Ctrl-C, and asks only what is left next time', async () => {
    const term = wb.terminal(['challenge', '1', '--quiet']);
    try {
      await term.waitFor('Your debugging notes', { timeoutMs: 60_000 });
      await term.waitFor('q1. What is the first bug?');
      await term.press(...'a refused vote counts as a yes', ENTER);
      await term.waitFor('q2. What is the second bug?');
      expect(answers()).toEqual({ q1: 'a refused vote counts as a yes' });
      // An empty answer skips the question: nothing is saved for it.
      await term.press(ENTER);
      await term.waitFor('q3. With both bugs in place');
      const mark = term.screen().length;
      term.type(CTRL_C);
      expect(await exited(term)).toBe(130);
      expect(term.screen().slice(mark)).not.toMatch(/\n\s+at /);
      expect(answers()).toEqual({ q1: 'a refused vote counts as a yes' });
      // Unfixed, so the model answer stays hidden.
      expect(term.screen()).not.toContain('The model answer');

      const again = wb.terminal(['challenge', '1', '--quiet']);
      try {
        await again.waitFor('Your debugging notes', { timeoutMs: 60_000 });
        await again.waitFor('q2. What is the second bug?');
        expect(again.screen()).not.toContain('q1. What is the first bug?');
        again.type(CTRL_C);
        expect(await exited(again)).toBe(130);
      } finally {
        again.type(CTRL_C);
      }
    } finally {
      term.type(CTRL_C);
    }
  }, 180_000);
});
