import { MASTERY_THRESHOLD, type QuizTally, type Scorecard, type Tally } from '../../core/scorecard.ts';
import { palette } from './style.ts';

/** The scorecard as a terminal chart: one bar per measure. Colour only when asked. */

export function bar(done: number, total: number, width = 20): string {
  if (total <= 0) return '·'.repeat(width);
  const filled = Math.round((Math.min(done, total) / total) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function row(label: string, tally: Tally, color: boolean, note = ''): string {
  const c = palette(color);
  const full = tally.total > 0 && tally.done >= tally.total;
  const b = bar(tally.done, tally.total);
  return `  ${label.padEnd(34)} ${full ? c.green(b) : c.yellow(b)} ${String(tally.done).padStart(3)}/${tally.total}${note ? ` ${c.dim(note)}` : ''}`;
}

function quizRows(quiz: QuizTally, color: boolean): string[] {
  const s = quiz.self;
  return [
    row('Quiz, auto-graded (correct)', { done: quiz.auto.correct, total: quiz.auto.total }, color, `${quiz.auto.answered} answered`),
    row('Quiz, self-rated (got it)', { done: s.gotIt, total: s.total }, color, `${s.partly} partly, ${s.missed} missed`),
  ];
}

export function renderScorecard(card: Scorecard, color: boolean): string {
  const c = palette(color);
  const out: string[] = [c.bold(`Scorecard: ${card.title}`), ''];
  for (const p of card.patterns) {
    out.push(c.bold(p.title) + c.dim(`  ${p.id}`));
    out.push(row('Graded requirements passed', p.requirements, color, p.requirements.problem ?? ''));
    out.push(...quizRows(p.quiz, color));
    out.push(`  ${'Hints used'.padEnd(34)} ${p.hintsUsed} of ${p.hintsAvailable}`);
    out.push('');
  }
  out.push(c.bold('Module'));
  out.push(row('Graded requirements passed', card.module.requirements, color));
  const incidents = card.debugging.challenges.filter((ch) => ch.id.endsWith('/incident')).length;
  const challengeCount = card.debugging.challenges.length - incidents;
  out.push(row('Debugging challenges solved', card.debugging.solved, color, `${challengeCount} challenge${challengeCount === 1 ? '' : 's'}${incidents ? ' + the incident' : ''}`));
  out.push(row('Planted bugs fixed', card.debugging.bugsFixed, color, 'counted from solved challenges'));
  out.push(...quizRows(card.module.quiz, color));
  out.push(row('Review checklist', card.checklist, color));
  out.push(`  ${'Hints used'.padEnd(34)} ${card.module.hintsUsed}`);
  out.push('');

  const rows = card.predictions.filter((p) => p.predicted || p.verified);
  if (rows.length > 0) {
    out.push(c.bold('Predictions beside what you verified'));
    for (const p of rows) {
      out.push(`  ${p.title}`);
      out.push(`    predicted: ${p.predicted ?? c.dim('(none)')}${p.predictedOutcome ? c.dim(` (${p.predictedOutcome})`) : ''}`);
      out.push(`    verified:  ${p.verified ?? c.dim('(not yet)')}${p.verifiedOutcome ? c.dim(` (${p.verifiedOutcome})`) : ''}`);
      if (p.modelAnswer) out.push(`    answer:    ${p.modelAnswer}`);
      if (p.measured && 'growth' in p.measured) {
        out.push(`    measured:  ${p.measured.points.map((pt) => `N=${pt.n}: ${pt.messages}`).join(', ')} → ${p.measured.growth}`);
      }
    }
    out.push('');
  }

  const cert = card.certification;
  const graded = cert.graded;
  const solved = graded.challengesSolved;
  const mark = (ok: boolean): string => (ok ? c.green('✓') : c.yellow('✗'));
  out.push(c.bold('Mastery certification') + c.dim('  (self-rating AND graded work)'));
  out.push(row('Self-rating (certification)', { done: cert.score, total: cert.outOf }, color, `${cert.rated} of ${cert.outOf} rated; needs ${MASTERY_THRESHOLD}`) + ` ${mark(cert.selfRated)}`);
  out.push(row('Graded: patterns passing', graded.patternsPassing, color, 'needs all') + ` ${mark(graded.patternsPassing.done === graded.patternsPassing.total)}`);
  out.push(row('Graded: challenges solved', solved, color, `needs ${solved.required}`) + ` ${mark(solved.done >= solved.required)}`);
  if (cert.mastered) {
    out.push(c.green(`  Module mastered: self-rating ${cert.score}/${cert.outOf} and every pattern passes, with ${solved.done} of ${solved.total} challenges solved. Move on to the next module.`));
    return out.join('\n');
  }
  if (!cert.selfRated) {
    out.push(c.yellow(`  Self-rating ${cert.score}/${cert.outOf}: below ${MASTERY_THRESHOLD}. Revisit, then rate yourself again (npm run exercise -- quiz${card.moduleId === 'consensus' ? '' : ` ${card.moduleId}`} --section certification --all):`));
    out.push(...cert.revisit.map((x) => `    - ${x}`));
  }
  if (!graded.passes) {
    out.push(c.yellow(`  Not mastered until the graded work passes: every pattern, and at least ${solved.required} of ${solved.total} challenges. Still to do:`));
    out.push(...cert.caveats.map((x) => `    - ${x}`));
  }
  return out.join('\n');
}
