import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { UsageError } from '../cli/command.ts';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import type { GradeResult } from '../engine/results.ts';
import { renderGradeTable } from '../cli/render/grade-table.ts';
import { fileNamesFor, findSubmissions, gradeSubmissionExercise, pathProblem, runPool, safeName } from './submissions.ts';

let tmp: string;
const mk = (...parts: string[]): string => {
  const dir = path.join(tmp, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'submissions-test-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('findSubmissions', () => {
  it('treats a folder holding exercises/ as one submission', () => {
    mk('single', 'exercises');
    expect(findSubmissions([path.join(tmp, 'single')])).toEqual([{ learner: 'single', dir: path.join(tmp, 'single') }]);
  });

  it('treats each subfolder holding exercises/ as one submission, sorted, ignoring the rest', () => {
    mk('batch', 'zoe', 'exercises');
    mk('batch', 'amir', 'exercises');
    mk('batch', 'notes');
    expect(findSubmissions([path.join(tmp, 'batch')]).map((s) => s.learner)).toEqual(['amir', 'zoe']);
  });

  it('keeps learners with the same folder name apart', () => {
    mk('other', 'zoe', 'exercises');
    expect(findSubmissions([path.join(tmp, 'batch'), path.join(tmp, 'other')]).map((s) => s.learner)).toEqual(['amir', 'zoe', 'zoe-2']);
  });

  it('refuses missing folders, empty batches and no arguments with a usage error', () => {
    expect(() => findSubmissions([path.join(tmp, 'nope')])).toThrow(UsageError);
    expect(() => findSubmissions([mk('empty')])).toThrow(/holds no submission/);
    expect(() => findSubmissions([])).toThrow(UsageError);
  });
});

describe('helpers', () => {
  it('makes learner names safe as file names', () => {
    expect(safeName('../evil name')).toBe('__evil_name');
    expect(safeName('ok-name_1')).toBe('ok-name_1');
  });

  it('gives distinct learners distinct file names, even when sanitizing or letter case would merge them', () => {
    const learners = ['amir', 'a b', 'a_b', 'a?b', 'Zoe', 'zoe', 'ok-name_1'];
    const names = fileNamesFor(learners);
    expect(new Set([...names.values()].map((n) => n.toLowerCase())).size).toBe(learners.length);
    expect(names.get('amir')).toBe('amir');
    expect(names.get('ok-name_1')).toBe('ok-name_1');
    expect(names.get('a b')).toMatch(/^a_b-[0-9a-f]{8}$/);
    expect(names.get('a_b')).toMatch(/^a_b-[0-9a-f]{8}$/);
    for (const name of names.values()) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    // The mapping depends on the batch, not on the order learners come in.
    expect(fileNamesFor([...learners].reverse()).get('a?b')).toBe(names.get('a?b'));
  });

  it('refuses links and odd entries on the way to a file, naming them in one line', () => {
    const dir = mk('paths', 'amir');
    mk('paths', 'amir', 'exercises', 'consensus');
    fs.writeFileSync(path.join(dir, 'exercises', 'consensus', 'raft.ts'), 'export {};\n');
    expect(pathProblem(dir, 'exercises/consensus/raft.ts')).toBeUndefined();
    expect(pathProblem(dir, 'exercises/consensus/quorum.ts')).toMatch(/^exercises\/consensus\/quorum.ts is missing/);
    fs.symlinkSync(path.join(dir, 'exercises', 'consensus'), path.join(dir, 'exercises', 'linked'));
    expect(pathProblem(dir, 'exercises/linked/raft.ts')).toMatch(/^exercises\/linked is a symbolic link/);
    mk('paths', 'amir', 'exercises', 'consensus', 'folder.ts');
    expect(pathProblem(dir, 'exercises/consensus/folder.ts')).toMatch(/is a folder/);
  });

  it('runs a pool in order with bounded concurrency', async () => {
    let running = 0;
    let peak = 0;
    const tasks = [5, 1, 3, 2].map((n) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(await runPool(tasks, 2)).toEqual([50, 10, 30, 20]);
    expect(peak).toBeLessThanOrEqual(2);
  });
});

describe('gradeSubmissionExercise', () => {
  const entry = manifest.modules.flatMap((m) => m.exercises)[0]!;

  it('reports a missing file as that learner’s failure, listing every requirement as not run', async () => {
    const dir = mk('missing', 'amir');
    mk('missing', 'amir', 'exercises');
    const result = await gradeSubmissionExercise({ root: WORKBOOK_ROOT, submission: { learner: 'amir', dir }, entry: entry!, seed: 1, runs: 5 });
    expect(result.loadProblem?.message).toMatch(/missing from the submission/);
    expect(result.requirements.length).toBeGreaterThan(0);
    expect(result.requirements.every((r) => r.status === 'not-run')).toBe(true);
  });

  it('reports a syntax error at the learner’s own file and line', async () => {
    const dir = mk('broken', 'zoe');
    const file = path.join(dir, 'exercises', entry.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "import { systemClock } from '#workbook/clock';\nexport const x = ;\n");
    const result = await gradeSubmissionExercise({ root: WORKBOOK_ROOT, submission: { learner: 'zoe', dir }, entry: entry!, seed: 1, runs: 5 });
    expect(result.loadProblem?.kind, JSON.stringify(result.loadProblem)).toBe('syntax');
    // Named within the submission, as the learner knows it: never by this machine's path.
    expect(result.loadProblem?.location?.file).toBe(path.join('zoe', 'exercises', entry.file));
    expect(result.loadProblem?.location?.line).toBe(2);
    expect(result.target).toBe(path.join('zoe', 'exercises', entry.file));
    const table = renderGradeTable([{ learner: 'zoe', dir, results: [result] }], { color: false });
    expect(table).toContain('zoe');
    expect(table).toContain('Files that could not be graded');
    expect(table).not.toMatch(/\u001b\[/);
  });
});
