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
import { renderGradeResult } from '../cli/render/verdict.ts';
import { renderGradeTable } from '../cli/render/grade-table.ts';
import { renderComplexity } from '../cli/render/complexity.ts';
import { compileGrader } from './compile.ts';
import { gradeFile } from './grade.ts';
import { runDemo } from './demo.ts';
import { isPass, type GradeResult } from './results.ts';
import { exercisePath, graderPath, solutionPath } from './targets.ts';
import { makeContext, type Grader } from './grader.ts';
import type { ExerciseEntry } from '../manifest/types.ts';
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

/** A character a terminal would obey (C0 but tab and newline, DEL, C1) or a bidi mark, override or isolate. */
const OBEYED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every string in plain data, to look for what JSON.stringify would hide as an escape. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/** No string in `value` holds a character a terminal would obey. */
function expectInert(value: unknown, what: string): void {
  for (const text of stringsOf(value)) expect(OBEYED.test(text), `${what}: ${JSON.stringify(text).slice(0, 200)}`).toBe(false);
}

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
    'hog-buffers.ts': /^out of memory in "adds two positive numbers": the code used more than the 320 MB/,
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

  /** Threads of this process: a worker thread that could not be stopped would still be among them. */
  const threads = (): number => Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]);
  /** Grading processes (sandbox/host.ts) still running under this one. */
  const hosts = (): string[] => {
    const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n');
    return children.filter((args) => /[\\/]host\.[0-9a-f]{16}\.mjs/.test(args));
  };

  it('native-sort.ts: a native call no thread can interrupt is killed at its guard, its process gone, the next check run', async () => {
    const before = threads();
    const started = Date.now();
    const result = await grade('native-sort.ts');
    const took = Date.now() - started;
    expect(result.requirements.map((r) => r.status)).toEqual(['timed-out', 'passed']);
    // A thread inside a native call cannot be paused to read its step or line: the time-out alone is said.
    expect(result.requirements[0]?.problem?.message).toMatch(/^this check did not finish within 2 s/);
    // The sort alone runs for over 10 s here; the guard, the pause that finds no way in (1.5 s),
    // and starting a fresh worker for the second check, with room for a loaded machine.
    expect(took).toBeLessThan(LIMITS.timeoutMs + 2000 + 4000);
    expect(hosts()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(threads()).toBeLessThanOrEqual(before);
  });

  it.each(['promise-chain.ts', 'microtask-flood.ts'])('%s: work that never settles is reported in the check that started it, the next check passes', async (file) => {
    const result = await grade(file);
    expect(result.requirements.map((r) => [r.id, r.status])).toEqual([
      ['adds-positives', result.requirements[0]!.problem?.kind === 'memory' ? 'crashed' : 'timed-out'],
      ['adds-negatives', 'passed'],
    ]);
    expect(result.requirements[0]?.problem?.message).toMatch(/^(this check did not finish within 2 s; it was stuck in this step: "add\(1, 2\)"|out of memory in "adds two positive numbers")/);
  });

  describe('output is inert', () => {
    const verdict = (result: GradeResult): string => renderGradeResult(result, { color: false, replay: 'npm run exercise -- run test/adder' });

    it('print-escapes.ts: screen clears, cursor moves, titles, links, C1 and bidi in console output are shown as escapes', async () => {
      const result = await grade('print-escapes.ts');
      expect(result.requirements[0]?.output).toEqual([
        '\\x1b[2J\\x1b[H\\x1b]0;owned\\x07\\x1b]8;;https://example.com\\x07click\\x1b]8;;\\x07',
        '\\x1b[3A\\x1b[2K\\x0dAll 2 requirements met.\\x9b1m \\u202egnp.exe',
      ]);
      expectInert(result, 'result');
      expectInert(verdict(result), 'verdict');
      expect(verdict(result)).toMatch(/\n0 of 2 requirements met\.\n/);
    });

    it('throw-escapes.ts: a thrown message is shown with its escapes, in the result and the verdict', async () => {
      const result = await grade('throw-escapes.ts');
      expect(result.requirements[0]?.problem?.message).toMatch(/: \\x1b\[2J\\x1b\[1;1HAll 2 requirements met\. \\u202eevil\\u2066$/);
      expectInert(result, 'result');
      expectInert(verdict(result), 'verdict');
    });

    it('load-escapes.ts: an error thrown while loading is shown with its escapes', async () => {
      const result = await grade('load-escapes.ts');
      expect(result.loadProblem?.message).toMatch(/^loading the file threw \w+: \\x1b\]0;owned\\x07\\u202eloaded$/);
      expectInert(result, 'result');
      expectInert(verdict(result), 'verdict');
    });

    const measure = (file: string): Promise<GradeResult> =>
      gradeFile({ exerciseId: 'test/counts', graderPath: path.join(fixtures, 'counts.grader.ts'), targetPath: path.join(hostile, file), seed: 1, runs: 10, root: fixtures, measure: true, timeoutMs: 10_000 });

    it('complexity-escapes.ts: a count that is no number is said so, inert, and never drawn as a count', async () => {
      const result = await measure('complexity-escapes.ts');
      expect(isPass(result)).toBe(true);
      expect(result.complexity).toEqual({ problem: 'could not measure: at N = 5 the count was "\\x1b[2J5\\u202e", not a number of messages' });
      expectInert(renderComplexity(result.complexity!, undefined, false), 'rendered');
    });

    it('complexity-flood.ts: a 64 MB count does not cross the worker boundary', async () => {
      const result = await measure('complexity-flood.ts');
      expect(result.complexity).toMatchObject({ problem: expect.stringMatching(/^could not measure: at N = 5 the count was "x+… and \d+ more characters", not a number of messages$/) });
      expect(JSON.stringify(result.complexity).length).toBeLessThan(400);
    });

    it('print-stack.ts: a printed stack names the learner\'s file and lines only, the grader\'s frames as one line', async () => {
      const result = await grade('print-stack.ts');
      const printed = result.requirements[0]?.output?.join('\n') ?? '';
      expect(printed).toMatch(/^stack: Error: again\n {2}at \S*add \(hostile\/print-stack\.ts:5:\d+\)\n {2}… in the grader$/m);
      for (const machine of [WORKBOOK_ROOT, os.tmpdir(), 'file:', 'grader.', '.mjs', '.cjs']) expect(printed).not.toContain(machine);
    });
  });

  it('left no file behind and changed nothing', () => {
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
    expect(fs.existsSync('/tmp/pwned-grader')).toBe(false);
    expect(fs.readdirSync(fakeHome)).toEqual([]);
  });
});

