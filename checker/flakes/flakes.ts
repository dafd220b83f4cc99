import path from 'node:path';
import type { ExerciseEntry, Manifest } from '../manifest/types.ts';
import { allExercises } from '../manifest/index.ts';
import type { GradeResult } from '../engine/results.ts';
import { isPass } from '../engine/results.ts';
import { createRng } from '../sim/rng.ts';
import { countFlag, intFlag, MAX_SEED, parseCommandArgs, seedFlag } from '../cli/args.ts';
import { UsageError } from '../cli/command.ts';
import { resolveExercise } from '../core/resolve.ts';
import { runPool } from '../core/submissions.ts';

/**
 * `npm run flakes`: the "no flakes" standard, measured. A verdict must depend only on the file and
 * the seed, and every reference (and every kept correct alternative) must pass every grader on
 * every seed; the labs' students run their tests hundreds of times to find a flake, here each
 * failing seed is a replayable bug in a grader, the harness or the simulator. This file is the
 * pure core: which exercises, which seeds, grading through an injected function (run.ts passes
 * the engine's own verdict path), the outcome of each seed and the lines that report them.
 */

/** One file graded on many seeds: an exercise's reference, or one of its kept correct alternatives. */
export interface FlakeTarget {
  readonly entry: ExerciseEntry;
  /** `reference`, or the correct alternative's name (`correct-...`). */
  readonly label: string;
  /** Absolute path of the file to grade. */
  readonly file: string;
}

export interface SeedOutcome {
  readonly target: FlakeTarget;
  readonly seed: number;
  readonly pass: boolean;
  /** For a failure: each failing requirement's id and, in a line, why. */
  readonly failing: readonly { readonly id: string; readonly why: string }[];
  readonly ms: number;
  /**
   * The first verdict only timed out (the wall-clock guard against infinite loops, not a check)
   * and a second verdict on the same seed passed: the machine was too loaded, the code did not hang.
   */
  readonly slowOnce?: { readonly failing: SeedOutcome['failing'] };
}

export interface TargetSummary {
  readonly target: FlakeTarget;
  readonly seeds: number;
  readonly failedSeeds: readonly number[];
  /** Seeds whose first verdict only timed out and whose second passed (see SeedOutcome.slowOnce). */
  readonly slowSeeds: readonly number[];
  readonly ms: number;
}

/** Did every requirement that did not pass time out (and none fail a check or crash)? */
export function onlyTimedOut(result: GradeResult): boolean {
  const notPassed = result.requirements.filter((r) => r.status !== 'passed');
  return !result.loadProblem && notPassed.length > 0 && notPassed.every((r) => r.status === 'timed-out' || r.status === 'not-run');
}

/** N distinct seeds in 0..MAX_SEED drawn from `from`: the same `from` always gives the same seeds. */
export function drawSeeds(from: number, count: number): number[] {
  const rng = createRng(from);
  const seeds = new Set<number>();
  while (seeds.size < count) seeds.add(rng.int(0, MAX_SEED));
  return [...seeds];
}

/**
 * Does this grader run its checks on the simulator? True when it imports checker/sim/sim.ts,
 * directly or through files of ours it imports (a harness): so every later module on the
 * simulator is in the default selection without a list to keep. `read` gives a file's text.
 */
