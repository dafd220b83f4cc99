import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_ROOT } from './fixture.ts';

/**
 * The launcher (checker/cli/launch.mjs) in a fresh clone: no .workbook yet, started from another
 * folder, with its sources then edited. The other end-to-end tests run it too, but on sources
 * whose bundle is already built.
 */

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function launch(clone: string, args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', NO_COLOR: '1' };
  delete env.WORKBOOK_ROOT;
  return new Promise((resolve) => {
    // Started from the temporary folder, not the clone: the root must come from the sources' location.
    execFile(process.execPath, [path.join(clone, 'checker/cli/launch.mjs'), ...args], { cwd: os.tmpdir(), env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const bundleRecord = (clone: string): { data: { dir: string } } =>
  JSON.parse(fs.readFileSync(path.join(clone, '.workbook/build/cli/current.json'), 'utf8')) as { data: { dir: string } };

describe('the launcher in a fresh clone', () => {
  let clone: string;
  beforeAll(() => {
    clone = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-clone-'));
    // What git would commit, as a clone has it (a learner's edits to exercises/ included, which `--solution` ignores).
    const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REAL_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      if (!fs.existsSync(path.join(REAL_ROOT, file))) continue;
      fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
      fs.copyFileSync(path.join(REAL_ROOT, file), path.join(clone, file));
    }
    fs.symlinkSync(path.join(REAL_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  });
  afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

  it('grades on the first start: builds the CLI bundle and the engine inside the clone, whose root it reports', async () => {
    expect(fs.existsSync(path.join(clone, '.workbook'))).toBe(false);
    const run = await launch(clone, ['run', 'consensus/quorum', '--solution', '--seed', '3', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { target: string; requirements: { status: string }[] };
    // Relative to the clone's root: a root taken from the bundle's own folder would not give this.
    expect(result.target).toBe(path.join('solutions', 'consensus', 'quorum.ts'));
    expect(result.requirements.length).toBeGreaterThan(0);
    expect(result.requirements.every((r) => r.status === 'passed')).toBe(true);
    expect(fs.existsSync(path.join(clone, '.workbook/build/cli', bundleRecord(clone).data.dir, 'main.mjs'))).toBe(true);
    expect(fs.readdirSync(path.join(clone, '.workbook/build/engine')).some((f) => f.startsWith('grading.'))).toBe(true);
  });

  it('reuses the bundle while the sources are unchanged and rebuilds it once one changes', async () => {
    await launch(clone, ['list']);
    const before = bundleRecord(clone).data.dir;
    expect((await launch(clone, ['help', 'run'])).stdout).toContain('Grade your file for one exercise');
    expect(bundleRecord(clone).data.dir).toBe(before);

    const runCommand = path.join(clone, 'checker/cli/commands/run.ts');
    fs.writeFileSync(runCommand, fs.readFileSync(runCommand, 'utf8').replace('Grade your file for one exercise', 'Grade the file of one exercise'));
    const help = await launch(clone, ['help', 'run']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Grade the file of one exercise');
    expect(bundleRecord(clone).data.dir).not.toBe(before);
  });

  it('runs from its sources when the bundle cannot be written (.workbook is not a folder)', async () => {
    fs.rmSync(path.join(clone, '.workbook'), { recursive: true, force: true });
    fs.writeFileSync(path.join(clone, '.workbook'), 'not a folder');
    const run = await launch(clone, ['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('consensus/quorum');
    fs.rmSync(path.join(clone, '.workbook'));
  });
});
