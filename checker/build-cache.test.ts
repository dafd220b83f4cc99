import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, recordBuild, reusableBuild } from './build-cache.mjs';

const setMtime = (file: string, when: Date): void => fs.utimesSync(file, when, when);

describe('build cache: when a recorded build may be reused', () => {
  let dir: string;
  let input: string;
  let output: string;
  let record: string;
  const build = (data: unknown) => ({ inputs: [input], outputs: [output], data });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
    input = path.join(dir, 'source.ts');
    record = path.join(dir, 'out', 'record.json');
    output = path.join(dir, 'out', 'bundle.abc.mjs');
    fs.writeFileSync(input, 'export const answer = 42;\n');
    fs.mkdirSync(path.dirname(output));
    fs.writeFileSync(output, 'export const answer = 42;\n');
    // A whole-second mtime, so putting it back below restores it exactly.
    setMtime(input, new Date(2026, 0, 1));
    recordBuild(record, 'key-1', build({ file: 'bundle.abc.mjs' }));
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
    const stored = JSON.parse(fs.readFileSync(record, 'utf8').split('\n')[1]!) as { inputs: { mtimeMs: number }[] };
    expect(stored.inputs[0]!.mtimeMs).toBe(fs.statSync(input).mtimeMs);
  });

  it('rebuilds when an input is gone, the record is unreadable, or the build was made another way', () => {
    expect(reusableBuild(record, 'key-2')).toBeUndefined();
    fs.writeFileSync(record, '{ half a rec');
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
    recordBuild(record, 'key-1', build({ file: 'x' }));
    fs.rmSync(input);
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('does not record a build whose input was modified after the build began', () => {
    const startedAt = Date.now() - 1000;
    fs.appendFileSync(input, '// edited while building\n');
    expect(recordBuild(record, 'key-1', build({ file: 'other' }), startedAt)).toBe(false);
    // The earlier record stands, and no longer matches the input.
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('records a build whose input has an mtime in the future (clock skew), not a write during the build', () => {
    setMtime(input, new Date(Date.now() + 3_600_000));
    expect(recordBuild(record, 'key-1', build({ file: 'skewed' }), Date.now())).toBe(true);
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'skewed' });
  });

  it('rebuilds when an input grew, without waiting for a hash', () => {
    fs.appendFileSync(input, '// more\n');
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('rebuilds when an output changed: a bundle replaced under its recorded name is never used', () => {
    fs.writeFileSync(output, 'export const answer = 43;\n');
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('reuses the build when an output was only touched', () => {
    setMtime(output, new Date(Date.now() + 60_000));
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'bundle.abc.mjs' });
  });
});

describe('build cache: a record it did not write is never trusted', () => {
  let dir: string;
  let input: string;
  let output: string;
  let record: string;
  const stamp = (file: string) => {
    const stat = fs.statSync(file);
    return { file, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, hash: contentHash(fs.readFileSync(file)) };
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
    input = path.join(dir, 'source.ts');
    output = path.join(dir, 'out', 'planted.mjs');
    record = path.join(dir, 'out', 'record.json');
    fs.mkdirSync(path.dirname(output));
    fs.writeFileSync(input, 'export const answer = 42;\n');
    fs.writeFileSync(output, 'export const answer = "planted";\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a record written by hand, even one whose every stamp and hash is right', () => {
    const body = { key: 'key-1', location: record, data: { file: 'planted.mjs' }, inputs: [stamp(input)], outputs: [stamp(output)] };
    fs.writeFileSync(record, JSON.stringify(body));
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
    fs.writeFileSync(record, `${'0'.repeat(64)}\n${JSON.stringify(body)}`);
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('refuses a signed record once its text is edited (no inputs, another bundle)', () => {
    recordBuild(record, 'key-1', { inputs: [input], outputs: [output], data: { file: 'planted.mjs' } });
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'planted.mjs' });
    const [mac, body] = fs.readFileSync(record, 'utf8').split('\n') as [string, string];
    fs.writeFileSync(record, `${mac}\n${body.replace(/"inputs":\[.*?\],"outputs"/, '"inputs":[],"outputs"')}`);
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
    fs.writeFileSync(record, `${mac}\n${body.replace('planted.mjs"}', 'other.mjs"}')}`);
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
  });

  it('refuses a record listing no inputs, or not every input the caller knows the build reads', () => {
    recordBuild(record, 'key-1', { inputs: [], outputs: [output], data: { file: 'planted.mjs' } });
    expect(reusableBuild(record, 'key-1')).toBeUndefined();
    recordBuild(record, 'key-1', { inputs: [input], outputs: [output], data: { file: 'planted.mjs' } });
    expect(reusableBuild(record, 'key-1', [input, path.join(dir, 'entry.ts')])).toBeUndefined();
    expect(reusableBuild(record, 'key-1', [input])).toEqual({ file: 'planted.mjs' });
  });

  it('refuses a record copied to another folder: a copied workbook builds its own', () => {
    recordBuild(record, 'key-1', { inputs: [input], outputs: [output], data: { file: 'planted.mjs' } });
    const copy = path.join(dir, 'copy', 'record.json');
    fs.cpSync(path.dirname(record), path.dirname(copy), { recursive: true });
    expect(reusableBuild(copy, 'key-1')).toBeUndefined();
    expect(reusableBuild(record, 'key-1')).toEqual({ file: 'planted.mjs' });
  });
});
