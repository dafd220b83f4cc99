import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

/** The raw lines a terminal was sent, escape codes removed (the pty ends each line with \r\n). */
const linesOf = (screen: string): string[] => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/);
const width = (line: string): number => [...line].length;
// Code blocks are shown as written, indented by four spaces; prose and tables are what wraps.
const wrapped = (lines: readonly string[]): string[] => lines.filter((line) => !line.startsWith('    '));

/** What the CLI prints: into a pipe that closes early, at the terminal's width, and the paths it names. */
describe('output', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('`list | head -1` and `guide | head -1` end quietly, with no EPIPE and no stack trace', async () => {
    for (const args of [['list'], ['guide', 'consensus']]) {
      const run = await wb.cliPiped(args, 'head -1');
      expect(run.stderr, args.join(' ')).toBe('');
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('wraps a guide to an 80-column terminal, tables drawn as tables, and uses more of a wider one', async () => {
    const narrow = wb.terminal(['guide', 'consensus'], {}, { columns: 80, rows: 24 });
    expect(await narrow.exit).toBe(0);
    const lines = linesOf(narrow.screen());
    for (const line of wrapped(lines)) expect(width(line), line).toBeLessThanOrEqual(80);
    // The module's table of patterns, boxed, with its rows inside the borders.
    expect(lines.some((line) => /^┌─+┬/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('│') && line.includes('consensus/leader-election'))).toBe(true);
    expect(narrow.screen()).not.toContain('|---|');

    const wide = wb.terminal(['guide', 'consensus'], {}, { columns: 120, rows: 40 });
    expect(await wide.exit).toBe(0);
    expect(Math.max(...wrapped(linesOf(wide.screen())).map(width))).toBeGreaterThan(80);
  }, 120_000);

  it('prints the journal page as it was given, or absolute', async () => {
    // Where the learner typed the command (npm passes it as INIT_CWD); not the workbook root.
    const typedIn = wb.file('notes');
    fs.mkdirSync(typedIn, { recursive: true });
    const given = await wb.cli(['journal', '--html', 'pages/mine.html'], { INIT_CWD: typedIn });
    expect(given.code).toBe(0);
    expect(given.stdout).toContain('Saved as a web page: pages/mine.html\n');
    expect(fs.existsSync(path.join(typedIn, 'pages/mine.html'))).toBe(true);

    const byDefault = await wb.cli(['journal'], { INIT_CWD: typedIn });
    const printed = /Saved as a web page: (.+)/.exec(byDefault.stdout)![1]!;
    expect(path.isAbsolute(printed)).toBe(true);
    expect(fs.existsSync(printed)).toBe(true);
  });

  it('prints Gradescope results files as they were given, or absolute', async () => {
    wb.write('batch/ana/exercises/consensus/quorum.ts', wb.read('solutions/consensus/quorum.ts'));
    const typedIn = wb.file('course/week1');
    fs.mkdirSync(typedIn, { recursive: true });
    const grade = (target: string): ReturnType<FixtureWorkbook['cli']> =>
      wb.cli(['grade', wb.file('batch'), '--exercise', 'consensus/quorum', '--runs', '5', '--seed', '1', '--gradescope', target], { INIT_CWD: typedIn });

    const absolute = wb.file('results/ana.json');
    const first = await grade(absolute);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`Gradescope results written: ${absolute}\n`);
    expect(fs.existsSync(absolute)).toBe(true);

    const relative = await grade('out/ana.json');
    expect(relative.code).toBe(0);
    expect(relative.stderr).toContain('Gradescope results written: out/ana.json\n');
    expect(fs.existsSync(path.join(typedIn, 'out/ana.json'))).toBe(true);
  }, 120_000);
});
