import fs from 'node:fs';
import path from 'node:path';
import { gradeExercise } from '../engine/grade-exercise.ts';
import { isPass } from '../engine/results.ts';
import { allExercises } from '../manifest/index.ts';
import { pinActiveMutant } from './pin-mutant.ts';

/**
 * The "test suite" Stryker's command runner calls once per mutant: grades the (instrumented)
 * solution of one exercise with that exercise's grader, through the public engine API, and exits
 * 0 when every requirement passes (the mutant survived) or 1 when any fails (killed).
 *
 *   node --import tsx checker/mutation/grade-one.ts <exercise-id>
 *
 * Runs with the Stryker sandbox as its working directory, so `solutions/` is the instrumented copy.
 * Stryker picks the active mutant from `process.env.__STRYKER_ACTIVE_MUTANT__` or a global; graded
 * code may run without either (an isolated compartment), so the id is written into a copy of the
 * file (see pin-mutant.ts) and that copy is graded.
 *
 * Any failure of this harness itself (not of the graded code) is appended to MUTATION_HARNESS_LOG:
 * Stryker counts every non-zero exit as a kill, and run.ts refuses a score built on harness errors.
 */

const EXIT_SURVIVED = 0;
const EXIT_KILLED = 1;

function harnessError(message: string): never {
  const log = process.env.MUTATION_HARNESS_LOG;
  if (log) fs.appendFileSync(log, `${new Date().toISOString()} ${process.argv[2] ?? '?'} mutant ${process.env.__STRYKER_ACTIVE_MUTANT__ ?? '-'}: ${message}\n`);
  process.stderr.write(`mutation harness: ${message}\n`);
  process.exit(EXIT_KILLED);
}

async function main(): Promise<void> {
  const exerciseId = process.argv[2];
  const entry = allExercises().find((e) => e.id === exerciseId);
  if (!entry) harnessError(`unknown exercise id "${exerciseId ?? ''}"`);
  const root = process.cwd();
  const solution = path.join(root, 'solutions', entry.file);
  const activeMutant = process.env.__STRYKER_ACTIVE_MUTANT__;

  // Pinned even without an active mutant (Stryker's first run, which must pass): the
  // instrumented helper must not depend on globals in either case.
  const pinned = pinActiveMutant(fs.readFileSync(solution, 'utf8'), activeMutant);
  if (typeof pinned !== 'string') harnessError(pinned.problem);
  // Stryker's test runners share one sandbox and grade mutants side by side: one copy per process.
  const target = path.join(root, '.workbook', 'mutants', entry.id, `${path.basename(entry.file, '.ts')}.mutant-${process.pid}.ts`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, pinned);

  const result = await gradeExercise({
    root,
    entry,
    target: { path: target },
    seed: Number(process.env.MUTATION_SEED ?? 20261130),
    runs: Number(process.env.MUTATION_RUNS ?? 100),
  });
  fs.rmSync(target, { force: true });

  if (isPass(result)) process.exit(EXIT_SURVIVED);
  if (result.loadProblem?.kind === 'load' && /does not exist|grader stopped/.test(result.loadProblem.message)) {
    harnessError(`could not grade: ${result.loadProblem.message}`);
  }
  const failed = result.loadProblem
    ? [`(load) ${result.loadProblem.message}`]
    : result.requirements.filter((r) => r.status !== 'passed').map((r) => `${r.id} ${r.status}`);
  if (process.env.MUTATION_VERBOSE) process.stderr.write(`killed by: ${failed.join(', ')}\n`);
  process.exit(EXIT_KILLED);
}

main().catch((error: unknown) => harnessError(error instanceof Error ? (error.stack ?? error.message) : String(error)));
