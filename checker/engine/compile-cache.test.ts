import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileEngine, compileGrader } from './compile.ts';

// Counts esbuild builds, to tell a reused bundle from a rebuilt one that happens to look the same.
const builds = vi.hoisted(() => ({ count: 0 }));
vi.mock('esbuild', async (original) => {
  const esbuild = await original<typeof import('esbuild')>();
  const build = (async (options: Parameters<typeof esbuild.build>[0]) => {
    builds.count++;
    return esbuild.build(options);
  }) as typeof esbuild.build;
  return { ...esbuild, build, default: { ...esbuild, build } };
});

describe('trusted bundles are rebuilt only when a file they were built from changed', () => {
  let root: string;
  let grader: string;
  let helper: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
    grader = path.join(root, 'demo.grader.ts');
    helper = path.join(root, 'helper.ts');
    fs.writeFileSync(helper, 'export const greeting: string = "hello";\n');
    fs.writeFileSync(grader, 'import { greeting } from "./helper.ts";\nexport default { greeting };\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    builds.count = 0;
  });

  it('builds a grader once, then reuses it', async () => {
    const first = await compileGrader(root, grader);
    expect(builds.count).toBe(1);
    expect(await compileGrader(root, grader)).toBe(first);
    expect(builds.count).toBe(1);
  });

  it('reuses it when a file it imports was only touched', async () => {
    const before = await compileGrader(root, grader);
    builds.count = 0;
    const later = new Date(Date.now() + 120_000);
    fs.utimesSync(helper, later, later);
    expect(await compileGrader(root, grader)).toBe(before);
    expect(builds.count).toBe(0);
  });

  it('rebuilds when a file it imports changed, even with the same size and mtime', async () => {
    const before = await compileGrader(root, grader);
    const stat = fs.statSync(helper);
    fs.writeFileSync(helper, 'export const greeting: string = "howdy";\n');
    fs.utimesSync(helper, stat.atime, stat.mtime);
    const after = await compileGrader(root, grader);
    expect(builds.count).toBe(1);
    expect(after).not.toBe(before);
    expect(fs.readFileSync(after, 'utf8')).toContain('howdy');
  });

  it('reuses a grader reached through a linked folder, as a fixture workbook links checker/ in', async () => {
    const linked = path.join(root, 'linked');
    fs.mkdirSync(linked);
    fs.symlinkSync(root, path.join(linked, 'checker'));
    const first = await compileGrader(linked, path.join(linked, 'checker', 'demo.grader.ts'));
    builds.count = 0;
    expect(await compileGrader(linked, path.join(linked, 'checker', 'demo.grader.ts'))).toBe(first);
    expect(builds.count).toBe(0);
  });

  it('builds the grading engine once for a workbook, then reuses it', async () => {
    const first = await compileEngine(root);
    const built = builds.count;
    expect(built).toBeGreaterThan(0);
    expect(await compileEngine(root)).toEqual(first);
    expect(builds.count).toBe(built);
  });
});
