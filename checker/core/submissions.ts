import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../cli/command.ts';
import type { ExerciseEntry } from '../manifest/types.ts';
import type { Grader } from '../engine/grader.ts';
import { gradeExercise } from '../engine/grade-exercise.ts';
import type { CodeProblem, GradeResult, RequirementResult } from '../engine/results.ts';
import { graderPath } from '../engine/targets.ts';

/**
 * Batch grading of learner checkouts. A submission is a folder holding `exercises/`; we grade
 * each of its exercise files with OUR graders and ignore anything else it ships (its progress
 * file, its own graders, its own `checker/support/clock.ts`).
 *
 * Every file is graded from a copy placed inside this workbook
 * (node_modules/.cache/consensus-workbook/submissions/<learner>/<file>) whose `'#workbook/<name>'`
 * imports are pointed at OUR checker/support/<name>.ts, whether or not the submission has a
 * package.json with that mapping: a learner cannot swap the clock the graders drive. (The mapping
 * in our package.json cannot serve the copy: Node stops looking for a package.json at a
 * node_modules folder, so `#` imports do not resolve from inside node_modules.)
 */

export interface Submission {
  /** Folder name, made unique within the batch. */
  readonly learner: string;
  readonly dir: string;
}

export interface LearnerOutcome {
  readonly learner: string;
  readonly dir: string;
  /** One per graded exercise, in manifest order. */
  readonly results: readonly GradeResult[];
}

function hasExercises(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'exercises')) && fs.statSync(path.join(dir, 'exercises')).isDirectory();
}

/**
 * `dir` holding `exercises/` is one submission; otherwise each subfolder holding `exercises/` is
 * one. Throws a UsageError (exit 2) for a folder that does not exist or holds no submission.
 */
export function findSubmissions(dirs: readonly string[], cwd: string = process.cwd()): Submission[] {
  if (dirs.length === 0) throw new UsageError('Name at least one folder of submissions: `grade <dir>...`');
  const found: { learner: string; dir: string }[] = [];
  for (const given of dirs) {
    const dir = path.resolve(cwd, given);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`No such folder: ${given}`);
    if (hasExercises(dir)) {
      found.push({ learner: path.basename(dir), dir });
      continue;
    }
    const inside = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && hasExercises(path.join(dir, d.name)))
      .map((d) => d.name)
      .sort();
    if (inside.length === 0) {
      throw new UsageError(`${given} holds no submission: expected an exercises/ folder in it or in its subfolders`);
    }
    for (const name of inside) found.push({ learner: name, dir: path.join(dir, name) });
  }
  // Two folders with the same name (from two batches) must not overwrite each other's results.
  const seen = new Map<string, number>();
  return found.map(({ learner, dir }) => {
    const count = (seen.get(learner) ?? 0) + 1;
    seen.set(learner, count);
    return { learner: count === 1 ? learner : `${learner}-${count}`, dir };
  });
}

/** A learner name safe to use as a file or folder name. */
export function safeName(learner: string): string {
  return learner.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'learner';
}

const stagingRoot = (root: string): string => path.join(root, 'node_modules', '.cache', 'consensus-workbook', 'submissions');

export function stagingDir(root: string, learner: string): string {
  return path.join(stagingRoot(root), safeName(learner));
}

/**
 * Inside node_modules no package.json of ours applies, so without this one a copied `.ts` file
 * would have no declared module format and could be loaded as CommonJS.
 */
