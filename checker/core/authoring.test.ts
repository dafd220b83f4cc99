import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ExerciseEntry } from '../manifest/types.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { STUB_HASHES_FILE } from '../selfcheck/pristine.ts';
import { isValidNewId, markdownHeadings, planExerciseChecks, planScaffold, runChecks, writeScaffold } from './authoring.ts';

describe('markdownHeadings', () => {
  it('finds headings outside code fences, without the #s', () => {
    const text = '# Title\nintro\n## Pattern 2: Raft ##\n```md\n# not a heading\n```\n### Deep one\n';
    expect(markdownHeadings(text)).toEqual(['Title', 'Pattern 2: Raft', 'Deep one']);
  });
});

describe('planScaffold', () => {
  it('accepts only <module>/<name> in kebab-case', () => {
    expect(isValidNewId('consensus/leader-lease')).toBe(true);
    expect(isValidNewId('consensus')).toBe(false);
    expect(isValidNewId('Consensus/Lease')).toBe(false);
    expect(isValidNewId('a/b/c')).toBe(false);
  });

  it('plans the stub, solution, grader, variants README and manifest entry, and the index line', () => {
    const plan = planScaffold('consensus/leader-lease');
    expect(plan.files.map((f) => f.path)).toEqual([
      'exercises/consensus/leader-lease.ts',
      'solutions/consensus/leader-lease.ts',
      'checker/graders/consensus/leader-lease.grader.ts',
      'checker/variants/consensus/leader-lease/README.md',
      'checker/manifest/consensus/leader-lease.ts',
    ]);
    expect(plan.indexImport).toBe("import { leaderLease } from './consensus/leader-lease.ts';");
    expect(plan.files[0]!.content).toContain('TODO');
    expect(plan.files[0]!.content).toContain('export class LeaderLease');
    expect(plan.files[4]!.content).toContain('hints: []');
  });
});

describe('a freshly scaffolded exercise fails the authoring check until it is filled in', () => {
  let root: string;
  let entry: ExerciseEntry;

  beforeAll(async () => {
    // A throwaway workbook: the real engine, support files and node_modules, linked.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'author-scaffold-'));
    fs.mkdirSync(path.join(root, 'checker'));
    for (const dir of ['engine', 'support', 'selfcheck']) fs.symlinkSync(path.join(WORKBOOK_ROOT, 'checker', dir), path.join(root, 'checker', dir));
    fs.copyFileSync(path.join(WORKBOOK_ROOT, 'package.json'), path.join(root, 'package.json'));
    fs.symlinkSync(path.join(WORKBOOK_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    const { written, clashes } = writeScaffold(root, planScaffold('lab/leader-lease'));
    expect(clashes).toEqual([]);
    expect(written).toHaveLength(5);
    const mod = (await import(pathToFileURL(path.join(root, 'checker/manifest/lab/leader-lease.ts')).href)) as { leaderLease: ExerciseEntry };
    entry = mod.leaderLease;
  }, 60_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses to overwrite an existing scaffold', () => {
    expect(writeScaffold(root, planScaffold('lab/leader-lease')).clashes).toHaveLength(5);
  });

  it('reports what is left to do, by claim', async () => {
    const results = await runChecks(planExerciseChecks(root, entry), { concurrency: 2 });
    const byClaim = Object.fromEntries(results.map((r) => [r.finding.claim, r.finding]));
    const okOf = (start: string): boolean | undefined => Object.entries(byClaim).find(([claim]) => claim.startsWith(start))?.[1]!.ok;
    expect(okOf('grader checker/graders/lab/leader-lease.grader.ts exists')).toBe(true);
    expect(okOf('stub exercises/lab/leader-lease.ts marks where to work with TODO')).toBe(true);
    expect(okOf('stub and solution export the same names')).toBe(true);
    expect(okOf('grader fails on the untouched')).toBe(true);
    // ...and what the author still has to write:
    expect(okOf('has at least 3 hints')).toBe(false);
    expect(okOf('guide section')).toBe(false);
    expect(okOf('variants folder')).toBe(false);
    expect(okOf('stub exercises/lab/leader-lease.ts is the one recorded')).toBe(false);
    expect(byClaim[`stub exercises/lab/leader-lease.ts is the one recorded in ${STUB_HASHES_FILE}`]!.problem).toContain('npm run author -- stubs');
    expect(okOf('grader passes on solutions/lab/leader-lease.ts')).toBe(false);
    expect(byClaim['has at least 3 hints']!.problem).toContain('checker/manifest/lab/leader-lease.ts');
  }, 60_000);
});
