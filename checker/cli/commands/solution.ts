import fs from 'node:fs';
import path from 'node:path';
import { EXIT, WorkbookError, type CliIO, type Command, type ParsedArgs } from '../command.ts';
import { requirePositional } from '../args.ts';
import { manifest } from '../../manifest/index.ts';
import type { ExerciseEntry } from '../../manifest/types.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { gradeExercise } from '../../engine/grade-exercise.ts';
import { countPassed, isPass } from '../../engine/results.ts';
import { exercisePath, graderPath, solutionPath } from '../../engine/targets.ts';
import { makePatch, renderDiff, renderStat } from '../render/diff.ts';

/**
 * `solution <id> [--stat] [--instructor]`: the learner's file against the reference, as a
 * coloured unified diff. A learner sees it once their own file passes the grader (checked by a
 * real grading run now, not by what the progress file says); an instructor (`--instructor` or
 * WORKBOOK_INSTRUCTOR=1) sees it at any time.
 */

const USAGE = 'solution <id> [--stat] [--instructor]';

function requireFile(file: string, what: string, root: string): void {
  if (!fs.existsSync(file)) {
    throw new WorkbookError(`The ${what} ${path.relative(root, file)} does not exist yet: the workbook is incomplete here (run \`npm run author -- check\`).`, EXIT.usage);
  }
}

export function isInstructor(io: CliIO, args: ParsedArgs): boolean {
  return args.flags['instructor'] === true || io.env.WORKBOOK_INSTRUCTOR === '1';
}

/** Grades the learner's file; refuses (exit 1) with the reason unless every requirement passes. */
async function requirePassed(io: CliIO, entry: ExerciseEntry): Promise<void> {
  requireFile(graderPath(io.root, entry), 'grader', io.root);
  io.err(`Grading exercises/${entry.file} first: the reference is shown once your own file passes…`);
  const result = await gradeExercise({ root: io.root, entry });
  if (isPass(result)) return;
  const what = entry.kind === 'pattern' ? 'exercise' : 'challenge';
  let why: string;
  if (result.loadProblem) {
    why = `your file could not be graded: ${result.loadProblem.message}`;
  } else {
    const { passed, total } = countPassed(result);
    const open = result.requirements.filter((r) => r.status !== 'passed').map((r) => `  - ${r.title}`);
    why = `${passed} of ${total} requirements pass; still open:\n${open.join('\n')}`;
  }
  throw new WorkbookError(
    `The reference for ${entry.id} is shown after you pass this ${what}: ${why}\n` +
      `See what fails with \`npm run exercise -- run ${entry.id}\`. (Instructors: add --instructor or set WORKBOOK_INSTRUCTOR=1.)`,
    EXIT.failed,
  );
}

export const command: Command = {
  name: 'solution',
  summary: 'Show how your file differs from the reference solution (after you pass it)',
  usage: USAGE,
  flags: { stat: 'boolean', instructor: 'boolean' },
  async run(io: CliIO, args: ParsedArgs): Promise<number> {
    const entry = resolveExercise(manifest, requirePositional(args, 0, 'an exercise id', USAGE));
    const learnerFile = exercisePath(io.root, entry);
    const referenceFile = solutionPath(io.root, entry);
    requireFile(learnerFile, 'exercise file', io.root);
    requireFile(referenceFile, 'reference solution', io.root);
    if (!isInstructor(io, args)) await requirePassed(io, entry);

    const patch = makePatch(
      `exercises/${entry.file}`,
      `solutions/${entry.file}`,
      fs.readFileSync(learnerFile, 'utf8'),
      fs.readFileSync(referenceFile, 'utf8'),
    );
    if (args.flags['stat']) {
      io.out(renderStat(patch));
    } else {
      io.out(renderDiff(patch, { color: io.color }));
      if (patch.hunks.length > 0) io.out(`\n(- yours, + reference) ${renderStat(patch)}`);
    }
    return EXIT.ok;
  },
};
