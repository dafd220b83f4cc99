import fs from 'node:fs';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { allExercises } from '../manifest/index.ts';
import type { ExerciseEntry } from '../manifest/types.ts';
import { loadRecord, notGradedFromLine, scopeLines, scoreExercise, type ExerciseScore, type MutantOutcome } from './score.ts';
import { renderScoreTable } from './table.ts';
import { ELSEWHERE_PREFIX } from './grade-mutant.ts';

/**
 * `npm run mutation [-- <exercise>...]`: mutation testing of the reference solutions with the
 * workbook's own graders as the test suite. One StrykerJS run per exercise mutates only that
 * exercise's solution (only its scope, when it shares the file: score.ts); each mutant is graded
 * by grade-mutant.ts through the public engine API,
 * inside a Stryker test runner of ours (stryker-runner.ts) that stays loaded between mutants.
 * Prints, per exercise, killed / survived / timed out / no coverage / recorded equivalent and the
 * score (killed + timed out) ÷ (mutants − recorded equivalent), then every unrecorded survivor;
 * writes Stryker's JSON report per exercise to reports/mutation/. Not part of `npm test`: it grades
 * every mutant, which takes many minutes. Exit 0 when the run completed, 1 when the harness itself
 * failed, 2 for an unknown exercise.
 *
 * Environment: MUTATION_RUNS (random schedules per randomised requirement, default 100),
 * MUTATION_SEED, MUTATION_CONCURRENCY (default 2), MUTATION_RUNNER=command (spawn grade-one.ts
 * per mutant instead), MUTATION_LOG_LEVEL (Stryker's, default warn).
 */

// Stryker declares its log levels as a const enum of plain strings ('warn', 'off', ...).
type LogLevel = NonNullable<ConstructorParameters<typeof Stryker>[0]['logLevel']>;

const root = process.cwd();
const reportDir = path.join(root, 'reports', 'mutation');
const harnessLog = path.join(root, '.workbook', 'mutation-harness.log');

function pick(args: readonly string[]): ExerciseEntry[] {
  const all = allExercises();
  if (args.length === 0) return all;
  return args.map((arg) => {
    const matches = all.filter((e) => e.id === arg || e.id.endsWith(`/${arg}`));
    if (matches.length !== 1) {
      process.stderr.write(`unknown or ambiguous exercise "${arg}"; one of:\n  ${all.map((e) => e.id).join('\n  ')}\n`);
      process.exit(2);
    }
    return matches[0]!;
  });
}

