import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuiz } from '../../core/quiz/index.ts';
import { challengeExercises, manifest } from '../../manifest/index.ts';
import { exited, createFixtureWorkbook, type FixtureWorkbook, type TerminalSession } from './fixture.ts';

const DOWN = '\x1b[B';
const UP = '\x1b[A';
const ENTER = '\r';
const CTRL_C = '\x03';
// The smallest terminal the menu promises to fit: every prompt, all its choices, no scrolling.
const SMALL = { columns: 80, rows: 24 };
const MAIN_ENTRIES = ['Pick an exercise', 'Read a guide', 'Debugging challenges', 'Quiz: predict, explain, decide', 'Review (', 'Scorecard and mastery gate', 'Journal: your answers, as a workbook', 'Quit'];
const CONSENSUS = manifest.modules.find((m) => m.id === 'consensus')!;

/** Waits for the prompt `message` to be drawn in full (its key help comes last), after `since`. */
async function prompt(term: TerminalSession, message: string, since: number): Promise<void> {
  await term.waitFor(new RegExp(`\\? ${message.replace(/[?()]/g, '\\$&')}[\\s\\S]*navigate`), { since, timeoutMs: 30_000 });
}

/** What the learner sees now, checked to hold the question and every one of `lines`. */
async function expectOnScreen(term: TerminalSession, message: string, lines: readonly (string | RegExp)[]): Promise<string> {
  const screen = (await term.visible()).join('\n');
  expect(screen, screen).toContain(`? ${message}`);
  for (const line of lines) expect(screen, `${String(line)} is not on the screen:\n${screen}`).toMatch(typeof line === 'string' ? new RegExp(line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : line);
  return screen;
}

/** The menu on an 80x24 (pseudo-)terminal, driven by keys as a learner would. */
describe('the menu on a terminal', () => {
  let wb: FixtureWorkbook;
  const progress = (): { exercises: Record<string, { hintsShown?: number; lastRun?: { pass: boolean } }>; challenges?: Record<string, { solvedAt?: string }> } =>
    JSON.parse(wb.read('workbook-progress.json'));
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('on a fresh workbook: every entry on screen, the nudge to predict, and first steps (no failures) on Continue', async () => {
    const term = wb.terminal([], {}, SMALL);
    try {
      await prompt(term, 'What next?', 0);
      const menu = await expectOnScreen(term, 'What next?', [...MAIN_ENTRIES, 'Continue: Leader election (Bully)']);
      expect(menu).toMatch(/Predict first: \d+ questions? before you start Leader election/);

      // Continue (the second entry) on an exercise never run: what to do first, not a wall of failures.
      const mark = term.screen().length;
      await term.press(DOWN, ENTER);
      await prompt(term, 'Start with', mark);
      const first = await expectOnScreen(term, 'Start with', ['What to do first', 'The guide', 'Watching the file', 'Back to the menu']);
      expect(first).toMatch(/Make your \d+ predictions? about it/);
      expect(term.screen().slice(mark)).not.toMatch(/✗|requirements met|Expected:/);
      await term.press(DOWN, DOWN, ENTER);
      await prompt(term, 'What next?', mark);

      term.type(CTRL_C);
      expect(await exited(term)).toBe(130);
    } finally {
      term.type(CTRL_C);
    }
  }, 120_000);

  it('shows pass/fail in the exercise and challenge pickers, one module at a time, and Ctrl-C keeps what was saved', async () => {
    // A real history: the stub fails, a copied solution passes, a challenge is fixed.
    expect((await wb.cli(['run', 'leader'])).code).toBe(1);
    wb.write('exercises/consensus/quorum.ts', wb.read('solutions/consensus/quorum.ts'));
    expect((await wb.cli(['run', 'quorum'])).code).toBe(0);
    wb.write('exercises/consensus/debugging/split-brain.ts', wb.read('solutions/consensus/debugging/split-brain.ts'));
    expect((await wb.cli(['challenge', '1', '--quiet'])).code).toBe(0);

    const term = wb.terminal([], {}, SMALL);
    try {
      await prompt(term, 'What next?', 0);
      await expectOnScreen(term, 'What next?', MAIN_ENTRIES);

      // Pick an exercise: the modules with their counts, then every exercise of one with its status.
      let mark = term.screen().length;
      await term.press(DOWN, ENTER);
      await prompt(term, 'Which module?', mark);
      await expectOnScreen(term, 'Which module?', [/Consensus patterns\s+2\/11 passing/, /Raft on a simulated network\s+0\/\d+ passing/, /State distribution\s+0\/\d+ passing/]);
      mark = term.screen().length;
      await term.press(ENTER);
      await prompt(term, 'Which one?', mark);
      await expectOnScreen(term, 'Which one?', [
        ...CONSENSUS.exercises.map((e) => e.title),
        /Leader election \(Bully\)\s+✗ \d+\/\d+/,
        /Quorum reads and writes\s+✓ passing/,
        /Raft: elections and log replication\s+· new/,
      ]);

      // Its actions: a hint, saved to the progress file.
      mark = term.screen().length;
      await term.press(ENTER);
      await prompt(term, 'consensus/leader-election', mark);
      await term.press(DOWN, DOWN, ENTER);
      await term.waitFor('Hint 1 of', { since: mark, timeoutMs: 30_000 });
      await prompt(term, 'What next?', mark);

      // The challenge picker: status beside each challenge.
      mark = term.screen().length;
      await term.press(DOWN, DOWN, DOWN, ENTER);
      await prompt(term, 'Which module?', mark);
      mark = term.screen().length;
      await term.press(ENTER);
      await prompt(term, 'Which one?', mark);
      await expectOnScreen(term, 'Which one?', [
        ...challengeExercises(manifest, 'consensus').map((e) => e.title),
        /Challenge 1: Split-brain in leader election\s+✓ passing/,
        /Challenge 2: Lost commits in Raft\s+· new/,
      ]);

      const sentAt = Date.now();
      term.type(CTRL_C);
      expect(await exited(term)).toBe(130);
      // Generous: "quickly" means no hanging, not a measured second on a loaded machine.
      expect(Date.now() - sentAt).toBeLessThan(5000);
      expect(term.screen()).not.toMatch(/\n\s+at /);
      const saved = progress();
      expect(saved.exercises['consensus/leader-election']!.hintsShown).toBe(1);
      expect(saved.exercises['consensus/leader-election']!.lastRun!.pass).toBe(false);
      expect(saved.exercises['consensus/quorum']!.lastRun!.pass).toBe(true);
    } finally {
      term.type(CTRL_C);
    }
  }, 240_000);

  it('offers the quiz by section and asks the section picked', async () => {
    const certification = loadQuiz(wb.root, 'consensus')!.items.filter((i) => i.section === 'certification');
    const sections = loadQuiz(wb.root, 'consensus')!.sections;
    const term = wb.terminal([], {}, SMALL);
    try {
      await prompt(term, 'What next?', 0);
      // The quiz is the fifth entry from the end, whatever the menu offers above it.
      let mark = term.screen().length;
      await term.press(...MAIN_ENTRIES.map(() => DOWN), DOWN, DOWN, UP, UP, UP, UP, ENTER);
      await prompt(term, 'Which module?', mark);
      mark = term.screen().length;
      await term.press(ENTER);
      await prompt(term, 'Which section?', mark);
      await expectOnScreen(term, 'Which section?', ['Everything waiting for me', ...sections.map((s) => `${s.title} (${s.itemIds.length})`)]);
      mark = term.screen().length;
      await term.press(...sections.map(() => DOWN), ENTER);
      await term.waitFor(`[${certification[0]!.id},`, { since: mark, timeoutMs: 30_000 });
      expect(term.screen().slice(mark)).toMatch(/1\/\d+ /);

      // Ctrl-C in the quiz leaves the menu as well, not back into it.
      mark = term.screen().length;
      term.type(CTRL_C);
      expect(await exited(term)).toBe(130);
      expect(term.screen().slice(mark)).toContain('Stopped.');
      expect(term.screen().slice(mark)).not.toContain('What next?');
    } finally {
      term.type(CTRL_C);
    }
  }, 120_000);
});
