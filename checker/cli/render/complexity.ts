import type { ComplexityMeasurement } from '../../engine/complexity.ts';
import { palette } from './style.ts';

export function renderComplexity(measured: ComplexityMeasurement, growth: string | undefined, color: boolean): string {
  const c = palette(color);
  if ('problem' in measured) return c.dim(`Message counts: ${measured.problem}`);
  const rows = measured.points.map((p) => `  N = ${String(p.n).padStart(2)}   ${String(p.messages).padStart(6)} messages`);
  return [
    c.bold(`Messages your code sent for ${measured.operation}:`),
    ...rows,
    `  Growth: ${c.cyan(growth ?? 'unknown')}. Compare with your prediction (\`npm run exercise -- quiz\`).`,
  ].join('\n');
}
