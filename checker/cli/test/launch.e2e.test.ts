import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBundleRecord, cloneCheckout, launchClone } from './fixture.ts';

/**
 * The launcher (checker/cli/launch.mjs) in a fresh clone: no .workbook yet, started from another
 * folder, with its sources then edited. The other end-to-end tests run it too, but on sources
 * whose bundle is already built.
 */

describe('the launcher in a fresh clone', () => {
  let clone: string;
  beforeAll(() => {
    // A learner's edits to exercises/ come along, which `--solution` ignores.
    clone = cloneCheckout();
  });
  afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

  it('grades on the first start: builds the CLI bundle and the engine inside the clone, whose root it reports', async () => {
    expect(fs.existsSync(path.join(clone, '.workbook'))).toBe(false);
    const run = await launchClone(clone, ['run', 'consensus/quorum', '--solution', '--seed', '3', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { target: string; requirements: { status: string }[] };
    // Relative to the clone's root: a root taken from the bundle's own folder would not give this.
    expect(result.target).toBe(path.join('solutions', 'consensus', 'quorum.ts'));
    expect(result.requirements.length).toBeGreaterThan(0);
    expect(result.requirements.every((r) => r.status === 'passed')).toBe(true);
    expect(fs.existsSync(path.join(clone, '.workbook/build/cli', cliBundleRecord(clone).data.dir, 'main.mjs'))).toBe(true);
    expect(fs.readdirSync(path.join(clone, '.workbook/build/engine')).some((f) => f.startsWith('grading.'))).toBe(true);
  });

  it('reuses the bundle while the sources are unchanged and rebuilds it once one changes', async () => {
    await launchClone(clone, ['list']);
    const before = cliBundleRecord(clone).data.dir;
    expect((await launchClone(clone, ['help', 'run'])).stdout).toContain('Grade your file for one exercise');
    expect(cliBundleRecord(clone).data.dir).toBe(before);

    const runCommand = path.join(clone, 'checker/cli/commands/run.ts');
    fs.writeFileSync(runCommand, fs.readFileSync(runCommand, 'utf8').replace('Grade your file for one exercise', 'Grade the file of one exercise'));
    const help = await launchClone(clone, ['help', 'run']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Grade the file of one exercise');
    expect(cliBundleRecord(clone).data.dir).not.toBe(before);
  });

  it('runs from its sources when the bundle cannot be written (.workbook is not a folder)', async () => {
    fs.rmSync(path.join(clone, '.workbook'), { recursive: true, force: true });
    fs.writeFileSync(path.join(clone, '.workbook'), 'not a folder');
    const run = await launchClone(clone, ['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('consensus/quorum');
    fs.rmSync(path.join(clone, '.workbook'));
  });
});