export function usesSimulator(graderFile: string, read: (file: string) => string | undefined): boolean {
  const seen = new Set<string>();
  const visit = (file: string): boolean => {
    if (seen.has(file)) return false;
    seen.add(file);
    const text = read(file);
    if (text === undefined) return false;
    for (const match of text.matchAll(/^\s*import\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      if (match[0].startsWith('import type')) continue;
      const imported = path.resolve(path.dirname(file), match[1]!);
      if (imported.endsWith(`${path.sep}sim${path.sep}sim.ts`) || visit(imported)) return true;
    }
    return false;
  };
  return visit(graderFile);
}

/** The command that replays one failing seed of a target exactly as it was graded. */
export function replayFor(target: FlakeTarget, seed: number): string {
  return target.label === 'reference'
    ? `npm run exercise -- run ${target.entry.id} --solution --seed ${seed}`
    : `npm run flakes -- ${target.entry.id} --seed ${seed}`;
}

function firstLine(text: string, max = 160): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What failed in a verdict, a line per requirement (our own files are graded: no learner text). */
export function failingOf(result: GradeResult): SeedOutcome['failing'] {
  if (result.loadProblem) return [{ id: '(load)', why: firstLine(result.loadProblem.message) }];
  if (result.requirements.length === 0) return [{ id: '(none)', why: 'no requirement ran' }];
  return result.requirements
    .filter((r) => r.status !== 'passed')
    .map((r) => ({
      id: r.id,
      why: r.report ? firstLine(`expected ${r.report.expected}; actually ${r.report.actual}`) : r.problem ? firstLine(`${r.status}: ${r.problem.message}`) : r.status,
    }));
}

export interface RunFlakesOptions {
  readonly targets: readonly FlakeTarget[];
  readonly seeds: readonly number[];
  /** Gradings side by side (each one worker). */
  readonly jobs: number;
  /** Grades one file on one seed exactly as a verdict does. */
  grade(target: FlakeTarget, seed: number): Promise<GradeResult>;
  /** Told each outcome as it comes (to print a failure at once). */
  onOutcome?(outcome: SeedOutcome): void;
  /** Milliseconds since some fixed point (injected so tests need no clock). */
  now?(): number;
  readonly signal?: AbortSignal;
}

/** Grades every target on every seed; returns a summary per target, in the order given. */
export async function runFlakes(options: RunFlakesOptions): Promise<TargetSummary[]> {
  const now = options.now ?? (() => performance.now());
  const tasks = options.targets.flatMap((target) =>
    options.seeds.map((seed) => async (): Promise<SeedOutcome | undefined> => {
      const start = now();
      const first = await options.grade(target, seed);
      if (options.signal?.aborted) return undefined; // interrupted (Ctrl-C): no verdict, no flake
      // A verdict depends only on the file and the seed, except the guard, which is wall-clock:
      // a time-out is graded once more, and counts as a flake only if it happens again.
      const again = onlyTimedOut(first) ? await options.grade(target, seed) : undefined;
      if (options.signal?.aborted) return undefined;
      const result = again ?? first;
      const pass = isPass(result);
      const outcome: SeedOutcome = {
        target, seed, pass, failing: pass ? [] : failingOf(result), ms: now() - start,
        ...(again && pass ? { slowOnce: { failing: failingOf(first) } } : {}),
      };
      options.onOutcome?.(outcome);
      return outcome;
    }),
  );
  const outcomes = (await runPool(tasks, options.jobs, options.signal)).filter((o): o is SeedOutcome => o !== undefined);
  return options.targets.map((target) => {
    const mine = outcomes.filter((o) => o.target === target);
    return {
      target,
      seeds: mine.length,
      failedSeeds: mine.filter((o) => !o.pass).map((o) => o.seed),
      slowSeeds: mine.filter((o) => o.slowOnce).map((o) => o.seed),
      ms: mine.reduce((sum, o) => sum + o.ms, 0),
    };
  });
}

/** The lines that report one failing seed: what failed, then how to replay it. */
export function renderFailure(outcome: SeedOutcome): string[] {
  const name = outcome.target.label === 'reference' ? outcome.target.entry.id : `${outcome.target.entry.id} (${outcome.target.label})`;
  return [
    `FLAKE ${name} on seed ${outcome.seed}:`,
    ...outcome.failing.map((f) => `  ${f.id}: ${f.why}`),
    `  replay: ${replayFor(outcome.target, outcome.seed)}`,
  ];
}

/** The lines that report a seed that timed out once and passed when graded again. */
export function renderSlow(outcome: SeedOutcome): string[] {
  const name = outcome.target.label === 'reference' ? outcome.target.entry.id : `${outcome.target.entry.id} (${outcome.target.label})`;
  return [
    `slow ${name} on seed ${outcome.seed}: timed out (the machine was busy), then passed when graded again:`,
    ...(outcome.slowOnce?.failing ?? []).map((f) => `  ${f.id}: ${f.why}`),
    `  replay: ${replayFor(outcome.target, outcome.seed)}`,
  ];
}

/** The closing table: a row per target, then a total line. */
export function renderSummary(summaries: readonly TargetSummary[], wallMs: number): string[] {
  const name = (s: TargetSummary): string => (s.target.label === 'reference' ? s.target.entry.id : `${s.target.entry.id} ${s.target.label}`);
  const width = Math.max(10, ...summaries.map((s) => name(s).length));
  const rows = summaries.map((s) => {
    const failed = s.failedSeeds.length;
    const list = (seeds: readonly number[]): string => `${seeds.slice(0, 5).join(', ')}${seeds.length > 5 ? ', ...' : ''}`;
    const slow = s.slowSeeds.length > 0 ? ` (${s.slowSeeds.length} timed out once, passed again: ${list(s.slowSeeds)})` : '';
    const verdict = `${failed === 0 ? 'ok' : `FAILED on ${failed}: ${list(s.failedSeeds)}`}${slow}`;
    return `${name(s).padEnd(width)}  ${String(s.seeds).padStart(5)} seeds  ${(s.ms / Math.max(1, s.seeds) / 1000).toFixed(1).padStart(5)} s/seed  ${verdict}`;
  });
  const seeds = summaries.reduce((sum, s) => sum + s.seeds, 0);
  const failed = summaries.reduce((sum, s) => sum + s.failedSeeds.length, 0);
  const slow = summaries.reduce((sum, s) => sum + s.slowSeeds.length, 0);
  const slowSaid = slow > 0 ? ` (${slow} timed out once under load and passed when graded again)` : '';
  return [...rows, `${failed === 0 ? 'No flakes' : `${failed} failing seed(s)`}: ${seeds} verdicts on ${summaries.length} file(s) in ${(wallMs / 1000).toFixed(0)} s${slowSaid}.`];
}

export const FLAKES_USAGE = 'flakes [id...] [--seeds N] [--jobs J] [--from SEED | --seed S] [--all]';
export const DEFAULT_SEEDS = 20;
export const DEFAULT_JOBS = 2;

export interface FlakesPlan {
  readonly entries: readonly ExerciseEntry[];
  readonly seeds: readonly number[];
  /** The seed the seeds were drawn from (undefined with --seed: that one seed only). */
  readonly from: number | undefined;
  readonly jobs: number;
}

/**
 * Reads `npm run flakes` arguments. Ids name exercises or challenges (as `run` takes them); none
 * means every exercise on the simulator, `--all` every exercise of the workbook. Seeds: N drawn
 * from `--from` (or from `randomFrom`, which the caller prints so the run replays), or exactly
 * `--seed S`. Throws a UsageError for bad input.
 */
export function planFlakes(
  argv: readonly string[],
  manifest: Manifest,
  options: { readonly randomFrom: () => number; readonly onSimulator: (entry: ExerciseEntry) => boolean },
): FlakesPlan {
  const args = parseCommandArgs({ name: 'flakes', usage: FLAKES_USAGE, flags: { seeds: 'string', jobs: 'string', from: 'string', seed: 'string', all: 'boolean' } }, argv);
  const count = countFlag(args, 'seeds') ?? DEFAULT_SEEDS;
  const jobs = countFlag(args, 'jobs') ?? DEFAULT_JOBS;
  const one = seedFlag(args);
  const fromFlag = intFlag(args, 'from', { min: 0, max: MAX_SEED });
  if (one !== undefined && (fromFlag !== undefined || args.flags.seeds !== undefined)) throw new UsageError(`--seed grades one seed; it goes with neither --from nor --seeds.\nUsage: npm run flakes -- ${FLAKES_USAGE}`);
  if (args.flags.all === true && args.positionals.length > 0) throw new UsageError(`--all grades every exercise; name ids or give --all, not both.\nUsage: npm run flakes -- ${FLAKES_USAGE}`);
  const named = args.positionals.map((q) => resolveExercise(manifest, q));
  const entries = named.length > 0 ? [...new Set(named)] : allExercises(manifest).filter((e) => args.flags.all === true || options.onSimulator(e));
  const from = one === undefined ? (fromFlag ?? options.randomFrom()) : undefined;
  return { entries, seeds: one !== undefined ? [one] : drawSeeds(from!, count), from, jobs };
}
