import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { UsageError } from '../cli/command.ts';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import type { GradeResult } from '../engine/results.ts';
import { renderGradeTable } from '../cli/render/grade-table.ts';
import { findSubmissions, gradeSubmissionExercise, pointImportsAtWorkbook, relocate, runPool, safeName } from './submissions.ts';

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

  it('points #workbook imports at our support files and leaves other lines alone', () => {
    const source = "import { systemClock, type Clock } from '#workbook/clock';\nconst s = '#workbook/clock is fine in text';\nimport x from \"#workbook/nope\";\n";
    const out = pointImportsAtWorkbook(source, WORKBOOK_ROOT);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`import { systemClock, type Clock } from '${path.join(WORKBOOK_ROOT, 'checker/support/clock.ts')}';`);
    expect(lines[1]).toBe(lines[1]);
    expect(lines[2]).toBe('import x from "#workbook/nope";');
    expect(lines).toHaveLength(4);
  });

  it('relocates the staged path to the submission path in problems', () => {
    const result: GradeResult = {
      exerciseId: 'x/y',
      target: 'node_modules/.cache/s.ts',
      seed: 1,
      runs: 1,
      loadProblem: { kind: 'syntax', message: 'bad at /cache/s.ts:1', location: { file: '/cache/s.ts', line: 1, column: 2 } },
      requirements: [],
    };
    const moved = relocate(result, '/cache/s.ts', '/subs/amir/exercises/y.ts', 'amir/exercises/y.ts');
    expect(moved.target).toBe('amir/exercises/y.ts');
    expect(moved.loadProblem?.message).toBe('bad at /subs/amir/exercises/y.ts:1');
    expect(moved.loadProblem?.location?.file).toBe('/subs/amir/exercises/y.ts');
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
    expect(result.loadProblem?.location?.file).toBe(file);
    expect(result.loadProblem?.location?.line).toBe(2);
    expect(result.target).toBe(path.join('zoe', 'exercises', entry.file));
    const table = renderGradeTable([{ learner: 'zoe', dir, results: [result] }], { color: false });
    expect(table).toContain('zoe');
    expect(table).toContain('Files that could not be graded');
    expect(table).not.toMatch(/\u001b\[/);
  });
});
