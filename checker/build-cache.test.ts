import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordBuild, reusableBuild } from './build-cache.mjs';

const setMtime = (file: string, when: Date): void => fs.utimesSync(file, when, when);

describe('build cache: when a recorded build may be reused', () => {
  let dir: string;
  let input: string;
  let record: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
    input = path.join(dir, 'source.ts');
    record = path.join(dir, 'out', 'record.json');
    fs.writeFileSync(input, 'export const answer = 42;\n');
    // A whole-second mtime, so putting it back below restores it exactly.
    setMtime(input, new Date(2026, 0, 1));
    recordBuild(record, 'key-1', [input], { file: 'bundle.abc.mjs' });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));


  it('reuses the build while nothing changed', () => {
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'bundle.abc.mjs' });
  });

  it('rebuilds when an input changed, even with the same size and mtime', () => {
    const before = fs.statSync(input);
    fs.writeFileSync(input, 'export const answer = 43;\n');
    setMtime(input, before.mtime);
    expect(fs.statSync(input).size).toBe(before.size);
    expect(fs.statSync(input).mtimeMs).toBe(before.mtimeMs);
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('does not rebuild when only the mtime changed (a checkout or copy), and remembers the new mtime', () => {
    setMtime(input, new Date(Date.now() + 60_000));
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'bundle.abc.mjs' });
    const stored = JSON.parse(fs.readFileSync(record, 'utf8')) as { inputs: { mtimeMs: number }[] };
    expect(stored.inputs[0]!.mtimeMs).toBe(fs.statSync(input).mtimeMs);
  });

  it('rebuilds when an input is gone, the record is unreadable, or the build was made another way', () => {
    expect(reusableBuild(record, 'key-2')).toBeUndefined();
    fs.writeFileSync(record, '{ half a rec');
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
    recordBuild(record, 'key-1', [input], { file: 'x' });
    fs.rmSync(input);
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('does not record a build whose input was modified after the build began', () => {
    const startedAt = Date.now() - 1000;
    fs.appendFileSync(input, '// edited while building\n');
    expect(recordBuild(record, 'key-1', [input], { file: 'other' }, startedAt)).toBe(false);
    // The earlier record stands, and no longer matches the input.
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('records a build whose input has an mtime in the future (clock skew), not a write during the build', () => {
    setMtime(input, new Date(Date.now() + 3_600_000));
    expect(recordBuild(record, 'key-1', [input], { file: 'skewed' }, Date.now())).toBe(true);
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'skewed' });
  });

  it('rebuilds when an input grew, without waiting for a hash', () => {
    fs.appendFileSync(input, '// more\n');
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });
});
