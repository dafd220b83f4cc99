import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, writeStubHashes } from '../selfcheck/pristine.ts';
import { updateWorkbook, UpdateError } from './update.ts';

/** An upstream workbook and a learner's clone of it, both tiny git repositories. */
describe('updateWorkbook: a new version of the workbook, the learner\'s work kept', () => {
  let top: string;
  let upstream: string;
  let learner: string;
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const STUB_F = ['// f: fill in the body', 'export function f(): number {', '  // TODO', '  return 0;', '}', ''].join('\n');
  const STUB_G = 'export const g = 1; // TODO\n';

  /** Writes stubs into the upstream and records their hashes, as `author stubs` does, then commits. */
  const ship = (files: Record<string, string>, message: string): void => {
    const hashes: Record<string, string> = {};
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(upstream, 'exercises', file)), { recursive: true });
      fs.writeFileSync(path.join(upstream, 'exercises', file), text);
      hashes[file] = contentHash(text);
    }
    writeStubHashes(upstream, hashes);
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-qm', message);
  };
  const mine = (file: string): string => fs.readFileSync(path.join(learner, 'exercises', file), 'utf8');
  const edit = (file: string, text: string): void => fs.writeFileSync(path.join(learner, 'exercises', file), text);

  beforeEach(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'update-'));
    upstream = path.join(top, 'upstream');
    learner = path.join(top, 'learner');
    fs.mkdirSync(path.join(upstream, 'checker/manifest'), { recursive: true });
    git(top, 'init', '-q', '-b', 'main', upstream);
    ship({ 'm/f.ts': STUB_F, 'm/g.ts': STUB_G }, 'v1');
    git(top, 'clone', '-q', upstream, learner);
  });
  afterEach(() => fs.rmSync(top, { recursive: true, force: true }));

  it('merges the learner\'s edit with a stub that changed elsewhere, and replaces untouched stubs', () => {
    edit('m/f.ts', STUB_F.replace('  // TODO\n  return 0;', '  return 42;'));
    ship({ 'm/f.ts': STUB_F.replace('// f: fill in the body', '// f: return the answer (see the guide, step 2)'), 'm/g.ts': 'export const g = 2; // TODO\n' }, 'v2');
    const report = updateWorkbook(learner);
    expect(report.edited).toEqual([{ file: 'm/f.ts', outcome: 'merged' }]);
    expect(report.replaced).toEqual(['m/g.ts']);
    expect(mine('m/f.ts')).toContain('// f: return the answer (see the guide, step 2)');
    expect(mine('m/f.ts')).toContain('return 42;');
    expect(mine('m/g.ts')).toBe('export const g = 2; // TODO\n');
    expect(fs.readFileSync(path.join(report.backupDir!, 'm/f.ts'), 'utf8')).toContain('return 42;');
  });

  it('marks conflicting edits in the file and keeps both sides', () => {
    edit('m/f.ts', STUB_F.replace('  // TODO\n  return 0;', '  return 42;'));
    ship({ 'm/f.ts': STUB_F.replace('  return 0;', '  return -1; // a safer default'), 'm/g.ts': STUB_G }, 'v2');
    const report = updateWorkbook(learner);
    expect(report.edited).toEqual([{ file: 'm/f.ts', outcome: 'conflicts', conflicts: 1 }]);
    const text = mine('m/f.ts');
    expect(text).toContain('<<<<<<< your work');
    expect(text).toContain('return 42;');
    expect(text).toContain('return -1; // a safer default');
    expect(text).toContain('>>>>>>> the new stub');
  });

  it('gives the learner\'s file back unchanged when its stub did not change', () => {
    const work = STUB_F.replace('  // TODO\n  return 0;', '  return 7;');
    edit('m/f.ts', work);
    ship({ 'm/f.ts': STUB_F, 'm/g.ts': 'export const g = 3; // TODO\n' }, 'v2');
    const report = updateWorkbook(learner);
    expect(report.edited).toEqual([{ file: 'm/f.ts', outcome: 'kept' }]);
    expect(mine('m/f.ts')).toBe(work);
  });

  it('leaves every file as it was when the pull fails', () => {
    const work = STUB_F.replace('  // TODO\n  return 0;', '  return 7;');
    edit('m/f.ts', work);
    expect(() =>
      updateWorkbook(learner, {
        pull: () => {
          throw new Error('network unreachable');
        },
      }),
    ).toThrow(UpdateError);
    expect(mine('m/f.ts')).toBe(work);
  });
});
