import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const ENTER = '\r';

/** The quiz on a (pseudo-)terminal: written predictions stay blind, skipping is allowed, Enter alone rates nothing. */
describe('quiz on a terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());
  const progress = (): { quiz: Record<string, { history: { outcome: string }[] }> } => JSON.parse(wb.read('workbook-progress.json'));

  it('saves a written prediction unrated and without showing the model answer, and lets an empty answer skip', async () => {
    const term = wb.terminal(['quiz', '--item', 's3-why,s3-risks', '--before']);
    await term.waitFor('Your answer (one paragraph; leave empty to skip)');
    await term.press(...'the lease has to run out', ENTER);
    await term.waitFor('Prediction saved.');
    expect(term.screen()).not.toContain('Model answer');
    expect(term.screen()).not.toContain('it only sees silence');
    await term.waitFor(/2\/2 .*what could go wrong\?[\s\S]*leave empty to skip/);
    await term.press(ENTER);
    await term.waitFor('Skipped; it stays in the list');
    expect(await term.exit).toBe(0);
    expect(progress().quiz['s3-why']!.history.map((h) => h.outcome)).toEqual(['unrated']);
    expect(progress().quiz['s3-risks']).toBeUndefined();
  }, 120_000);

  it('does not record a rating on a stray Enter: it asks again until m, p or g', async () => {
    const term = wb.terminal(['quiz', '--section', 'certification', '--item', 'cert-implement']);
    const started = await Promise.race([term.waitFor('Honestly').then(() => true), term.exit.then(() => false)]);
    expect(started, term.screen()).toBe(true);
    await term.press(ENTER);
    await term.waitFor('type m, p or g');
    expect(progress().quiz['cert-implement']).toBeUndefined();
    await term.press('p', ENTER);
    expect(await term.exit).toBe(0);
    expect(progress().quiz['cert-implement']!.history.map((h) => h.outcome)).toEqual(['partly']);
  }, 120_000);
});
