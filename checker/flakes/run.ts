import fs from 'node:fs';
import { manifest } from '../manifest/index.ts';
import type { ExerciseEntry } from '../manifest/types.ts';
import { freshSeed, gradeExercise } from '../engine/grade-exercise.ts';
import { stopCompiler } from '../engine/compile.ts';
import { graderPath, listCorrectAlternatives, materialiseVariant, solutionPath } from '../engine/targets.ts';
import { WorkbookError, EXIT } from '../cli/command.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { FLAKES_USAGE, planFlakes, renderFailure, renderSlow, renderSummary, runFlakes, usesSimulator, type FlakeTarget } from './flakes.ts';

/**
 * `npm run flakes -- [id...] [--seeds N] [--jobs J] [--from SEED | --seed S] [--all]`: grades each
 * exercise's reference solution, and each of its kept correct alternatives, on N fresh seeds
 * exactly as a verdict does (`gradeExercise`, the path `run --solution` takes: 500 schedules per
 * randomised requirement, a fresh worker per verdict). Prints every failing seed at once with its
 * replay command, then a summary per file. A verdict that only timed out (the wall-clock guard,
 * on a loaded machine) is graded once more and is a failure only if it times out again. Exit 0 with no failure, 1 with any, 2 for bad input,
 * 130 when interrupted. Not in `npm test` at this size (flakes.test.ts runs a fixed sample).
 */

const root = WORKBOOK_ROOT;

function targetsOf(entry: ExerciseEntry): FlakeTarget[] {
  const alternatives = listCorrectAlternatives(root, entry).map((alt) => ({ entry, label: alt.name, file: materialiseVariant(root, entry, alt) }));
  return [{ entry, label: 'reference', file: solutionPath(root, entry) }, ...alternatives];
}

function readIfThere(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const plan = planFlakes(argv, manifest, {
    randomFrom: freshSeed,
    onSimulator: (entry) => usesSimulator(graderPath(root, entry), readIfThere),
  });
  if (plan.entries.length === 0) {
    process.stdout.write('No exercise to grade.\n');
    return EXIT.ok;
  }
  const targets = plan.entries.flatMap(targetsOf);
  const seedsSaid = plan.from === undefined ? `seed ${plan.seeds[0]}` : `${plan.seeds.length} seeds drawn from --from ${plan.from}`;
  process.stdout.write(`Grading ${targets.length} file(s) of ${plan.entries.map((e) => e.id).join(', ')} on ${seedsSaid}, ${plan.jobs} at a time.\n`);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const start = performance.now();
  let done = 0;
  const total = targets.length * plan.seeds.length;
  const remaining = new Map(targets.map((t) => [t, plan.seeds.length]));
  const summaries = await runFlakes({
    targets,
    seeds: plan.seeds,
    jobs: plan.jobs,
    signal: controller.signal,
    grade: (target, seed) => gradeExercise({ root, entry: target.entry, target: { path: target.file }, seed, lanes: 1, signal: controller.signal }),
    onOutcome: (outcome) => {
      done++;
      if (!outcome.pass) process.stdout.write(`${renderFailure(outcome).join('\n')}\n`);
      else if (outcome.slowOnce) process.stdout.write(`${renderSlow(outcome).join('\n')}\n`);
      // A long run reports each file as its last seed is graded, so a stopped run still tells.
      const left = (remaining.get(outcome.target) ?? 1) - 1;
      remaining.set(outcome.target, left);
      if (left === 0) process.stdout.write(`done: ${outcome.target.entry.id} ${outcome.target.label}, ${done}/${total} verdicts after ${((performance.now() - start) / 1000).toFixed(0)} s\n`);
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} verdicts`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  process.stdout.write(`\n${renderSummary(summaries, performance.now() - start).join('\n')}\n`);
  if (controller.signal.aborted) {
    process.stdout.write(`Interrupted after ${done} of ${total} verdicts.\n`);
    return 130;
  }
  if (plan.from !== undefined) process.stdout.write(`Replay this whole run: npm run flakes -- ${argv.filter((a, i, all) => a !== '--from' && all[i - 1] !== '--from' && !a.startsWith('--from=')).join(' ')}${argv.length ? ' ' : ''}--from ${plan.from}\n`);
  return summaries.some((s) => s.failedSeeds.length > 0) ? EXIT.failed : EXIT.ok;
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    if (error instanceof WorkbookError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`flakes: ${error instanceof Error ? error.stack ?? error.message : String(error)}\nUsage: npm run flakes -- ${FLAKES_USAGE}\n`);
    return 1;
  })
  .then((code) => {
    stopCompiler();
    process.exitCode = code;
  });

