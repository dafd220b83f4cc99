import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, folderContentHash } from '../../build-cache.mjs';
import { PROGRESS_FILE } from '../../core/progress/store.ts';
import { cliBundleRecord, cloneCheckout, launchClone, REAL_ROOT } from './fixture.ts';

/**
 * What a checkout holds besides its sources. Whatever is under .workbook/ can come from someone
 * else (`git add -f .workbook` ships it; a clone of a learner's repository has it), and it is
 * imported with the user's rights before any lockdown: each attack plants code that would leave a
 * marker file, and the marker must never appear while the command still works; a link planted
 * there must not carry our writes elsewhere. And a copy of a workbook acts on itself, never on
 * the folder it was copied from.
 */

let clone: string;
let markers: string;
let marker: string;
beforeAll(async () => {
  clone = cloneCheckout();
  markers = fs.mkdtempSync(path.join(os.tmpdir(), 'planted-'));
  // A first command builds the CLI bundle, the engine and the code cache, as this user would.
  const first = await launchClone(clone, ['run', 'consensus/quorum', '--solution', '--seed', '1']);
  expect(first.code, first.stderr).toBe(0);
});
afterAll(() => {
  fs.rmSync(clone, { recursive: true, force: true });
  fs.rmSync(markers, { recursive: true, force: true });
});
beforeEach((context) => {
  marker = path.join(markers, context.task.name.replace(/\W+/g, '-'));
});

/** A first line that leaves the marker; Node's own `fs`, so it needs no import. */
const leavesMarker = (): string => `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'planted code ran');\n`;
const engineDir = (): string => path.join(clone, '.workbook/build/engine');
const cliDir = (): string => path.join(clone, '.workbook/build/cli');
/** Replaces a file we may have written read-only. */
const overwrite = (file: string, contents: string | Uint8Array): void => {
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, contents);
};

async function expectGradedAsUsual(): Promise<void> {
  const run = await launchClone(clone, ['run', 'consensus/quorum', '--solution', '--seed', '1', '--json']);
  expect(fs.existsSync(marker), 'the planted code ran').toBe(false);
  expect(run.code, run.stderr).toBe(0);
  expect((JSON.parse(run.stdout) as { requirements: { status: string }[] }).requirements.every((r) => r.status === 'passed')).toBe(true);
}

