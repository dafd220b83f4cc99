import type { ComplexityMeasurement } from '../../engine/complexity.ts';
import type { ComplexityPrediction } from '../../core/workflow.ts';
import { palette } from './style.ts';

export function renderComplexity(
  measured: ComplexityMeasurement,
  growth: string | undefined,
  color: boolean,
  predictions: readonly ComplexityPrediction[] = [],
  /** Shown when there is no prediction: what the learner can do instead (the caller knows). */
  noPrediction?: string,
): string {
  const c = palette(color);
  if ('problem' in measured) return c.dim(`Message counts: ${measured.problem}`);
  const rows = measured.points.map((p) => `  N = ${String(p.n).padStart(2)}   ${String(p.messages).padStart(6)} messages`);
  return [
    c.bold(`Messages your code sent for ${measured.operation}:`),
    ...rows,
    `  Growth: ${c.cyan(growth ?? 'unknown')}.`,
    ...(predictions.length > 0
      ? predictions.map((p) => `  You predicted (${p.question}): ${p.predicted} ${p.correct ? c.green('✓') : c.yellow('— compare with what your code just did')}`)
      : noPrediction ? [c.dim(`  ${noPrediction}`)] : []),
  ].join('\n');
}
