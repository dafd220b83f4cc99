import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, STUB_HASHES_FILE, stubState, writeStubHashes } from './pristine.ts';

/** A tiny git repository holding one stub, recorded as shipped. */
describe('stubState: the shipped stub, whatever the learner did', () => {
  let root: string;
  const STUB = 'export function f(): number {\n  // TODO\n  return 0;\n}\n';
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, encoding: 'utf8' });
  const write = (text: string): void => fs.writeFileSync(path.join(root, 'exercises/m/f.ts'), text);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pristine-'));
    fs.mkdirSync(path.join(root, 'exercises/m'), { recursive: true });
    fs.mkdirSync(path.join(root, path.dirname(STUB_HASHES_FILE)), { recursive: true });
    write(STUB);
    writeStubHashes(root, { 'm/f.ts': contentHash(STUB) });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'ship');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is the working file while it is untouched', () => {
    expect(stubState(root, 'm/f.ts')).toEqual({ kind: 'untouched', text: STUB });
  });

  it('comes from git once the learner edits the file, committed or not', () => {
    write(STUB.replace('return 0', 'return 42'));
    expect(stubState(root, 'm/f.ts')).toEqual({ kind: 'edited', text: STUB, committed: false });
    git('commit', '-qam', 'my work');
    expect(stubState(root, 'm/f.ts')).toEqual({ kind: 'edited', text: STUB, committed: true });
  });

  it('comes from git when the learner deleted the file', () => {
    fs.rmSync(path.join(root, 'exercises/m/f.ts'));
    expect(stubState(root, 'm/f.ts')).toMatchObject({ kind: 'edited', text: STUB });
  });

  it('is lost, with the fix named, when no commit holds the recorded stub', () => {
    writeStubHashes(root, { 'm/f.ts': contentHash('something never committed') });
    const state = stubState(root, 'm/f.ts');
    expect(state.kind).toBe('lost');
    expect(state.kind === 'lost' && state.reason).toContain('npm run author -- stubs');
  });

  it('is unrecorded for a stub with no hash yet', () => {
    expect(stubState(root, 'm/f.ts', {})).toEqual({ kind: 'unrecorded', text: STUB });
  });
});