/**
 * What a grader hands learner code, and what simulated nodes share. The fixtures for raft nodes
 * are appended to the reference node, whose env they route through their `throughTheModule`.
 */
const raftEntry = allExercises(manifest).find((e) => e.id === 'raft/election')!;
const countersEntry = allExercises(manifest).find((e) => e.id === 'state/counters')!;
const persistenceEntry = allExercises(manifest).find((e) => e.id === 'raft/persistence')!;
function raftNodeThrough(fixture: string): string {
  const reference = fs.readFileSync(solutionPath(WORKBOOK_ROOT, raftEntry), 'utf8');
  const hook = '  constructor(private readonly env: RaftEnv) {';
  expect(reference).toContain(hook);
  const routed = reference.replace(hook, '  private readonly env: RaftEnv;\n  constructor(given: RaftEnv) {\n    const env = throughTheModule(given, this);\n    this.env = env;');
  // The reference imports the types the fixture names.
  return `${routed}\n${fs.readFileSync(path.join(hostile, fixture), 'utf8').replace(/^import type .*$/gm, '')}`;
}
function writeLearnerFile(name: string, contents: string): string {
  const file = path.join(tmp, 'learners', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, contents);
  return file;
}
const gradeAs = (entry: ExerciseEntry, targetPath: string, only?: readonly string[]): Promise<GradeResult> =>
  gradeFile({ exerciseId: entry.id, graderPath: graderPath(WORKBOOK_ROOT, entry), targetPath, seed: 3, runs: 20, root: WORKBOOK_ROOT, only, lanes: 1 });
const statuses = (result: GradeResult): Record<string, string> => Object.fromEntries(result.requirements.map((r) => [r.id, r.status]));

