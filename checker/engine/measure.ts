import { pathToFileURL } from 'node:url';
import type { ExerciseEntry } from '../manifest/types.ts';
import { measurePoints, type Complexity, type ComplexityMeasurement } from './complexity.ts';
import { exercisePath, graderPath, solutionPath } from './targets.ts';

export { CLUSTER_SIZES, classifyGrowth, type Complexity, type ComplexityMeasurement } from './complexity.ts';

/**
 * Measures message counts of a file in this process (the scorecard's use: the file has already
 * passed its grader there). A verdict measures inside the grading worker instead.
 */
export async function measureComplexity(
  root: string,
  entry: ExerciseEntry,
  target: 'exercise' | 'solution',
): Promise<ComplexityMeasurement> {
  try {
    const grader = (await import(pathToFileURL(graderPath(root, entry)).href)) as { complexity?: Complexity };
    if (!grader.complexity) return { problem: `${entry.id} has no message-count measurement` };
    const file = target === 'exercise' ? exercisePath(root, entry) : solutionPath(root, entry);
    return await measurePoints(grader.complexity, await import(pathToFileURL(file).href));
  } catch (error) {
    return { problem: `could not measure: ${error instanceof Error ? error.message : String(error)}` };
  }
}