function ensureStagingPackage(root: string): void {
  const file = path.join(stagingRoot(root), 'package.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ name: 'graded-submissions', private: true, type: 'module' }, null, 2)}\n`);
}

/**
 * Points `'#workbook/<name>'` specifiers at our own support files (absolute paths), leaving
 * every other line as written so reported line numbers stay the learner's. Pure.
 */
export function pointImportsAtWorkbook(source: string, root: string): string {
  return source.replace(/(['"])#workbook\/([A-Za-z0-9_-]+)\1/g, (whole, quote: string, name: string) => {
    const support = path.join(root, 'checker', 'support', `${name}.ts`);
    return fs.existsSync(support) ? `${quote}${support}${quote}` : whole;
  });
}

/** Copies a submission's file into the workbook so its imports resolve against ours. */
export function stageFile(root: string, learner: string, entry: ExerciseEntry, source: string): string {
  ensureStagingPackage(root);
  const staged = path.join(stagingDir(root, learner), entry.file);
  fs.mkdirSync(path.dirname(staged), { recursive: true });
  fs.writeFileSync(staged, pointImportsAtWorkbook(fs.readFileSync(source, 'utf8'), root));
  return staged;
}

const declaredCache = new Map<string, readonly Omit<RequirementResult, 'status'>[] | null>();

/**
 * The requirements a grader declares, read by importing it here (graders have no side effects).
 * Used to list every requirement as not run when a learner's file is missing or does not load,
 * so each learner is scored out of the same total. Null when the grader itself cannot be loaded.
 */
export async function declaredRequirements(root: string, entry: ExerciseEntry): Promise<readonly Omit<RequirementResult, 'status'>[] | null> {
  const file = graderPath(root, entry);
  if (declaredCache.has(file)) return declaredCache.get(file)!;
  let declared: readonly Omit<RequirementResult, 'status'>[] | null = null;
  try {
    const grader = ((await import(pathToFileURL(file).href)) as { default: Grader<unknown> }).default;
    declared = grader.requirements.map((r) => ({ id: r.id, title: r.title, kind: r.kind, randomised: r.randomised ?? false }));
  } catch {
    declared = null;
  }
  declaredCache.set(file, declared);
  return declared;
}

/** Rewrites the staged copy's path back to the submission's own path, so reports name it. */
export function relocate(result: GradeResult, staged: string, original: string, shownAs: string, root?: string): GradeResult {
  const fix = (text: string): string => text.split(staged).join(original);
  // The engine reports files inside the workbook relative to its root, and the staged copy is inside.
  const absolute = (file: string): string => (root && !path.isAbsolute(file) ? path.join(root, file) : file);
  const fixProblem = (problem: CodeProblem | undefined): CodeProblem | undefined =>
    problem && {
      ...problem,
      message: fix(problem.message),
      ...(problem.location ? { location: { ...problem.location, file: fix(absolute(problem.location.file)) } } : {}),
    };
  return {
    ...result,
    target: shownAs,
    ...(result.loadProblem ? { loadProblem: fixProblem(result.loadProblem) } : {}),
    requirements: result.requirements.map((r) => (r.problem ? { ...r, problem: fixProblem(r.problem)! } : r)),
  };
}

/** A load problem (or missing file) lists every declared requirement as not run. */
async function withDeclared(root: string, entry: ExerciseEntry, result: GradeResult): Promise<GradeResult> {
  if (result.requirements.length > 0) return result;
  const declared = await declaredRequirements(root, entry);
  return declared ? { ...result, requirements: declared.map((r) => ({ ...r, status: 'not-run' as const })) } : result;
}

export interface GradeSubmissionOptions {
  readonly root: string;
  readonly submission: Submission;
  readonly entry: ExerciseEntry;
  readonly seed: number;
  readonly runs?: number;
  readonly timeoutMs?: number;
}

/** Grades one exercise of one submission; a missing or broken file is a result, never a throw. */
export async function gradeSubmissionExercise(options: GradeSubmissionOptions): Promise<GradeResult> {
  const { root, submission, entry, seed } = options;
  const source = path.join(submission.dir, 'exercises', entry.file);
  const shownAs = path.join(submission.learner, 'exercises', entry.file);
  if (!fs.existsSync(source)) {
    return withDeclared(root, entry, {
      exerciseId: entry.id,
      target: shownAs,
      seed,
      runs: options.runs ?? 0,
      loadProblem: { kind: 'load', message: `exercises/${entry.file} is missing from the submission` },
      requirements: [],
    });
  }
  const staged = stageFile(root, submission.learner, entry, source);
  const graded = await gradeExercise({ root, entry, target: { path: staged }, seed, runs: options.runs, timeoutMs: options.timeoutMs });
  return withDeclared(root, entry, relocate(graded, staged, source, shownAs, root));
}

/** Runs `tasks` with at most `limit` in flight, keeping results in task order. */
export async function runPool<T>(tasks: readonly (() => Promise<T>)[], limit: number, signal?: AbortSignal): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, async () => {
    while (next < tasks.length && !signal?.aborted) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  });
  await Promise.all(workers);
  return results;
}