describe('nothing planted in a checkout runs', () => {
  it('a CLI record listing no inputs, naming a planted bundle folder', async () => {
    const planted = path.join(cliDir(), 'planted');
    fs.mkdirSync(planted, { recursive: true });
    for (const file of ['main.mjs', 'prestart.mjs']) fs.writeFileSync(path.join(planted, file), leavesMarker());
    const key = cliBundleRecord(clone).key;
    fs.writeFileSync(path.join(cliDir(), 'current.json'), JSON.stringify({ key, data: { dir: 'planted' }, inputs: [], outputs: [] }));
    const run = await launchClone(clone, ['list']);
    expect(fs.existsSync(marker), 'the planted code ran').toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('consensus/quorum');
    expect(cliBundleRecord(clone).data.dir).not.toBe('planted');
  });

  it('a bundle changed under the name its record gives it (its hash no longer matches)', async () => {
    const dir = path.join(cliDir(), cliBundleRecord(clone).data.dir);
    overwrite(path.join(dir, 'main.mjs'), leavesMarker());
    await expectGradedAsUsual();
    const name = cliBundleRecord(clone).data.dir;
    expect(folderContentHash(path.join(cliDir(), name))).toBe(name);
  });

  it('a folder planted under the very name the next build will get', async () => {
    // Anyone with the sources can compute that name: the build must not take the folder for its own.
    const name = cliBundleRecord(clone).data.dir;
    overwrite(path.join(cliDir(), name, 'prestart.mjs'), leavesMarker());
    fs.rmSync(path.join(cliDir(), 'current.json'));
    await expectGradedAsUsual();
    expect(folderContentHash(path.join(cliDir(), name))).toBe(name);
  });

  it('an engine record listing no inputs, naming a planted bundle that matches its own hash', async () => {
    const real = fs.readdirSync(engineDir()).find((f) => /^grading\.[0-9a-f]{16}\.mjs$/.test(f))!;
    const contents = leavesMarker() + fs.readFileSync(path.join(engineDir(), real), 'utf8');
    const name = `grading.${contentHash(contents)}.mjs`;
    fs.writeFileSync(path.join(engineDir(), name), contents);
    fs.writeFileSync(path.join(engineDir(), 'grading.build.json'), JSON.stringify({ key: 'trusted-1', data: { file: name }, inputs: [] }));
    await expectGradedAsUsual();
  });

  it('a changed sandbox entry, the code that runs before lockdown', async () => {
    for (const file of fs.readdirSync(engineDir()).filter((f) => /^sandbox-entry\.[0-9a-f]{16}\.mjs$/.test(f))) {
      const entry = path.join(engineDir(), file);
      overwrite(entry, leavesMarker() + fs.readFileSync(entry, 'utf8'));
    }
    await expectGradedAsUsual();
  });

  it("a tampered V8 code cache of ses, compiled from other code of the same length", async () => {
    // V8 checks a code cache against its source's length only: this one runs the planted line.
    const ses = path.join(REAL_ROOT, 'node_modules/ses/dist/ses.umd.min.js');
    const line = leavesMarker();
    const source = line + ' '.repeat(fs.readFileSync(ses, 'utf8').length - line.length);
    const crafted = path.join(markers, 'crafted.v8cache');
    // Made by a plain `node`, as the grading worker's V8 flags are those of a plain `node`.
    const script = `const vm = require('node:vm'); const fs = require('node:fs'); fs.writeFileSync(process.argv[2], new vm.Script(fs.readFileSync(process.argv[1], 'utf8'), { filename: ${JSON.stringify(ses)} }).createCachedData());`;
    fs.writeFileSync(path.join(markers, 'source.js'), source);
    execFileSync(process.execPath, ['-e', script, path.join(markers, 'source.js'), crafted]);
    const caches = fs.readdirSync(engineDir()).filter((f) => f.endsWith('.v8cache'));
    expect(caches.length).toBeGreaterThan(0);
    for (const file of caches) overwrite(path.join(engineDir(), file), fs.readFileSync(crafted));
    await expectGradedAsUsual();
  });

  it('a link in .workbook, which would send our writes elsewhere', async () => {
    const elsewhere = fs.mkdtempSync(path.join(markers, 'elsewhere-'));
    const graders = path.join(clone, '.workbook/build/graders');
    fs.rmSync(graders, { recursive: true, force: true });
    fs.symlinkSync(elsewhere, graders);
    try {
      const run = await launchClone(clone, ['run', 'consensus/quorum', '--solution', '--seed', '1']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('.workbook/build/graders is a link.');
      expect(fs.readdirSync(elsewhere)).toEqual([]);
    } finally {
      fs.rmSync(graders);
    }
  });
});

describe('a copied workbook acts only on itself', () => {
  const exercise = 'exercises/consensus/quorum.ts';
  const read = (root: string, file: string): string | undefined => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : undefined);
  let copy: string;
  let stub: string;
  beforeAll(() => {
    // A repository, as a learner's is: `reset` takes the shipped stub from git once the file was edited.
    const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.name=learner', '-c', 'user.email=learner@example.com', ...args], { cwd: clone });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'the workbook');
    stub = read(clone, exercise)!;
    fs.writeFileSync(path.join(clone, exercise), "// the original's work in progress\n");
    copy = `${clone}-copy`;
    execFileSync('cp', ['-a', clone, copy]);
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it("grades the copy's file, records progress in the copy, and resets the copy's exercise", async () => {
    const untouched = [exercise, PROGRESS_FILE].map((file) => read(clone, file));
    const backups = (root: string): string[] => (fs.existsSync(path.join(root, '.workbook/backups')) ? fs.readdirSync(path.join(root, '.workbook/backups')) : []);
    const backupsBefore = backups(clone);
    fs.copyFileSync(path.join(clone, 'solutions/consensus/quorum.ts'), path.join(copy, exercise));

    const run = await launchClone(copy, ['run', 'consensus/quorum', '--seed', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { requirements: { status: string }[] }).requirements.every((r) => r.status === 'passed')).toBe(true);
    expect(read(copy, PROGRESS_FILE)).toContain('consensus/quorum');

    const reset = await launchClone(copy, ['reset', 'consensus/quorum']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(read(copy, exercise)).toBe(stub);
    expect(backups(copy).length).toBe(backupsBefore.length + 1);

    expect([exercise, PROGRESS_FILE].map((file) => read(clone, file))).toEqual(untouched);
    expect(backups(clone)).toEqual(backupsBefore);
  });
});
