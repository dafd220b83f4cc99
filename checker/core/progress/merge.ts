import type { ExerciseProgress, Progress, QuizItemProgress } from './schema.ts';

/**
 * Folds progress carried from another machine into this one's, losing nothing from either: every
 * quiz answer ever given is kept (once), counts take the larger side, a first pass the earlier
 * date, a last run the later one. Pure: the caller reads, merges and saves.
 */
export function mergeProgress(mine: Progress, carried: Progress): Progress {
  const merged: Progress = structuredClone(mine);
  for (const [id, theirs] of Object.entries(carried.exercises)) {
    merged.exercises[id] = mergeExercise(merged.exercises[id], theirs);
  }
  for (const [id, theirs] of Object.entries(carried.quiz)) {
    merged.quiz[id] = mergeQuizItem(merged.quiz[id], theirs);
  }
  for (const [id, ticked] of Object.entries(carried.checklist)) {
    merged.checklist[id] = (merged.checklist[id] ?? false) || ticked;
  }
  for (const [id, theirs] of Object.entries(carried.challenges)) {
    const current = merged.challenges[id];
    merged.challenges[id] = {
      // An answer written on this machine is the newer thought; the carried one fills a gap.
      answers: { ...theirs.answers, ...(current?.answers ?? {}) },
      ...(current?.answerRevealed || theirs.answerRevealed ? { answerRevealed: true } : {}),
      ...(earlier(current?.solvedAt, theirs.solvedAt) ? { solvedAt: earlier(current?.solvedAt, theirs.solvedAt) } : {}),
    };
  }
  return merged;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

function mergeExercise(mine: ExerciseProgress | undefined, theirs: ExerciseProgress): ExerciseProgress {
  if (!mine) return structuredClone(theirs);
  const lastRun = !mine.lastRun ? theirs.lastRun : !theirs.lastRun ? mine.lastRun : mine.lastRun.at >= theirs.lastRun.at ? mine.lastRun : theirs.lastRun;
  const firstPassedAt = earlier(mine.firstPassedAt, theirs.firstPassedAt);
  return {
    runs: Math.max(mine.runs, theirs.runs),
    hintsShown: Math.max(mine.hintsShown, theirs.hintsShown),
    ...(lastRun ? { lastRun } : {}),
    ...(firstPassedAt ? { firstPassedAt } : {}),
  };
}

function mergeQuizItem(mine: QuizItemProgress | undefined, theirs: QuizItemProgress): QuizItemProgress {
  if (!mine) return structuredClone(theirs);
  const key = (answer: QuizItemProgress['history'][number]): string => `${answer.at}\u0000${JSON.stringify(answer.response)}`;
  const seen = new Map([...mine.history, ...theirs.history].map((answer) => [key(answer), answer]));
  const history = [...seen.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  // The review schedule follows whichever side answered last.
  const latest = (p: QuizItemProgress): string => p.history[p.history.length - 1]?.at ?? '';
  const schedule = latest(theirs) > latest(mine) ? theirs : mine;
  return { history: structuredClone(history), box: schedule.box, ...(schedule.dueOn ? { dueOn: schedule.dueOn } : {}) };
}