async function mutateOne(
  entry: ExerciseEntry,
  demoFrom: number | undefined,
  scope: readonly { start: number; end: number }[] | undefined,
  alsoGradedBy: readonly string[] | undefined,
): Promise<MutantOutcome[]> {
  const solution = `solutions/${entry.file}`;
  const reportFile = path.join(reportDir, `${entry.id.replaceAll('/', '__')}.json`);
  const stryker = new Stryker({
    // Default: our test runner plugin (stryker-runner.ts), which stays loaded between mutants.
    // MUTATION_RUNNER=command spawns grade-one.ts per mutant instead (slower, nothing shared).
    ...(process.env.MUTATION_RUNNER === 'command'
      ? { testRunner: 'command', commandRunner: { command: `node --import tsx checker/mutation/grade-one.ts ${entry.id}` } }
      : {
          testRunner: 'workbook-grader',
          plugins: [path.join(root, 'checker', 'mutation', 'stryker-runner.ts')],
          // Stryker's child processes load the plugin, a .ts file, so they need the TypeScript loader.
          testRunnerNodeArgs: ['--import', 'tsx'],
          checkerNodeArgs: ['--import', 'tsx'],
          workbookMutation: { exerciseId: entry.id, alsoGradedBy },
        }),
    // Stryker's line range syntax: only the exercise's scope, if it has one, and only the lines
    // before the demo program.
    mutate: scope
      ? scope.filter((r) => demoFrom === undefined || r.start < demoFrom).map((r) => `${solution}:${r.start}-${demoFrom === undefined ? r.end : Math.min(r.end, demoFrom - 1)}`)
      : [demoFrom === undefined ? solution : `${solution}:1-${demoFrom - 1}`],
    // Neither runner can tell which mutants a grading covers: every mutant is graded in full.
    coverageAnalysis: 'off',
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    // Generous: a grading compiles with esbuild and starts a worker (the command runner also
    // starts Node); a mutant that loops is stopped by the engine's own per-requirement guard first.
    timeoutMS: 60_000,
    timeoutFactor: 2,
    reporters: ['json'],
    jsonReporter: { fileName: reportFile },
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
    // The sandbox needs the sources, not caches, reports or progress.
    ignorePatterns: ['.workbook', 'reports', '.drafts', 'workbook-progress*.json', 'checker/variants/**/*.diff', 'quizzes'],
    disableTypeChecks: false,
    logLevel: (process.env.MUTATION_LOG_LEVEL ?? 'warn') as LogLevel,
    fileLogLevel: 'off' as LogLevel,
    allowConsoleColors: false,
    // `workbookMutation` is our runner's option, which Stryker's validator does not know.
    warnings: { unknownOptions: false, preprocessorErrors: true, unserializableOptions: true, slow: true },
  });
  const results = await stryker.runMutationTest();
  const source = fs.readFileSync(path.join(root, 'solutions', entry.file), 'utf8').split('\n');
  return results.map((r) => {
    const { start, end } = r.location;
    const lines = source.slice(start.line - 1, end.line);
    const original =
      lines.length === 1
        ? lines[0]!.slice(start.column - 1, end.column - 1)
        : [lines[0]!.slice(start.column - 1), ...lines.slice(1, -1), lines.at(-1)!.slice(0, end.column - 1)].join('\n');
    return {
      id: r.id,
      mutator: r.mutatorName,
      original,
      replacement: r.replacement ?? '',
      line: start.line,
      code: source[start.line - 1]!.trim(),
      status: r.status,
      ...(r.statusReason?.startsWith(ELSEWHERE_PREFIX) ? { killedElsewhere: r.statusReason.slice(ELSEWHERE_PREFIX.length).split(':')[0] } : {}),
    };
  });
}

async function main(): Promise<void> {
  const entries = pick(process.argv.slice(2));
  fs.mkdirSync(reportDir, { recursive: true });
  fs.mkdirSync(path.dirname(harnessLog), { recursive: true });
  fs.rmSync(harnessLog, { force: true });
  process.env.MUTATION_HARNESS_LOG = harnessLog;

  const scores: ExerciseScore[] = [];
  const started = Date.now();
  for (const entry of entries) {
    const began = Date.now();
    process.stderr.write(`mutating ${entry.id} ...\n`);
    const record = loadRecord(root, entry);
    const source = fs.readFileSync(path.join(root, 'solutions', entry.file), 'utf8');
    const demoFrom = notGradedFromLine(source, record.notGraded);
    const scope = record.scope && scopeLines(source, record.scope.functions);
    const outcomes = await mutateOne(entry, demoFrom, scope, record.scope?.alsoGradedBy);
    const score = { ...scoreExercise(entry.id, outcomes, record.mutants), demoFrom, scope: record.scope?.functions };
    scores.push({ ...score, seconds: (Date.now() - began) / 1000 });
    process.stderr.write(`  ${score.killed + score.timeout}/${score.total - score.equivalent} detected in ${((Date.now() - began) / 1000).toFixed(0)} s\n`);
  }
  process.stdout.write(`${renderScoreTable(scores, (Date.now() - started) / 1000)}\n`);

  if (fs.existsSync(harnessLog)) {
    process.stderr.write(`\nThe grading harness itself failed (these mutants count as killed, wrongly):\n${fs.readFileSync(harnessLog, 'utf8')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
