import fs from 'node:fs';
import path from 'node:path';
import { gradeExercise } from '../engine/grade-exercise.ts';
import { isPass } from '../engine/results.ts';
import { allExercises } from '../manifest/index.ts';
import { pinActiveMutant } from './pin-mutant.ts';

/**
 * Grades one mutant: the instrumented solution of one exercise (in a Stryker sandbox, the working
 * directory), with that exercise's grader, through the public engine API (`gradeExercise`). Used
 * by the Stryker test runner (stryker-runner.ts) and by the command-line twin grade-one.ts.
 *
 * Stryker's instrumented code finds the active mutant through a global or an environment
 * variable; graded code may run with neither (an isolated compartment), so the id is written into
 * a copy of the file (pin-mutant.ts) and that copy is graded.
 */

/** The harness itself failed: not a verdict on the mutant. Stryker would count it as a kill. */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

export interface MutantVerdict {
  readonly survived: boolean;
  /** Requirements that failed (or a load problem), when killed. */
  readonly killedBy: readonly string[];
  /** When the exercise's own grader passed it and another grader of the same file did not: that exercise. */
  readonly killedElsewhere?: string;
}

/** How a kill by another exercise's grader is told apart in Stryker's report (its status reason). */
export const ELSEWHERE_PREFIX = 'passed its own grader; failed the grader of ';

/** Random schedules per randomised requirement: fewer than a verdict's 500, for speed. */
export const MUTATION_RUNS = Number(process.env.MUTATION_RUNS ?? 100);
/** One fixed seed, so a score can be reproduced. */
export const MUTATION_SEED = Number(process.env.MUTATION_SEED ?? 20261130);

/**
 * `alsoGradedBy`: exercises whose solution is the same file (the raft module's four). A mutant the
 * exercise's own grader passes is graded by each of them in turn, and counts as killed if one
 * fails it: the workbook caught it, one exercise later.
 */
export async function gradeMutant(root: string, exerciseId: string, activeMutant: string | undefined, alsoGradedBy: readonly string[] = []): Promise<MutantVerdict> {
  const own = await gradeWith(root, exerciseId, exerciseId, activeMutant);
  if (!own.survived) return own;
  for (const other of alsoGradedBy) {
    const verdict = await gradeWith(root, exerciseId, other, activeMutant);
    if (!verdict.survived) return { ...verdict, killedElsewhere: other };
  }
  return own;
}

/** Grades the mutant of `mutatedId`'s solution with `graderId`'s grader (the same file for both). */
async function gradeWith(root: string, mutatedId: string, graderId: string, activeMutant: string | undefined): Promise<MutantVerdict> {
  const mutated = allExercises().find((e) => e.id === mutatedId);
  const entry = allExercises().find((e) => e.id === graderId);
  if (!mutated || !entry) throw new HarnessError(`unknown exercise id "${mutated ? graderId : mutatedId}"`);
  if (entry.file !== mutated.file) throw new HarnessError(`${graderId} grades ${entry.file}, not ${mutated.file}: it cannot grade ${mutatedId}'s mutants`);
  const solution = path.join(root, 'solutions', entry.file);
  // Pinned even without an active mutant (Stryker's first run, which must pass): the helper
  // must not depend on globals in either case.
  const pinned = pinActiveMutant(fs.readFileSync(solution, 'utf8'), activeMutant);
  if (typeof pinned !== 'string') throw new HarnessError(pinned.problem);
  // Several test runners may share one sandbox and grade side by side: one copy per process.
  const target = path.join(root, '.workbook', 'mutants', entry.id, `${path.basename(entry.file, '.ts')}.mutant-${process.pid}.ts`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, pinned);
  try {
    const result = await gradeExercise({ root, entry, target: { path: target }, seed: MUTATION_SEED, runs: MUTATION_RUNS });
    if (isPass(result)) return { survived: true, killedBy: [] };
    if (result.loadProblem?.kind === 'load' && /does not exist|grader stopped/.test(result.loadProblem.message)) {
      throw new HarnessError(`could not grade: ${result.loadProblem.message}`);
    }
    const killedBy = result.loadProblem
      ? [`(${result.loadProblem.kind}) ${result.loadProblem.message}`]
      : result.requirements.filter((r) => r.status !== 'passed').map((r) => `${r.id} ${r.status}`);
    return { survived: false, killedBy };
  } finally {
    fs.rmSync(target, { force: true });
  }
}

/** Appends a harness failure to MUTATION_HARNESS_LOG, which run.ts reads after the run. */
export function logHarnessError(exerciseId: string, activeMutant: string | undefined, message: string): void {
  const log = process.env.MUTATION_HARNESS_LOG;
  if (log) fs.appendFileSync(log, `${new Date().toISOString()} ${exerciseId} mutant ${activeMutant ?? '-'}: ${message}\n`);
}
