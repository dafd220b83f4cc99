import fs from 'node:fs';
import { manifest } from '../../manifest/index.ts';
import { readProgress } from '../../core/progress/store.ts';
import { loadQuiz } from '../../core/quiz/index.ts';
import { computeScorecard, type GradeOutcome, type Measurement } from '../../core/scorecard.ts';
import { gradeExercise, VERDICT_RUNS } from '../../engine/grade-exercise.ts';
import { isPass } from '../../engine/results.ts';
import { exercisePath, graderPath } from '../../engine/targets.ts';
import type { ExerciseEntry } from '../../manifest/types.ts';
import { countFlag } from '../args.ts';
import { EXIT, UsageError, type CliIO, type Command } from '../command.ts';
import { renderScorecard } from '../render/scorecard.ts';
import { palette } from '../render/style.ts';

/**
 * `scorecard`: runs every grader on the learner's files (the verdicts come from these runs,
 * never from saved progress), then computes the card with the pure core and prints it.
 */

async function gradeAll(io: CliIO, entries: readonly ExerciseEntry[], runs: number): Promise<Map<string, GradeOutcome>> {
  const grades = new Map<string, GradeOutcome>();
  const queue = [...entries];
  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      if (io.signal.aborted) return;
      if (!fs.existsSync(graderPath(io.root, entry))) grades.set(entry.id, { problem: 'no grader yet' });
      else if (!fs.existsSync(exercisePath(io.root, entry))) grades.set(entry.id, { problem: 'exercise file missing' });
      else {
        try {
          grades.set(entry.id, await gradeExercise({ root: io.root, entry, target: 'exercise', runs, measure: entry.kind === 'pattern' }));
        } catch (error) {
          grades.set(entry.id, { problem: `grading failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return grades;
}

/** Message counts, measured by the grading worker on code that passes (so they describe a correct implementation). */
function measurementsOf(grades: ReadonlyMap<string, GradeOutcome>): Map<string, Measurement | { problem: string }> {
  const out = new Map<string, Measurement | { problem: string }>();
  for (const [id, grade] of grades) {
    if ('requirements' in grade && isPass(grade) && grade.complexity) out.set(id, grade.complexity);
  }
  return out;
}

export const command: Command = {
  name: 'scorecard',
  summary: 'Grade everything afresh and show your scorecard and mastery gate (8/10 to move on)',
  usage: 'scorecard [module] [--runs N] [--json]',
  flags: { runs: 'string', json: 'boolean' },
  async run(io, args) {
    const moduleId = args.positionals[0] ?? 'consensus';
    if (!manifest.modules.some((m) => m.id === moduleId)) throw new UsageError(`no module "${moduleId}"`);
    const runs = countFlag(args, 'runs') ?? VERDICT_RUNS;
    const json = args.flags.json === true;
    const module = manifest.modules.find((m) => m.id === moduleId)!;
    const toGrade = module.exercises;
    if (!json) io.err(palette(io.color).dim(`Grading ${toGrade.length} exercises (${runs} runs per randomised requirement)...`));
    const grades = await gradeAll(io, toGrade, runs);
    if (io.signal.aborted) return EXIT.interrupted;
    const measurements = measurementsOf(grades);
    const card = computeScorecard({ manifest, moduleId, progress: readProgress(io.root), grades, quiz: loadQuiz(io.root, moduleId), measurements });
    io.out(json ? JSON.stringify(card, null, 2) : renderScorecard(card, io.color));
    return EXIT.ok;
  },
};
