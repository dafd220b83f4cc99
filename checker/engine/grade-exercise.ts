import type { ExerciseEntry } from '../manifest/types.ts';
import { gradeFile, GUARD_BASE_RUNS, type WarmWorker } from './grade.ts';
import type { GradeResult } from './results.ts';
import { exercisePath, graderPath, solutionPath } from './targets.ts';

/** Randomised requirements try this many schedules in a learner's verdict. */
export const VERDICT_RUNS = GUARD_BASE_RUNS;

export interface GradeExerciseOptions {
  readonly root: string;
  readonly entry: ExerciseEntry;
  /** The learner's file (default), the reference, or any other file (a submission's). */
  readonly target?: 'exercise' | 'solution' | { readonly path: string };
  readonly seed?: number;
  readonly runs?: number;
  readonly only?: readonly string[];
  readonly timeoutMs?: number;
  /** Measure message counts once every requirement passes (patterns only). */
  readonly measure?: boolean;
  readonly warm?: WarmWorker;
  /** A second warm worker for the second lane (watch keeps two). */
  readonly warmSecond?: WarmWorker;
  readonly memoryLimitMb?: number;
  readonly signal?: AbortSignal;
  /** Told each requirement's title as it starts. */
  readonly onProgress?: (title: string) => void;
  /** Workers grading side by side; see laneCount. */
  readonly lanes?: number;
  /** Takes the workers that graded cleanly, for the next verdict (see GradeOptions.keepWorkers). */
  readonly keepWorkers?: (workers: readonly WarmWorker[]) => void;
}

/** A fresh seed for a verdict; printed with every failure so the run can be replayed. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export function gradeExercise(options: GradeExerciseOptions): Promise<GradeResult> {
  const { root, entry } = options;
  const target = options.target ?? 'exercise';
  const targetPath =
    target === 'exercise' ? exercisePath(root, entry) : target === 'solution' ? solutionPath(root, entry) : target.path;
  return gradeFile({
    exerciseId: entry.id,
    graderPath: graderPath(root, entry),
    targetPath,
    seed: options.seed ?? freshSeed(),
    runs: options.runs ?? VERDICT_RUNS,
    only: options.only,
    timeoutMs: options.timeoutMs,
    measure: options.measure,
    warm: options.warm,
    warmSecond: options.warmSecond,
    memoryLimitMb: options.memoryLimitMb,
    signal: options.signal,
    onProgress: options.onProgress,
    lanes: options.lanes,
    keepWorkers: options.keepWorkers,
    root,
  });
}
