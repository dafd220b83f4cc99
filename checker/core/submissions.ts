import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../cli/command.ts';
import type { ExerciseEntry } from '../manifest/types.ts';
import type { Grader } from '../engine/grader.ts';
import { gradeExercise } from '../engine/grade-exercise.ts';
import type { GradeResult, RequirementResult } from '../engine/results.ts';
import { inertData, inert } from '../engine/sandbox/inert.ts';
import { graderPath } from '../engine/targets.ts';
import { importSource } from '../import-source.ts';

/**
 * Batch grading of learner checkouts. A submission is a folder holding `exercises/`; we grade
 * each of its exercise files with OUR graders and ignore anything else it ships (its progress
 * file, its own graders, its own `checker/support/clock.ts`).
 *
 * A submission is strangers' code run with the instructor's rights, so:
 *   - only regular files inside the submission are read: every folder on the way from the
 *     submission to the file must be a real folder (no symbolic link out of it), and the file
 *     itself a regular file under a size cap (engine/sandbox/gradable-file.ts); anything else is
 *     that learner's failure with a one-line reason, and the batch goes on;
 *   - nothing is copied into the workbook: the file is read once and compiled from its contents,
 *     its only import being our own `#workbook/*` support modules (engine/compile.ts), into this
 *     run's own temporary folder (removed when the run ends), under a name hashed from the file's
 *     path and contents, so learners and concurrent runs never share a staged file;
 *   - the code runs in a Compartment of a locked-down worker (engine/sandbox/): no filesystem,
 *     process, network or channel to the parent, so it cannot change the checkout, the compiled
 *     graders or another learner's grade.
 */

export interface Submission {
  /** Folder name, made inert (it reaches the table and every report) and unique within the batch. */
  readonly learner: string;
  readonly dir: string;
}

export interface LearnerOutcome {
  readonly learner: string;
  readonly dir: string;
  /** One per graded exercise, in manifest order. */
  readonly results: readonly GradeResult[];
}

/**
 * A folder whose `exercises` is a real folder, or a link: a linked one still makes a submission, so
 * that learner is listed (and fails, file by file, with the reason) instead of silently left out.
 */
function hasExercises(dir: string): boolean {
  try {
    const stat = fs.lstatSync(path.join(dir, 'exercises'));
    return stat.isDirectory() || stat.isSymbolicLink();
  } catch {
    return false;
  }
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
    // The folders the instructor names may be links; what is inside them may not.
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
  const taken = new Set<string>();
  return found.map(({ learner: raw, dir }) => {
    const learner = inert(raw, { oneLine: true });
    let name = learner;
    for (let count = 2; taken.has(name); count++) name = `${learner}-${count}`;
    taken.add(name);
    return { learner: name, dir };
  });
}

/** A learner name safe to use as a file or folder name (not unique by itself: see fileNamesFor). */
export function safeName(learner: string): string {
  return learner.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'learner';
}

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * A file name per learner, distinct for distinct learners even on a case-insensitive disk: the
 * safe name as it is when sanitizing left the name alone and nobody else shares it, else the safe
 * name plus a short hash of the raw name. Pure.
 */
export function fileNamesFor(learners: readonly string[]): Map<string, string> {
  const key = (name: string): string => name.toLowerCase();
  const sharing = new Map<string, number>();
  for (const learner of new Set(learners)) sharing.set(key(safeName(learner)), (sharing.get(key(safeName(learner))) ?? 0) + 1);
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const learner of learners) {
    if (names.has(learner)) continue;
    const safe = safeName(learner);
    let name = safe === learner && sharing.get(key(safe)) === 1 ? safe : `${safe}-${shortHash(learner)}`;
    // A raw name could itself look like "<safe>-<hash>" of another: number it then.
    for (let count = 2; used.has(key(name)); count++) name = `${safe}-${shortHash(learner)}-${count}`;
    used.add(key(name));
    names.set(learner, name);
  }
  return names;
}

/**
 * Why `relative` (a path inside the submission) cannot be graded, or undefined when every folder
 * on the way is a real folder. The file itself is checked when it is read.
 */
export function pathProblem(submissionDir: string, relative: string): string | undefined {
  const parts = relative.split('/');
  let at = submissionDir;
  for (const [index, part] of parts.entries()) {
    at = path.join(at, part);
    const shown = parts.slice(0, index + 1).join('/');
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(at);
    } catch {
      return `${shown} is missing from the submission`;
    }
    const last = index === parts.length - 1;
    if (stat.isSymbolicLink()) return `${shown} is a symbolic link; only regular files and folders inside the submission are read`;
    if (!last && !stat.isDirectory()) return `${shown} should be a folder`;
    if (last && stat.isDirectory()) return `${shown} is a folder; only a regular file is graded`;
  }
  return undefined;
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
    const grader = ((await importSource(pathToFileURL(file).href)) as { default: Grader<unknown> }).default;
    declared = grader.requirements.map((r) => ({ id: r.id, title: r.title, kind: r.kind, randomised: r.randomised ?? false }));
  } catch {
    declared = null;
  }
  declaredCache.set(file, declared);
  return declared;
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
  readonly memoryLimitMb?: number;
  readonly signal?: AbortSignal;
  /** Workers per file (see laneCount); a batch graded several files at a time wants one. */
  readonly lanes?: number;
}

/** Grades one exercise of one submission; a missing or unreadable file is a result, never a throw. */
export async function gradeSubmissionExercise(options: GradeSubmissionOptions): Promise<GradeResult> {
  const { root, submission, entry, seed } = options;
  const relative = path.posix.join('exercises', entry.file);
  const source = path.join(submission.dir, relative);
  const shownAs = path.join(submission.learner, relative);
  const problem = pathProblem(submission.dir, relative);
  if (problem) {
    return withDeclared(root, entry, {
      exerciseId: entry.id,
      target: shownAs,
      seed,
      runs: options.runs ?? 0,
      loadProblem: { kind: 'load', message: problem },
      requirements: [],
    });
  }
  const graded = await gradeExercise({
    root,
    entry,
    target: { path: source },
    seed,
    runs: options.runs,
    timeoutMs: options.timeoutMs,
    memoryLimitMb: options.memoryLimitMb,
    signal: options.signal,
    lanes: options.lanes,
  });
  // The file is named as in the submission, in stacks and locations too, never by this machine's path.
  const shown = inertData({ ...graded, target: shownAs }, [[source, shownAs]]);
  // Interrupted: return at once (listing the grader's requirements means importing it).
  if (options.signal?.aborted) return shown;
  return withDeclared(root, entry, shown);
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
