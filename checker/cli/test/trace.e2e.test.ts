import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

describe('npm run exercise -- trace', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('writes the failing run of a challenge as one HTML page and prints only its absolute path', async () => {
    const run = await wb.cli(['trace', 'raft/debugging/late-vote', '--seed', '3']);
    expect(run.code).toBe(0);
    const file = run.stdout.trim();
    expect(path.isAbsolute(file)).toBe(true);
    expect(fs.realpathSync(path.dirname(file))).toBe(fs.realpathSync(path.join(wb.root, '.workbook', 'traces')));
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('late-vote-reply-ignored');
    expect(html.match(/class="lane"/g)).toHaveLength(3);
    expect(html).toMatch(/class="msg[^"]*injected/);
    expect(html).toContain('Seed 3. Replay: npm run exercise -- run raft/debugging/late-vote --seed 3');
  }, 120_000);

  it('says there is nothing to draw when every requirement passes, and wants an id', async () => {
    const passing = await wb.cli(['trace', 'raft/debugging/late-vote', '--seed', '3', '--solution', '--only', 'late-vote-reply-ignored']);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toBe('');
    expect(passing.stderr).toMatch(/every requirement passes with seed 3/);
    const usage = await wb.cli(['trace']);
    expect(usage.code).toBe(2);
    const unknown = await wb.cli(['trace', 'raft/debugging/late-vote', '--only', 'no-such-requirement']);
    expect(unknown.code).toBe(2);
  }, 120_000);
});