describe('graders never depend on learner-reachable state', () => {
  it('a G-Counter that cuts the replica list it is handed (nodes.length = 1) and merges nothing passes nothing', async () => {
    const result = await gradeAs(countersEntry, path.join(hostile, 'counters-shrink-replicas.ts'));
    // Every requirement of the grader was graded (none skipped past the trick).
    const reference = await gradeAs(countersEntry, solutionPath(WORKBOOK_ROOT, countersEntry));
    expect(result.requirements.map((r) => r.id)).toEqual(reference.requirements.map((r) => r.id));
    expect(reference.requirements.length).toBeGreaterThanOrEqual(6);
    // A merge that does nothing does leave its inputs alone: those two are met honestly, nothing else.
    expect(result.requirements.filter((r) => r.status === 'passed').map((r) => r.id)).toEqual(['gcounter-merge-leaves-inputs', 'pncounter-merge-leaves-inputs']);
  });

  it('a requirement\'s verdict is the same alone (--only) as in a full run, for hostile files too', async () => {
    const files: [ExerciseEntry, string][] = [
      [countersEntry, path.join(hostile, 'counters-shrink-replicas.ts')],
      [countersEntry, solutionPath(WORKBOOK_ROOT, countersEntry)],
      [raftEntry, writeLearnerFile('alone/raft-mailbox.ts', raftNodeThrough('raft-mailbox.ts'))],
    ];
    for (const [entry, file] of files) {
      const full = statuses(await gradeAs(entry, file));
      const ids = Object.keys(full).slice(0, 6);
      const alone = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, statuses(await gradeAs(entry, file, [id]))[id]] as const)));
      expect(alone, `${entry.id}: ${file}`).toEqual(Object.fromEntries(ids.map((id) => [id, full[id]])));
    }
  });
});

