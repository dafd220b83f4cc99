import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest, allExercises } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { toGradescope } from '../core/gradescope.ts';
import { findSubmissions, gradeSubmissionExercise, runPool } from '../core/submissions.ts';
import { gradescopePaths } from '../cli/commands/grade.ts';
import { compileGrader } from './compile.ts';
import { gradeFile } from './grade.ts';
import { runDemo } from './demo.ts';
import { isPass, type GradeResult } from './results.ts';
import { exercisePath, graderPath, solutionPath } from './targets.ts';
import { KEPT_BYTES } from './sandbox/output.ts';
import { verifyContentAddressed } from './sandbox/content-address.ts';
import { folderContentHash } from '../build-cache.mjs';

/**
 * Hostile submissions. Each one tries what a learner with the repository could try to get a pass
 * without the work, or to touch the grading machine: forge the result channel, read a grader,
 * import the reference, write outside its folder, start a process, tell it is being graded, eat
 * memory, print without end; or it is not a file at all. Every one must come out as a non-pass
 * with a plain reason, leave the checkout and the home folder as they were, and leave every
 * honest learner graded right beside it.
 */

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const hostile = path.join(fixtures, 'hostile');
const LIMITS = { timeoutMs: 2000, memoryLimitMb: 128 } as const;

/** sha-256 of every file under the folders, by path: what must not change. */
function checksum(dirs: readonly string[]): Map<string, string> {
  const sums = new Map<string, string>();
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) sums.set(file, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
      else sums.set(file, 'special');
    }
  };
  dirs.forEach(walk);
  return sums;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
// Bundles written or touched from here on are this suite's (older ones are never rewritten by a
// grading run, only added beside, so a changed one would show a fresh mtime).
const suiteStarted = Date.now() - 1000;
const fakeHome = path.join(tmp, 'home');
const realHome = process.env.HOME;
const checkout = [path.join(WORKBOOK_ROOT, 'checker', 'graders'), path.join(WORKBOOK_ROOT, 'solutions'), path.join(WORKBOOK_ROOT, 'exercises'), hostile];
/** Compiled bundles: named by their content hash, so "untouched" means every one still matches its name. */
const builds = [path.join(WORKBOOK_ROOT, '.workbook', 'build'), path.join(fixtures, '.workbook', 'build')];
let before: Map<string, string>;

