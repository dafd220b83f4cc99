/**
 * Message counts as a cluster grows: each grader exports a `complexity` probe (one operation on an
 * n-node cluster, returning the messages sent), measured on the graded code at these sizes so a
 * learner can set their predicted complexity beside what their code does.
 */

export const CLUSTER_SIZES = [5, 10, 20, 40] as const;

export interface Complexity<Impl = unknown> {
  readonly operation: string;
  measure(impl: Impl, n: number): number | Promise<number>;
}

export type ComplexityMeasurement =
  | { readonly operation: string; readonly points: readonly { readonly n: number; readonly messages: number }[] }
  | { readonly problem: string };

export async function measurePoints(complexity: Complexity, impl: unknown): Promise<ComplexityMeasurement> {
  try {
    const points = [];
    for (const n of CLUSTER_SIZES) points.push({ n, messages: await complexity.measure(impl, n) });
    return { operation: complexity.operation, points };
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
