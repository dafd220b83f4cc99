import type { ExerciseScore } from './score.ts';

/** The mutation run's report: one row per exercise, then what a reviewer still has to look at. */

const HEADINGS = ['exercise', 'mutants', 'killed', 'survived', 'timeout', 'no-coverage', 'equivalent', 'score', 'time'] as const;

function row(s: ExerciseScore): string[] {
  return [
    s.exerciseId,
    String(s.total - s.invalid),
    String(s.killed),
    String(s.survived - s.equivalent),
    String(s.timeout),
    String(s.noCoverage),
    String(s.equivalent),
    `${(s.score * 100).toFixed(1)}%`,
    s.seconds === undefined ? '' : `${Math.round(s.seconds)} s`,
  ];
}

export function renderScoreTable(scores: readonly ExerciseScore[], totalSeconds: number): string {
  const rows = [[...HEADINGS], ...scores.map(row)];
  const widths = HEADINGS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const format = (r: readonly string[]): string => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const lines = [format(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(format)];
  lines.push('', `score = (killed + timeout) / (mutants - recorded equivalent); "survived" counts unrecorded survivors only.`);
  lines.push(`Wall time ${Math.floor(totalSeconds / 60)} min ${Math.round(totalSeconds % 60)} s.`);

  const demos = scores.filter((s) => s.demoFrom !== undefined).map((s) => `${s.exerciseId.split('/').at(-1)} from line ${s.demoFrom}`);
  if (demos.length > 0) lines.push(`Not mutated (the file's own demo program, run with npx tsx): ${demos.join(', ')}.`);
  for (const s of scores.filter((x) => x.scope)) lines.push(`${s.exerciseId}: only its scope was mutated: ${s.scope!.join(', ')}.`);
  for (const s of scores.filter((x) => x.killedElsewhere > 0)) lines.push(`${s.exerciseId}: ${s.killedElsewhere} of its ${s.killed} kills are by a later exercise's grader on the same file (its own grader passed them).`);

  for (const s of scores) {
    if (s.unexplained.length > 0) {
      lines.push('', `${s.exerciseId}: ${s.unexplained.length} surviving mutant(s) to review (add a requirement, or record as equivalent):`);
      for (const m of s.unexplained) {
        lines.push(`  line ${m.line} ${m.mutator}: ${oneLine(m.original)}  ->  ${oneLine(m.replacement)}`);
        lines.push(`      code: ${m.code}`);
      }
    }
    if (s.invalid > 0) lines.push('', `${s.exerciseId}: ${s.invalid} mutant(s) did not compile or crashed every run (left out of the score).`);
    if (s.stale.length > 0) {
      lines.push('', `${s.exerciseId}: ${s.stale.length} equivalence record(s) matched no surviving mutant (remove or review them):`);
      for (const r of s.stale) lines.push(`  ${r.mutator}: ${oneLine(r.original)} -> ${oneLine(r.replacement)} in "${r.code}"`);
    }
  }
  return lines.join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 90 ? `${flat.slice(0, 87)}...` : flat;
}
