import { allExercises } from '../../manifest/index.ts';
import { RETIRED_BOX } from '../quiz/leitner.ts';

/**
 * The learner's saved progress: one JSON file in the workbook root. Versioned so that an older
 * file is migrated rather than discarded. Only what cannot be recomputed is kept here: a verdict
 * shown by `scorecard` always comes from a fresh grader run, never from this file.
 */

export const SCHEMA_VERSION = 3;

export type QuizOutcome = 'correct' | 'incorrect' | 'missed' | 'partly' | 'got-it' | 'unrated';

export interface QuizAnswer {
  readonly at: string;
  readonly response: string | readonly string[];
  readonly outcome: QuizOutcome;
}

export interface QuizItemProgress {
  history: QuizAnswer[];
  /** Leitner box: 1 comes back soonest. */
  box: number;
  /** YYYY-MM-DD on which the item is next due for review; absent when it is not scheduled. */
  dueOn?: string;
}

export interface RunRecord {
  readonly at: string;
  readonly seed: number;
  readonly passed: number;
  readonly total: number;
  readonly pass: boolean;
}

export interface ExerciseProgress {
  runs: number;
  hintsShown: number;
  lastRun?: RunRecord;
  firstPassedAt?: string;
}

export interface ChallengeProgress {
  /** The learner's written answers to the challenge's questions, by question id. */
  answers: Record<string, string>;
  answerRevealed?: boolean;
  solvedAt?: string;
}

export interface Progress {
  schemaVersion: number;
  exercises: Record<string, ExerciseProgress>;
  quiz: Record<string, QuizItemProgress>;
  /** Review-checklist items ticked by the learner, by item id. */
  checklist: Record<string, boolean>;
  challenges: Record<string, ChallengeProgress>;
}

export function emptyProgress(): Progress {
  return { schemaVersion: SCHEMA_VERSION, exercises: {}, quiz: {}, checklist: {}, challenges: {} };
}

export function exerciseProgress(progress: Progress, id: string): ExerciseProgress {
  return (progress.exercises[id] ??= { runs: 0, hintsShown: 0 });
}

export function challengeProgress(progress: Progress, id: string): ChallengeProgress {
  return (progress.challenges[id] ??= { answers: {} });
}

export class ProgressShapeError extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Hints each exercise has, by id: what a saved count of hints shown cannot exceed. */
function hintCounts(): Map<string, number> {
  return new Map(allExercises().map((entry) => [entry.id, entry.hints.length]));
}

/**
 * A count read from the file must be a whole number from 0 to `max`: a hand-edited -5 would read
 * "Hints used -5 of 4" on the scorecard, and a count past the hints there are would unlock none.
 */
function expectCount(what: string, field: string, value: unknown, max: number, maxIs?: string): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return;
  const range = max === Number.MAX_SAFE_INTEGER ? 'a whole number from 0 up' : `a whole number from 0 to ${max}${maxIs ? ` (${maxIs})` : ''}`;
  throw new ProgressShapeError(`${what}: ${field} is ${JSON.stringify(value) ?? String(value)}, but it should be ${range}`);
}

/**
 * Brings any earlier schema up to date and checks the shape. Version 1 kept hints as
 * `hints: { [id]: number }` beside `exercises` and had no `challenges`. Version 2 named the consensus
 * module's challenges `debugging/<name>`; they are `consensus/debugging/<name>` since every module
 * holds its own challenges.
 */
export function migrate(raw: unknown): Progress {
  if (!isRecord(raw)) throw new ProgressShapeError('the file does not hold a JSON object');
  const version = raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProgressShapeError('schemaVersion is missing or not a positive whole number');
  }
  if (version > SCHEMA_VERSION) {
    throw new ProgressShapeError(`it was written by a newer workbook (schema ${version}; this one reads up to ${SCHEMA_VERSION})`);
  }
  const data: Record<string, unknown> = { ...raw };
  if (version === 1) {
    const exercises = isRecord(data.exercises) ? { ...data.exercises } : {};
    const hints = isRecord(data.hints) ? data.hints : {};
    for (const [id, count] of Object.entries(hints)) {
      const current = isRecord(exercises[id]) ? exercises[id] : { runs: 0 };
      exercises[id] = { ...current, hintsShown: typeof count === 'number' ? count : 0 };
    }
    delete data.hints;
    data.exercises = exercises;
    data.challenges = {};
    data.schemaVersion = 2;
  }
  if ((data.schemaVersion as number) === 2) {
    for (const key of ['exercises', 'challenges'] as const) {
      if (!isRecord(data[key])) continue;
      data[key] = Object.fromEntries(
        Object.entries(data[key]).map(([id, entry]) => [id.startsWith('debugging/') ? `consensus/${id}` : id, entry]),
      );
    }
    data.schemaVersion = 3;
  }
  for (const key of ['exercises', 'quiz', 'checklist', 'challenges'] as const) {
    if (data[key] === undefined) data[key] = {};
    if (!isRecord(data[key])) throw new ProgressShapeError(`"${key}" should be an object`);
  }
  const hints = hintCounts();
  for (const [id, entry] of Object.entries(data.exercises as Record<string, unknown>)) {
    if (!isRecord(entry) || typeof entry.runs !== 'number' || typeof entry.hintsShown !== 'number') {
      throw new ProgressShapeError(`exercise "${id}" should have numeric runs and hintsShown`);
    }
    const what = `exercise "${id}"`;
    expectCount(what, 'runs', entry.runs, Number.MAX_SAFE_INTEGER);
    // An exercise this workbook no longer has keeps its count; only the lower bound is known.
    expectCount(what, 'hintsShown', entry.hintsShown, hints.get(id) ?? Number.MAX_SAFE_INTEGER, hints.has(id) ? "the exercise's hint count" : undefined);
    if (entry.lastRun !== undefined) {
      const run = entry.lastRun;
      if (!isRecord(run) || typeof run.pass !== 'boolean' || typeof run.total !== 'number') throw new ProgressShapeError(`${what}: lastRun should have a total and a pass flag`);
      expectCount(`${what} lastRun`, 'total', run.total, Number.MAX_SAFE_INTEGER);
      expectCount(`${what} lastRun`, 'passed', run.passed, run.total, 'its total');
    }
  }
  for (const [id, entry] of Object.entries(data.quiz as Record<string, unknown>)) {
    if (!isRecord(entry) || !Array.isArray(entry.history) || typeof entry.box !== 'number') {
      throw new ProgressShapeError(`quiz item "${id}" should have a history list and a box number`);
    }
    expectCount(`quiz item "${id}"`, 'box', entry.box, RETIRED_BOX);
  }
  for (const [id, entry] of Object.entries(data.challenges as Record<string, unknown>)) {
    if (!isRecord(entry) || !isRecord(entry.answers)) throw new ProgressShapeError(`challenge "${id}" should have answers`);
  }
  return data as unknown as Progress;
}
