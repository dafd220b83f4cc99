import type { GradeResult } from '../engine/results.ts';
import { countPassed, isPass } from '../engine/results.ts';
import type { ExerciseEntry, Manifest } from '../manifest/types.ts';
import { exerciseProgress, type Progress } from './progress/schema.ts';
import { allExercises } from '../manifest/index.ts';
import type { Quiz } from './quiz/types.ts';
import { isPending, predictionPair, stageOf } from './quiz/stage.ts';

/** Pure rules of the learner's path through the workbook. */

export type ExerciseStatus = 'done' | 'started' | 'new';

export function statusOf(progress: Progress, id: string): ExerciseStatus {
  const entry = progress.exercises[id];
  if (!entry || entry.runs === 0) return 'new';
  // A reset forgets the last result but not that the learner has been here.
  if (!entry.lastRun) return 'started';
  return entry.lastRun.pass ? 'done' : 'started';
}

/** The first exercise, in manifest order, whose last run did not pass. */
export function nextUnfinished(manifest: Manifest, progress: Progress): ExerciseEntry | undefined {
  return allExercises(manifest).find((e) => statusOf(progress, e.id) !== 'done');
}

/** Records a verdict in `progress` (mutates it; call inside updateProgress). */
export function recordRun(progress: Progress, result: GradeResult, now: Date): void {
  const entry = exerciseProgress(progress, result.exerciseId);
  const { passed, total } = countPassed(result);
  const pass = isPass(result);
  entry.runs += 1;
  entry.lastRun = { at: now.toISOString(), seed: result.seed, passed, total, pass };
  if (pass) entry.firstPassedAt ??= now.toISOString();
}

export function replayCommand(exerciseId: string, seed: number): string {
  return `npm run exercise -- run ${exerciseId} --seed ${seed}`;
}

export interface ComplexityPrediction {
  readonly question: string;
  /** What the learner answered first (their prediction), as option text where it was a choice. */
  readonly predicted: string;
  readonly correct: boolean;
}

/**
 * The learner's predictions for the quiz items that the message counts of `exerciseId` verify:
 * for each, the last answer given before its patterns first passed (quiz/stage.ts decides that).
 */
export function predictionsFor(quiz: Quiz | undefined, progress: Progress, exerciseId: string, patternIds: ReadonlySet<string>): ComplexityPrediction[] {
  if (!quiz) return [];
  return quiz.items
    .filter((item) => item.measure === exerciseId)
    .flatMap((item) => {
      const prediction = predictionPair(item, progress, patternIds).prediction;
      if (!prediction) return [];
      const keys = Array.isArray(prediction.response) ? prediction.response : [prediction.response];
      const predicted = keys.map((key) => item.options.find((o) => o.key === key)?.text ?? key).join(', ');
      return [{ question: item.title, predicted, correct: prediction.outcome === 'correct' }];
    });
}

/** Predictions about `exerciseId` still to make before implementing it (nudged before a pattern is started). */
export function predictionsToMake(quiz: Quiz | undefined, progress: Progress, exerciseId: string, patternIds: ReadonlySet<string>): number {
  if (!quiz) return 0;
  return quiz.items.filter(
    (item) => item.phase === 'before' && item.tests.includes(exerciseId) && stageOf(item, progress, patternIds) === 'predict' && isPending(item, progress, patternIds),
  ).length;
}

/** A picker label: the exercise, and where the learner stands on it. */
export function statusLabel(progress: Progress, id: string): string {
  const last = progress.exercises[id]?.lastRun;
  switch (statusOf(progress, id)) {
    case 'done':
      return '✓ passing';
    case 'started':
      return last ? `✗ ${last.passed}/${last.total}` : '… started';
    default:
      return '· new';
  }
}

/**
 * What `run` says beside the message counts when the learner predicted nothing. Once the pattern
 * passes, its "before implementing" questions can no longer be predictions, so `quiz --before`
 * would have nothing to ask; `quiz --item` asks them now, to compare with the counts.
 */
export function noPredictionNote(quiz: Quiz | undefined, exerciseId: string): string | undefined {
  const ids = quiz?.items.filter((item) => item.measure === exerciseId).map((item) => item.id) ?? [];
  if (ids.length === 0) return undefined;
  return `You recorded no prediction before this pattern passed. \`npm run exercise -- quiz --item ${ids.join(',')}\` asks the question now, to compare with these counts.`;
}
