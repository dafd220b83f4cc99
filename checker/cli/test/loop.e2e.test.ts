import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, REAL_ROOT, type FixtureWorkbook } from './fixture.ts';

/** The learner's loop around the commands: typos, per-command help, output cut short. */
describe('the command line forgives and explains', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('suggests the command a typo was meant to be (exit 2)', async () => {
    const run = await wb.cli(['chalenge', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "chalenge". Did you mean "challenge"?');
  });

  it('suggests the flag a typo was meant to be, with the usage (exit 2)', async () => {
    const run = await wb.cli(['run', 'raft', '--sed', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option --sed. Did you mean --seed?');
    expect(run.stderr).toContain('Usage: npm run exercise -- run');
  });

  it('help <command> shows that command\'s usage and flags', async () => {
    const run = await wb.cli(['help', 'grade']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run exercise -- grade/);
    expect(run.stdout).toContain('--gradescope <value>');
    expect((await wb.cli(['help', 'gradee'])).stderr).toContain('Did you mean "grade"?');
  });

  it('ends quietly when the reader closes the pipe early', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(REAL_ROOT, 'checker/cli/launch.mjs'), 'guide', 'consensus'], {
        cwd: REAL_ROOT,
        env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: wb.root },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Like `| head -0`: the reader is gone before the first line is written.
      child.stdout.destroy();
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('carrying progress to another machine', () => {
  let laptop: FixtureWorkbook;
  let desktop: FixtureWorkbook;
  beforeAll(() => {
    laptop = createFixtureWorkbook();
    desktop = createFixtureWorkbook();
  });
  afterAll(() => {
    laptop.remove();
    desktop.remove();
  });

  it('exports progress to a file and merges it into another workbook, keeping a backup there', async () => {
    expect((await laptop.cli(['hint', 'raft'])).code).toBe(0);
    expect((await desktop.cli(['hint', 'quorum'])).code).toBe(0);
    const exported = await laptop.cli(['progress', 'export', laptop.file('carry.json')]);
    expect(exported.code).toBe(0);
    const imported = await desktop.cli(['progress', 'import', laptop.file('carry.json')]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Your progress before the import was saved as');
    const progress = JSON.parse(desktop.read('workbook-progress.json'));
    expect(progress.exercises['consensus/raft'].hintsShown).toBe(1);
    expect(progress.exercises['consensus/quorum'].hintsShown).toBe(1);
  });

  it('refuses a file that is not exported progress (exit 2) and changes nothing', async () => {
    desktop.write('junk.json', '{"hello": 1}');
    const before = desktop.read('workbook-progress.json');
    const run = await desktop.cli(['progress', 'import', desktop.file('junk.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not an exported progress file');
    expect(desktop.read('workbook-progress.json')).toBe(before);
  });

  it('update outside a git clone says what to do instead (exit 1)', async () => {
    const run = await desktop.cli(['update']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not a git clone');
  });
});
