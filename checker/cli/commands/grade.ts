import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { EXIT, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.ts';
import { countFlag, seedFlag } from '../args.ts';
import { userPath } from '../user-path.ts';
import { manifest } from '../../manifest/index.ts';
import type { ExerciseEntry } from '../../manifest/types.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { allExercises } from '../../manifest/index.ts';
import { freshSeed, VERDICT_RUNS } from '../../engine/grade-exercise.ts';
import { graderPath } from '../../engine/targets.ts';
import { stopCompiler } from '../../engine/compile.ts';
import { countPassed } from '../../engine/results.ts';
import { toGradescope } from '../../core/gradescope.ts';
import { fileNamesFor, findSubmissions, gradeSubmissionExercise, runPool, type LearnerOutcome, type Submission } from '../../core/submissions.ts';
import { renderGradeTable } from '../render/grade-table.ts';
import { inert } from '../../engine/sandbox/inert.ts';

/**
 * `grade <dir>... [--exercise id[,id]] [--json] [--gradescope FILE] [--seed N] [--runs N] [--jobs N]`
 * Grades learners' checkouts with our graders. Every learner gets the same seed, so the same
 * random schedules. Exit 0 once grading completed, whatever the scores; 2 for bad arguments.
 */

function selectExercises(args: ParsedArgs): ExerciseEntry[] {
  const raw = args.flags['exercise'];
  if (raw === undefined) return allExercises(manifest);
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError('--exercise wants one or more exercise ids, comma-separated');
  const picked = raw.split(',').map((q) => resolveExercise(manifest, q));
  return allExercises(manifest).filter((e) => picked.includes(e));
}

/** Where each learner's results.json goes: one file per learner, never shared (fileNamesFor). */
export function gradescopePaths(file: string, learners: readonly string[]): Map<string, string> {
  const asDirectory = learners.length > 1 || /[\\/]$/.test(file) || (fs.existsSync(file) && fs.statSync(file).isDirectory());
  const names = fileNamesFor(learners);
  return new Map(learners.map((l) => [l, asDirectory ? path.join(file, `${names.get(l)!}.json`) : file]));
}

/** After Ctrl-C nothing may keep the batch alive: esbuild's service process included. */
function interrupted(io: CliIO): number {
  stopCompiler();
  io.err('Interrupted: nothing was written.');
  return EXIT.interrupted;
}

export const command: Command = {
  name: 'grade',
  summary: 'Grade one or many learner checkouts with the workbook graders (table, JSON or Gradescope results)',
  usage: 'grade <dir>... [--exercise <id>[,<id>]] [--json] [--gradescope FILE] [--seed N] [--runs N] [--jobs N]',
  flags: { json: 'boolean', gradescope: 'string', exercise: 'string', seed: 'string', runs: 'string', jobs: 'string' },
  async run(io: CliIO, args: ParsedArgs): Promise<number> {
    // npm runs scripts from the package root: folders are found where the instructor typed the command.
    const cwd = userPath(io, '.');
    const submissions: Submission[] = findSubmissions(args.positionals, cwd);
    // An exercise whose grader is not written yet is skipped (said once), never blamed on learners.
    const exercises = selectExercises(args).filter((entry) => {
      const present = fs.existsSync(graderPath(io.root, entry));
      if (!present) io.err(`Skipping ${entry.id}: its grader ${entry.grader} does not exist yet.`);
      return present;
    });
    if (exercises.length === 0) throw new UsageError('No exercise to grade: none of the selected exercises has a grader yet.');
    const seed = seedFlag(args) ?? freshSeed();
    const runs = countFlag(args, 'runs') ?? VERDICT_RUNS;
    const jobs = countFlag(args, 'jobs') ?? Math.min(4, os.availableParallelism());
    const gradescope = args.flags['gradescope'];
    if (gradescope !== undefined && (typeof gradescope !== 'string' || gradescope === '')) throw new UsageError('--gradescope wants a file (one learner) or a folder (several)');

    const pairs = submissions.flatMap((submission) => exercises.map((entry) => ({ submission, entry })));
    const bar = io.interactive
      ? new cliProgress.SingleBar(
          { format: 'grading [{bar}] {value}/{total} {learner} {exercise}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    bar?.start(pairs.length, 0, { learner: '', exercise: '' });
    if (!bar) io.err(`Grading ${submissions.length} submission(s) x ${exercises.length} exercise(s), seed ${seed}, ${runs} runs`);
    let done = 0;
    const grading = runPool(
      pairs.map(({ submission, entry }) => async () => {
        // Several files at a time already fill the cores: one worker each, not two.
        const result = await gradeSubmissionExercise({ root: io.root, submission, entry, seed, runs, signal: io.signal, lanes: jobs > 1 ? 1 : undefined });
        // An interrupted grade is no grade: say nothing of it.
        if (io.signal.aborted) return { submission, result };
        done++;
        const { passed, total } = countPassed(result);
        if (bar) bar.update(done, { learner: submission.learner, exercise: entry.id });
        else io.err(`[${done}/${pairs.length}] ${submission.learner} ${entry.id}: ${result.loadProblem ? 'not graded' : `${passed}/${total}`}`);
        return { submission, result };
      }),
      jobs,
      io.signal,
    );
    // Once interrupted, a failure of what was cut short (esbuild's process gone with the same
    // Ctrl-C) is part of the interruption, not a bug to report.
    const graded = await grading.catch((error: unknown) => {
      if (io.signal.aborted) return [];
      throw error;
    });
    bar?.stop();
    if (io.signal.aborted) return interrupted(io);

    const outcomes: LearnerOutcome[] = submissions.map((s) => ({
      learner: s.learner,
      dir: s.dir,
      results: graded.filter((g) => g?.submission === s).map((g) => g.result),
    }));

    if (typeof gradescope === 'string') {
      const targets = gradescopePaths(path.resolve(cwd, gradescope), outcomes.map((o) => o.learner));
      for (const outcome of outcomes) {
        const file = targets.get(outcome.learner)!;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(toGradescope(outcome.learner, outcome.results), null, 2)}\n`);
      }
      // As the instructor typed it (relative to where they typed it), or absolute if they gave it so.
      const shown = (file: string): string => (path.isAbsolute(gradescope) ? file : path.relative(cwd, file));
      io.err(`Gradescope results written: ${[...new Set(targets.values())].map(shown).join(', ')}`);
    }

    if (args.flags['json']) {
      io.out(
        JSON.stringify(
          {
            seed,
            runs,
            learners: outcomes.map((o) => {
              const gs = toGradescope(o.learner, o.results);
              return { learner: o.learner, dir: inert(o.dir, { oneLine: true }), score: gs.score, maxScore: gs.max_score, results: o.results };
            }),
          },
          null,
          2,
        ),
      );
    } else {
      io.out(renderGradeTable(outcomes, { color: io.color }));
      io.out('');
      io.out(`Seed ${seed}, ${runs} runs per randomised requirement (replay with --seed ${seed}).`);
    }
    return EXIT.ok;
  },
};
