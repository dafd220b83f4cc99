import { Chalk } from 'chalk';
import type { RequirementStatus } from '../../engine/results.ts';
import type { LearnerOutcome } from '../../core/submissions.ts';

/**
 * The batch verdict as a table: one row per requirement (grouped by exercise), one column per
 * learner, then a total row, then what stopped a file from loading. Pure: returns the text.
 */

const CELL: Record<RequirementStatus, string> = {
  passed: 'ok',
  failed: 'FAIL',
  crashed: 'crash',
  'timed-out': 'loop?',
  'not-run': '-',
};

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}~`;
}

export function renderGradeTable(outcomes: readonly LearnerOutcome[], options: { color: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<RequirementStatus, (s: string) => string> = {
    passed: chalk.green,
    failed: chalk.red,
    crashed: chalk.magenta,
    'timed-out': chalk.magenta,
    'not-run': chalk.gray,
  };
  if (outcomes.length === 0) return 'No submission graded.';

  // Rows: the union of (exercise, requirement) in the order first met.
  const rows: { exerciseId: string; id: string; title: string }[] = [];
  const seen = new Set<string>();
  for (const outcome of outcomes) {
    for (const result of outcome.results) {
      if (result.requirements.length === 0 && !seen.has(`${result.exerciseId}\0`)) {
        seen.add(`${result.exerciseId}\0`);
        rows.push({ exerciseId: result.exerciseId, id: '', title: '(file loads)' });
      }
      for (const r of result.requirements) {
        const key = `${result.exerciseId}\0${r.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({ exerciseId: result.exerciseId, id: r.id, title: r.title });
      }
    }
  }

  const labelWidth = Math.min(44, Math.max(12, ...rows.map((r) => r.id.length + 2)));
  const colWidth = Math.max(6, Math.min(12, Math.max(...outcomes.map((o) => o.learner.length)) + 1));
  const lines: string[] = [];
  lines.push(chalk.bold(pad('requirement', labelWidth) + outcomes.map((o) => pad(shorten(o.learner, colWidth - 1), colWidth)).join('')));

  let exercise = '';
  for (const row of rows) {
    if (row.exerciseId !== exercise) {
      exercise = row.exerciseId;
      lines.push(chalk.cyan(exercise));
    }
    const cells = outcomes.map((o) => {
      const result = o.results.find((r) => r.exerciseId === row.exerciseId);
      if (!result) return pad('', colWidth);
      if (row.id === '') return paint.failed(pad(CELL.failed, colWidth));
      const status = result.requirements.find((r) => r.id === row.id)?.status ?? 'not-run';
      return paint[status](pad(CELL[status], colWidth));
    });
    lines.push(pad(`  ${shorten(row.id || row.title, labelWidth - 3)}`, labelWidth) + cells.join(''));
  }

  const totals = outcomes.map((o) => {
    const all = o.results.flatMap((r) => (r.requirements.length > 0 ? r.requirements.map((q) => q.status) : ['failed' as const]));
    const passed = all.filter((s) => s === 'passed').length;
    return pad(`${passed}/${all.length}`, colWidth);
  });
  lines.push(chalk.bold(pad('total', labelWidth) + totals.join('')));
  lines.push(
    chalk.gray('ok = met, FAIL = a scenario went wrong, crash = threw, ran out of memory or reached past what graded code may use, loop? = did not finish in time, - = not run'),
  );

  const problems = outcomes.flatMap((o) =>
    o.results
      .filter((r) => r.loadProblem)
      .map((r) => {
        const at = r.loadProblem!.location;
        return `  ${o.learner}  ${r.exerciseId}: ${r.loadProblem!.message}${at ? ` (at ${at.file}:${at.line})` : ''}`;
      }),
  );
  if (problems.length > 0) lines.push('', chalk.yellow('Files that could not be graded:'), ...problems);
  return lines.join('\n');
}
