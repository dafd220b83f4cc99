import { pathToFileURL } from 'node:url';
import type { ExerciseEntry } from '../manifest/types.ts';
import { exercisePath, graderPath, solutionPath } from './targets.ts';

/**
 * Counts the messages a pattern sends for one operation as the cluster grows, on the learner's
 * own code, so the complexity they predicted can be set beside what their code does.
 * Runs in-process: it is only offered once the file passes its grader.
 */

export const CLUSTER_SIZES = [5, 10, 20, 40] as const;

export interface Complexity<Impl = unknown> {
  readonly operation: string;
  measure(impl: Impl, n: number): number | Promise<number>;
}

export type ComplexityMeasurement =
  | { readonly operation: string; readonly points: readonly { readonly n: number; readonly messages: number }[] }
  | { readonly problem: string };

export async function measureComplexity(
  root: string,
  entry: ExerciseEntry,
  target: 'exercise' | 'solution',
): Promise<ComplexityMeasurement> {
  try {
    const grader = (await import(pathToFileURL(graderPath(root, entry)).href)) as { complexity?: Complexity };
    if (!grader.complexity) return { problem: `${entry.id} has no message-count measurement` };
    const file = target === 'exercise' ? exercisePath(root, entry) : solutionPath(root, entry);
    const impl = (await import(pathToFileURL(file).href)) as unknown;
    const points = [];
    for (const n of CLUSTER_SIZES) points.push({ n, messages: await grader.complexity.measure(impl, n) });
    return { operation: grader.complexity.operation, points };
  } catch (error) {
    return { problem: `could not measure: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The growth a series of counts suggests: O(1), O(N), O(N²)... from the ratio between 5 and 40 nodes. */
export function classifyGrowth(points: readonly { n: number; messages: number }[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || first.messages <= 0) return 'unknown';
  const exponent = Math.log(last.messages / first.messages) / Math.log(last.n / first.n);
  if (exponent < 0.3) return 'O(1)';
  if (exponent < 1.4) return 'O(N)';
  if (exponent < 2.4) return 'O(N²)';
  return 'worse than O(N²)';
}