describe('simulated nodes share nothing but messages', () => {
  it('nodes that talk through a module-level mailbox elect a leader from one evaluation, and on machines of their own fail the partition and crash requirements', async () => {
    const file = writeLearnerFile('mailbox/raft-node.ts', raftNodeThrough('raft-mailbox.ts'));
    // One evaluation for every node (an imported module, as before): the mailbox carries the election.
    const grader = ((await import(graderPath(WORKBOOK_ROOT, raftEntry))) as { default: Grader<unknown> }).default;
    const shared = await import(file);
    await expect(Promise.resolve(grader.requirements.find((r) => r.id === 'initial-election')!.check(makeContext(shared, 3, 1)))).resolves.toBeUndefined();
    // Graded: each node its own evaluation, so the mailboxes are each node's own and stay empty.
    const result = statuses(await gradeAs(raftEntry, file, ['initial-election', 'reelection', 'no-leader-without-majority', 'random-elections-live']));
    expect(result).toEqual({ 'initial-election': 'failed', reelection: 'failed', 'no-leader-without-majority': 'failed', 'random-elections-live': 'failed' });
  });

  it('a node that persists into a module-level variable loses it when it restarts, as a new process would', async () => {
    const persistence = persistenceEntry;
    const file = writeLearnerFile('disk/raft-node.ts', raftNodeThrough('raft-disk-in-module.ts'));
    const grader = ((await import(graderPath(WORKBOOK_ROOT, persistence))) as { default: Grader<unknown> }).default;
    const shared = await import(file);
    // From one evaluation, the module's Map outlives every restart and does the persister's job.
    await expect(Promise.resolve(grader.requirements.find((r) => r.id === 'vote-survives-restart')!.check(makeContext(shared, 3, 1)))).resolves.toBeUndefined();
    const result = await gradeAs(persistence, file, ['vote-survives-restart', 'restart-all']);
    expect(statuses(result)).toEqual({ 'vote-survives-restart': 'failed', 'restart-all': 'failed' });
  });

  it('a node cannot change its persister, its clock or its peers, nor cancel another node\'s timers: it runs as the reference node and passes', async () => {
    const file = writeLearnerFile('mutate/raft-node.ts', raftNodeThrough('raft-mutate-persister.ts'));
    const shared = (await import(file)) as { attempts: string[]; RaftNode: new (env: never) => unknown };
    const result = await gradeAs(raftEntry, file, ['initial-election', 'reelection', 'random-elections-safe']);
    expect(statuses(result)).toEqual({ 'initial-election': 'passed', reelection: 'passed', 'random-elections-safe': 'passed' });
    // In-process, on the simulator itself: every attempt at the env it is handed is refused.
    const { Simulation } = await import('../sim/sim.ts');
    new Simulation({ seed: 1, nodes: [1, 2, 3], createNode: (env) => new shared.RaftNode(env as never) as never });
    expect(new Set(shared.attempts)).toEqual(new Set(['persister.save: refused', 'persister.readState: refused', 'clock.now: refused', 'peers: refused']));
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
  /** A folder name with a screen clear and a right-to-left override, as a table and a report show it. */
  const escapedName = 'name\x1b[2J\u202e';
  const escapedNameShown = 'name\\x1b[2J\\u202e';
  // Graded against their own exercises (below); raft-mutate-persister is refused every change it
  // tries, and is then the reference node.
  const simHonest = ['counters-honest', 'raft-honest', 'raft-mutate-persister'];
  const honest = ['honest', 'package.json', 'a b', escapedNameShown, ...simHonest];
  let outcomes: Map<string, GradeResult>;

  beforeAll(async () => {
    for (const learner of honest.filter((name) => name !== escapedNameShown && !simHonest.includes(name))) place(learner, reference);
    place(escapedName, reference);
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
    // 100 MB, once per evaluation (a flag in the module: its global object is frozen), then on as the stub.
    place('flood', `${stubRunning("if (!flooded.done) { flooded.done = true; for (let i = 0; i < 1600; i++) console.log('x'.repeat(65536)); }")}\nconst flooded = { done: false };\n`);
    place('exits', stubRunning('(globalThis as any).process.exit(0);'));
    place('buffers', stubRunning('const hoard: Uint8Array[] = []; for (;;) hoard.push(new Uint8Array(16 * 1024 * 1024).fill(1));'));
    place('native-sort', stubRunning('const big = new Uint8Array(64_000_000); for (let i = 0; i < big.length; i += 4096) big[i] = i % 251; for (let i = 0; i < 50; i++) big.sort().reverse();'));
    place('promise-chain', stubRunning('const link = (): Promise<void> => Promise.resolve().then(link); void link();'));
    place('microtask-flood', stubRunning('const again = (): void => queueMicrotask(again); again();'));
    // Text meant to rewrite the terminal, and a stack meant to show the grader and this machine.
    place('prints-escapes', stubRunning("console.log('\\x1b[2J\\x1b[1A\\rAll requirements met.\\x1b]8;;https://example.com\\x07\\u202e');"));
    place('throws-escapes', stubRunning("throw new Error('\\x1b[2J\\u202eowned');"));
    place('load-escapes', `${stub}\nthrow new Error('\\x1b]0;owned\\x07\\u202e');\n`);
    place('prints-stack', stubRunning("console.log(new Error('where').stack);"));
    // Not files at all.
    execFileSync('mkfifo', [place('fifo')]);
    fs.symlinkSync('/dev/zero', place('dev-zero'));
    fs.mkdirSync(place('folder'));
    fs.mkdirSync(path.join(batch, 'linked', 'exercises'), { recursive: true });
    fs.symlinkSync(path.dirname(solutionPath(WORKBOOK_ROOT, entry)), path.join(batch, 'linked', 'exercises', path.dirname(entry.file)));

    // Learners of the simulator and of the CRDT counters, in the same pool: the shared-list trick,
    // nodes talking through a module-level variable or persisting into one, a node changing its
    // persister; and the references beside them.
    const simBatch = path.join(tmp, 'sim-batch');
    const placeIn = (learner: string, exercise: ExerciseEntry, contents: string): void => {
      const file = path.join(simBatch, learner, 'exercises', exercise.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents);
    };
    placeIn('counters-honest', countersEntry, fs.readFileSync(solutionPath(WORKBOOK_ROOT, countersEntry), 'utf8'));
    placeIn('counters-shrink-replicas', countersEntry, fs.readFileSync(path.join(hostile, 'counters-shrink-replicas.ts'), 'utf8'));
    placeIn('raft-honest', raftEntry, fs.readFileSync(solutionPath(WORKBOOK_ROOT, raftEntry), 'utf8'));
    placeIn('raft-mailbox', raftEntry, raftNodeThrough('raft-mailbox.ts'));
    placeIn('raft-disk-in-module', persistenceEntry, raftNodeThrough('raft-disk-in-module.ts'));
    placeIn('raft-mutate-persister', raftEntry, raftNodeThrough('raft-mutate-persister.ts'));
    const simEntry = (learner: string): ExerciseEntry => (learner.startsWith('counters') ? countersEntry : learner === 'raft-disk-in-module' ? persistenceEntry : raftEntry);

    const submissions = [...findSubmissions([batch]).map((submission) => ({ submission, entry })), ...findSubmissions([simBatch]).map((submission) => ({ submission, entry: simEntry(submission.learner) }))];
    const results = await runPool(
      submissions.map(({ submission, entry: graded }) => () => gradeSubmissionExercise({ root: WORKBOOK_ROOT, submission, entry: graded, seed: 7, runs: 20, ...LIMITS })),
      2,
    );
    outcomes = new Map(submissions.map(({ submission }, i) => [submission.learner, results[i]!]));
    // Several learners here run into their guard (2 s, and the pause after it) on purpose.
  }, 240_000);

  it('grades every learner: honest ones pass, every other one does not', () => {
    const learners = [...outcomes.keys()].sort();
    expect(learners).toEqual(
      [
        ...['a b', 'a_b', 'absolute-solution', 'compiled-grader', 'dev-zero', 'exits', 'fifo', 'flood', 'folder', 'honest', 'linked', 'load-escapes', 'memory', escapedNameShown],
        ...['package.json', 'prints-escapes', 'prints-stack', 'relative-solution', 'rewrite-grader', 'spawn', 'stub', 'throws-escapes', 'write-home'],
        ...['buffers', 'native-sort', 'promise-chain', 'microtask-flood'],
        ...['counters-honest', 'counters-shrink-replicas', 'raft-honest', 'raft-mailbox', 'raft-disk-in-module', 'raft-mutate-persister'],
      ].sort(),
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
    expect(reason('buffers')).toMatch(/^out of memory in "/);
    expect(reason('native-sort')).toMatch(/^this check did not finish within 2 s/);
    expect(reason('promise-chain')).toMatch(/^(this check did not finish within 2 s|out of memory in ")/);
    expect(reason('microtask-flood')).toMatch(/^this check did not finish within 2 s/);
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

  it('shows what learners control inert: in the table, the results and each Gradescope file', () => {
    const learnerOutcomes = [...outcomes].map(([learner, result]) => ({ learner, dir: path.join(batch, learner), results: [result] }));
    expectInert(renderGradeTable(learnerOutcomes, { color: false }), 'table');
    expectInert([...outcomes.values()], 'results');
    for (const { learner, results } of learnerOutcomes) expectInert(toGradescope(learner, results), `Gradescope file of ${learner}`);
    const reason = (learner: string): string => outcomes.get(learner)!.loadProblem?.message ?? outcomes.get(learner)!.requirements.find((r) => r.problem)?.problem?.message ?? '';
    expect(reason('throws-escapes')).toMatch(/\\x1b\[2J\\u202eowned$/);
    expect(reason('load-escapes')).toMatch(/\\x1b\]0;owned\\x07\\u202e$/);
    expect(outcomes.get('prints-escapes')!.requirements.flatMap((r) => r.output ?? [])).toContain('\\x1b[2J\\x1b[1A\\x0dAll requirements met.\\x1b]8;;https://example.com\\x07\\u202e');
    expect(renderGradeTable(learnerOutcomes, { color: false })).toContain('name\\x1b');
  });

  it('shows a printed stack on Gradescope as the learner\'s file and lines, with no grader frame and no path of this machine', () => {
    const gradescope = JSON.stringify(toGradescope('prints-stack', [outcomes.get('prints-stack')!]));
    expect(gradescope).toMatch(new RegExp(`at [^()]+ \\(prints-stack/exercises/${entry.file.replace(/[.]/g, '\\.')}:\\d+:\\d+\\)`));
    expect(gradescope).toContain('… in the grader');
    for (const machine of [WORKBOOK_ROOT, batch, os.tmpdir(), 'file:', '.mjs', '.cjs']) expect(gradescope).not.toContain(machine);
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
