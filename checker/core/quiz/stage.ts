import type { Progress, QuizAnswer } from '../progress/schema.ts';
import type { QuizItem } from './types.ts';

/**
 * Where an item stands for one learner: predictions ("before implementing") are offered until the
 * linked patterns pass for the first time; afterwards the same item is asked again to verify the
 * prediction. "after" items open once their patterns pass. Pure functions of progress.
 */

export type Stage = 'predict' | 'verify' | 'open' | 'waiting';

/** The linked ids that are pattern exercises (as opposed to debugging challenges). */
export function linkedPatterns(item: QuizItem, patternIds: ReadonlySet<string>): string[] {
  return item.tests.filter((id) => patternIds.has(id));
}

/** When the last of the item's patterns first passed, or undefined while one has not. */
export function passedAt(item: QuizItem, progress: Progress, patternIds: ReadonlySet<string>): string | undefined {
  let latest: string | undefined;
  for (const id of linkedPatterns(item, patternIds)) {
    const at = progress.exercises[id]?.firstPassedAt;
    if (!at) return undefined;
    if (!latest || at > latest) latest = at;
  }
  return latest ?? '';
}

export function stageOf(item: QuizItem, progress: Progress, patternIds: ReadonlySet<string>): Stage {
  const passed = passedAt(item, progress, patternIds);
  if (item.phase === 'before') return passed === undefined || passed === '' ? (passed === '' ? 'open' : 'predict') : 'verify';
  if (item.phase === 'after') return passed === undefined ? 'waiting' : 'open';
  return 'open';
}

export interface PredictionPair {
  readonly prediction?: QuizAnswer;
  readonly verified?: QuizAnswer;
}

/** The last answer given before the patterns passed, and the last one given after. */
export function predictionPair(item: QuizItem, progress: Progress, patternIds: ReadonlySet<string>): PredictionPair {
  const history = progress.quiz[item.id]?.history ?? [];
  const passed = passedAt(item, progress, patternIds);
  if (passed === undefined || passed === '') return { prediction: history[history.length - 1] };
  const before = history.filter((h) => h.at < passed);
  const after = history.filter((h) => h.at >= passed);
  return { prediction: before[before.length - 1], verified: after[after.length - 1] };
}

export function lastAnswer(item: QuizItem, progress: Progress): QuizAnswer | undefined {
  const history = progress.quiz[item.id]?.history ?? [];
  return history[history.length - 1];
}

/** Whether the item still wants an answer in its current stage (checklist items: never ticked). */
export function isPending(item: QuizItem, progress: Progress, patternIds: ReadonlySet<string>): boolean {
  if (item.kind === 'check') return progress.checklist[item.id] === undefined;
  const stage = stageOf(item, progress, patternIds);
  if (stage === 'waiting') return false;
  if (stage === 'verify') return predictionPair(item, progress, patternIds).verified === undefined;
  return lastAnswer(item, progress) === undefined;
}