beforeAll(() => {
  fs.mkdirSync(fakeHome);
  process.env.HOME = fakeHome;
  before = checksum(checkout);
});
afterAll(() => {
  process.env.HOME = realHome;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('hostile code against a grader', () => {
  const grade = (file: string): Promise<GradeResult> =>
    gradeFile({ exerciseId: 'test/adder', graderPath: path.join(fixtures, 'adder.grader.ts'), targetPath: path.join(hostile, file), seed: 1, runs: 10, root: fixtures, ...LIMITS });
  // What each attempt must be reported as: the load problem, or the first requirement's problem.
  const expected: Record<string, RegExp> = {
    'forge-port.ts': /^tried to import "node:worker_threads", which graded code cannot reach/,
    'forge-global.ts': /^tried to use parentPort, which graded code cannot reach/,
    'read-grader.ts': /^tried to import "\.\.\/adder\.grader\.ts"/,
    'import-solution.ts': /^tried to import "\.\.\/good\.ts"/,
    'write-outside.ts': /^tried to use require, which graded code cannot reach/,
    'dynamic-import.ts': /^tried to use import\("node:fs"\)/,
    'spawn.ts': /^tried to import "node:child_process"/,
    'detect-worker.ts': /^tried to use process\.versions/,
    'patch-builtins.ts': /^tried to change a shared built-in .*stringify/,
    'exhaust-memory.ts': /^out of memory in "adds two positive numbers"/,
    'print-forever.ts': /^this check did not finish within 2 s/,
    'exits.ts': /^your code called process\.exit\(\), a function graded code does not have/,
  };

  it.each(Object.entries(expected))('%s is refused, reported as such, and does not pass', async (file, message) => {
    const result = await grade(file);
    expect(isPass(result)).toBe(false);
    const problem = result.loadProblem ?? result.requirements[0]?.problem;
    expect(problem?.message, JSON.stringify(result)).toMatch(message);
    // Located at the attempt in the learner's own file.
    if (problem?.kind !== 'memory') expect(problem?.location?.file).toBe(path.join('hostile', file));
  });

  it('stack-escape.ts gets no grader object from V8 call sites: its wrong sums fail', async () => {
    const result = await grade('stack-escape.ts');
    expect(result.requirements.map((r) => r.status)).toEqual(['failed', 'failed']);
  });

  it('print-flood.ts: 100 MB printed, 64 KB kept, the rest counted', async () => {
    const result = await grade('print-flood.ts');
    const output = result.requirements[0]?.output ?? [];
    expect(result.requirements[0]?.status).toBe('failed');
    expect(output.slice(0, -1).join('').length).toBeLessThanOrEqual(KEPT_BYTES);
    expect(output.at(-1)).toMatch(/^… and \d+ more bytes$/);
    expect(Number(/(\d+)/.exec(output.at(-1)!)![1]) + KEPT_BYTES).toBe(1600 * 64 * 1024);
  });

  it('left no file behind and changed nothing', () => {
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
    expect(fs.existsSync('/tmp/pwned-grader')).toBe(false);
    expect(fs.readdirSync(fakeHome)).toEqual([]);
  });
});

describe('a batch mixing hostile and honest learners', () => {
  const entry = allExercises(manifest).find((e) => e.kind === 'pattern')!;
  const batch = path.join(tmp, 'batch');
  const stub = fs.readFileSync(exercisePath(WORKBOOK_ROOT, entry), 'utf8');
  const reference = fs.readFileSync(solutionPath(WORKBOOK_ROOT, entry), 'utf8');
  /** The stub with its first exported class wrapped so `attack` runs whenever the grader builds one. */
  const stubRunning = (attack: string): string => {
    const name = /export class (\w+)/.exec(stub)![1]!;
    return `${stub.replace(`export class ${name}`, `class Stub${name}`)}
export class ${name} extends Stub${name} {
  constructor(...args: ConstructorParameters<typeof Stub${name}>) {
    ${attack}
    super(...args);
  }
}
`;
  };
  const place = (learner: string, contents?: string): string => {
    const file = path.join(batch, learner, 'exercises', entry.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (contents !== undefined) fs.writeFileSync(file, contents);
    return file;
  };
  const honest = ['honest', 'package.json', 'a b'];
  let outcomes: Map<string, GradeResult>;

  beforeAll(async () => {
    for (const learner of honest) place(learner, reference);
    place('a_b', stub);
    place('stub', stub);
    const relativeFile = place('relative-solution');
    fs.writeFileSync(relativeFile, `export * from '${path.relative(path.dirname(relativeFile), solutionPath(WORKBOOK_ROOT, entry))}';\n`);
    place('absolute-solution', `export * from '${solutionPath(WORKBOOK_ROOT, entry)}';\n`);
    const compiledGrader = await compileGrader(WORKBOOK_ROOT, graderPath(WORKBOOK_ROOT, entry));
    place('compiled-grader', `export * from '${compiledGrader}';\n`);
    before.set('grader bundle', createHash('sha256').update(fs.readFileSync(compiledGrader)).digest('hex'));
    place('write-home', `${stub}\ntry { (globalThis as any).require('node:fs').writeFileSync('${fakeHome}/pwned', 'x'); } catch {}\n`);
    place('rewrite-grader', `import { writeFileSync } from 'node:fs';\nwriteFileSync('${graderPath(WORKBOOK_ROOT, entry)}', '');\n${stub.replace(/^import .*$/gm, '')}`);
    place('spawn', `import { execSync } from 'node:child_process';\nexecSync('touch ${fakeHome}/spawned');\n${stub.replace(/^import .*$/gm, '')}`);
    place('memory', stubRunning('const hoard: number[][] = []; for (;;) hoard.push(new Array(1_000_000).fill(1));'));
    // 100 MB, once per worker (a flag on its own global), then on as the stub.
    place('flood', stubRunning("const own = globalThis as any; if (!own.flooded) { own.flooded = true; for (let i = 0; i < 1600; i++) console.log('x'.repeat(65536)); }"));
    place('exits', stubRunning('(globalThis as any).process.exit(0);'));
    // Not files at all.
    execFileSync('mkfifo', [place('fifo')]);
    fs.symlinkSync('/dev/zero', place('dev-zero'));
    fs.mkdirSync(place('folder'));
    fs.mkdirSync(path.join(batch, 'linked', 'exercises'), { recursive: true });
    fs.symlinkSync(path.dirname(solutionPath(WORKBOOK_ROOT, entry)), path.join(batch, 'linked', 'exercises', path.dirname(entry.file)));

    const submissions = findSubmissions([batch]);
    const results = await runPool(
      submissions.map((submission) => () => gradeSubmissionExercise({ root: WORKBOOK_ROOT, submission, entry, seed: 7, runs: 20, ...LIMITS })),
      2,
    );
    outcomes = new Map(submissions.map((s, i) => [s.learner, results[i]!]));
  });

  it('grades every learner: honest ones pass, every other one does not', () => {
    const learners = [...outcomes.keys()].sort();
    expect(learners).toEqual(
      ['a b', 'a_b', 'absolute-solution', 'compiled-grader', 'dev-zero', 'exits', 'fifo', 'flood', 'folder', 'honest', 'linked', 'memory', 'package.json', 'relative-solution', 'rewrite-grader', 'spawn', 'stub', 'write-home'].sort(),
    );
    for (const [learner, result] of outcomes) {
      expect(isPass(result), `${learner}: ${JSON.stringify(result.loadProblem ?? result.requirements.filter((r) => r.status !== 'passed').slice(0, 1))}`).toBe(
        honest.includes(learner),
      );
    }
  });

  it('gives each refusal a one-line reason', () => {
    const reason = (learner: string): string => outcomes.get(learner)!.loadProblem?.message ?? outcomes.get(learner)!.requirements.find((r) => r.problem)?.problem?.message ?? '';
    expect(reason('relative-solution')).toMatch(/^tried to import ".*solutions/);
    expect(reason('absolute-solution')).toMatch(/^tried to import ".*solutions/);
    expect(reason('compiled-grader')).toMatch(/^tried to import ".*\.workbook\/build\/graders/);
    expect(reason('write-home')).toMatch(/^tried to use require/);
    expect(reason('rewrite-grader')).toMatch(/^tried to import "node:fs"/);
    expect(reason('spawn')).toMatch(/^tried to import "node:child_process"/);
    expect(reason('memory')).toMatch(/^out of memory in "/);
    expect(reason('exits')).toMatch(/process\.exit\(\)/);
    expect(reason('fifo')).toMatch(/is a FIFO \(named pipe\); only a regular file is graded$/);
    expect(reason('dev-zero')).toMatch(/is a symbolic link; only regular files and folders inside the submission are read$/);
    expect(reason('folder')).toMatch(/is a folder; only a regular file is graded$/);
    expect(reason('linked')).toMatch(/is a symbolic link; only regular files and folders inside the submission are read$/);
    for (const result of outcomes.values()) {
      for (const text of [result.loadProblem?.message, ...result.requirements.map((r) => r.problem?.message)]) expect(text ?? '').not.toContain('\n');
      for (const r of result.requirements) expect((r.output ?? []).join('').length).toBeLessThanOrEqual(KEPT_BYTES + 100);
    }
  });

  it('writes one Gradescope file per learner, even for names that sanitize alike', () => {
    const targets = gradescopePaths(path.join(tmp, 'gradescope'), [...outcomes.keys()]);
    expect(new Set(targets.values()).size).toBe(outcomes.size);
    const full = toGradescope('a b', [outcomes.get('a b')!]);
    const none = toGradescope('a_b', [outcomes.get('a_b')!]);
    expect(full.score).toBe(full.max_score);
    expect(none.score).toBeLessThan(none.max_score);
  });

  it('leaves the checkout, the compiled graders and the home folder untouched', async () => {
    const after = checksum(checkout);
    const compiledGrader = await compileGrader(WORKBOOK_ROOT, graderPath(WORKBOOK_ROOT, entry));
    after.set('grader bundle', createHash('sha256').update(fs.readFileSync(compiledGrader)).digest('hex'));
    for (const [file, sum] of before) expect(after.get(file), file).toBe(sum);
    for (const file of checksum(builds).keys()) {
      // Bundles an older workbook version left in the build folder (other naming schemes) are
      // never loaded; every bundle this run wrote, or that anything since rewrote, is checked.
      const fresh = fs.statSync(file).mtimeMs >= suiteStarted;
      // The CLI's bundle is a folder of chunks named by the hash of them all (checked below).
      const inCliBuild = builds.some((dir) => file.startsWith(path.join(dir, 'cli') + path.sep));
      if (fresh && !inCliBuild && file.endsWith('.mjs')) expect(() => verifyContentAddressed(file), file).not.toThrow();
    }
    for (const cliBuilds of builds.map((dir) => path.join(dir, 'cli')).filter((dir) => fs.existsSync(dir))) {
      for (const name of fs.readdirSync(cliBuilds).filter((n) => /^[0-9a-f]{16}$/.test(n))) expect(folderContentHash(path.join(cliBuilds, name)), name).toBe(name);
    }
    expect(fs.readdirSync(fakeHome)).toEqual([]);
  });
});

describe('a demo run against hostile code', () => {
  it('keeps the same boundary: the attempt stops the demo with its reason', async () => {
    const entry = allExercises(manifest).find((e) => e.kind === 'pattern' && e.demo)!;
    const file = path.join(tmp, 'demo', entry.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${fs.readFileSync(solutionPath(WORKBOOK_ROOT, entry), 'utf8')}\nconst stolen = (globalThis as any).process.env;\n`);
    const lines: string[] = [];
    const problem = await runDemo({ root: WORKBOOK_ROOT, demoPath: path.join(WORKBOOK_ROOT, entry.demo!), targetPath: file, out: (line) => lines.push(line) });
    expect(problem).toMatchObject({ kind: 'forbidden', message: 'tried to use process.env, which graded code cannot reach' });
    expect(problem?.location?.file).toBe(file);
    expect(lines).toEqual([]);
  });
});
