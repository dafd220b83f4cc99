import type { Outcome, QuizItem } from '../../core/quiz/types.ts';
import { describeResponse, expectedAnswer, type Response } from '../../core/quiz/grade.ts';
import type { Schedule } from '../../core/quiz/leitner.ts';
import { renderMarkdown } from './markdown.ts';
import { palette } from './style.ts';

/** Terminal text for quiz items and answers; colour only when asked. */

const KIND_WORDS: Readonly<Record<QuizItem['kind'], string>> = {
  single: 'pick one',
  multiple: 'pick all that apply',
  short: 'short answer',
  numeric: 'a number',
  free: 'in your own words, then rate yourself',
  rate: 'rate yourself',
  check: 'tick if true',
};

export function renderItemHeader(item: QuizItem, position: string, stage: string | undefined, color: boolean): string {
  const c = palette(color);
  const tag = stage === 'predict' ? c.yellow(' (prediction: before implementing)') : stage === 'verify' ? c.cyan(' (verify your prediction)') : '';
  return [
    `${c.dim(position)} ${c.bold(item.title)}${tag}  ${c.dim(`[${item.id}, ${KIND_WORDS[item.kind]}]`)}`,
    renderMarkdown(item.prompt, color).trimEnd(),
  ].join('\n');
}

export function renderOutcome(item: QuizItem, response: Response, outcome: Outcome | undefined, color: boolean): string {
  const c = palette(color);
  const lines: string[] = [];
  if (outcome === 'correct') lines.push(c.green('Correct.'));
  else if (outcome === 'incorrect') lines.push(`${c.red('Not quite.')} You answered ${describeResponse(item, response)}; the answer is ${c.bold(expectedAnswer(item))}.`);
  else if (outcome) lines.push(c.dim(`You rated yourself: ${outcome.replace('-', ' ')}.`));
  if (item.answer && item.kind !== 'free') lines.push(renderMarkdown(item.answer, color).trimEnd());
  return lines.join('\n');
}

export function renderModelAnswer(item: QuizItem, color: boolean): string {
  const c = palette(color);
  return `${c.bold('Model answer:')}\n${renderMarkdown(item.answer, color).trimEnd()}`;
}

export function renderSchedule(schedule: Schedule | undefined, color: boolean): string {
  const c = palette(color);
  if (!schedule) return '';
  if (schedule.dueOn) return c.dim(`Back for review on ${schedule.dueOn} (box ${schedule.box}).`);
  return '';
}

export function renderPendingList(items: readonly { item: QuizItem; stage: string }[], what: string, color: boolean): string {
  const c = palette(color);
  if (items.length === 0) return `No ${what}.`;
  return [
    c.bold(`${items.length} ${what}:`),
    ...items.map(({ item, stage }) => `  ${item.id.padEnd(28)} ${c.dim(`${item.kind.padEnd(8)} ${stage.padEnd(8)}`)} ${item.title}`),
    '',
    c.dim('No terminal to ask in. Answer with --answers FILE.json: {"item-id": "b", "other-id": ["a","c"],'),
    c.dim('  "free-id": {"answer": "...", "rating": "partly"}, "cert-id": "got-it", "check-id": true}'),
  ].join('\n');
}
