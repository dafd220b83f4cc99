import type { Outcome, QuizItem, SelfRating } from './types.ts';
import { SELF_RATINGS } from './types.ts';

/**
 * Grading of the items the workbook can judge (choices, short and numeric answers), and the
 * checks on what a learner may give for the others. Pure functions.
 */

export type Response = string | readonly string[];

/** Lower case, hyphens and underscores as spaces, no surrounding punctuation, single spaces. */
export function normaliseAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[-_–]/g, ' ')
    .replace(/[.,;:!?"'`()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** The number a learner typed: "2", "2.5", "two", or the first number in "2 leaders". */
export function readNumber(text: string): number | undefined {
  const clean = normaliseAnswer(text);
  const word = NUMBER_WORDS.indexOf(clean.split(' ')[0] ?? '');
  if (word >= 0) return word;
  const match = /-?\d+(?:\.\d+)?/.exec(text);
  return match ? Number(match[0]) : undefined;
}

/**
 * Option keys picked in a choice response. A learner may give keys ("a", "a,c", ["a", "c"]) or the
 * option text itself. Unknown picks come back in `unknown` so the caller can say which.
 */
export function resolveChoices(item: QuizItem, response: Response): { keys: string[]; unknown: string[] } {
  const parts = (typeof response === 'string' ? (item.kind === 'multiple' ? response.split(',') : [response]) : [...response])
    .map((p) => p.trim())
    .filter(Boolean);
  const keys = new Set<string>();
  const unknown: string[] = [];
  for (const part of parts) {
    const byKey = item.options.find((o) => o.key === part.toLowerCase());
    const byText = item.options.find((o) => normaliseAnswer(o.text) === normaliseAnswer(part));
    const option = byKey ?? byText;
    if (option) keys.add(option.key);
    else unknown.push(part);
  }
  return { keys: [...keys].sort(), unknown };
}

/** Why a response cannot be accepted for this item, or undefined when it can. */
export function responseProblem(item: QuizItem, response: Response): string | undefined {
  switch (item.kind) {
    case 'single':
    case 'multiple': {
      const { keys, unknown } = resolveChoices(item, response);
      if (unknown.length > 0) return `unknown option ${unknown.map((u) => `"${u}"`).join(', ')} (options: ${item.options.map((o) => o.key).join(', ')})`;
      if (keys.length === 0) return 'pick an option';
      if (item.kind === 'single' && keys.length > 1) return 'pick exactly one option';
      return undefined;
    }
    case 'numeric':
      if (typeof response !== 'string' || readNumber(response) === undefined) return 'give a number';
      return undefined;
    case 'short':
    case 'free':
      if (typeof response !== 'string' || response.trim() === '') return 'give an answer in words';
      return undefined;
    case 'rate':
      return isSelfRating(response) ? undefined : `rate yourself ${SELF_RATINGS.join(' / ')}`;
    case 'check':
      return undefined;
  }
}

export function isSelfRating(value: unknown): value is SelfRating {
  return typeof value === 'string' && (SELF_RATINGS as readonly string[]).includes(value);
}

/** Grades an auto-graded item. Call responseProblem first: an invalid response grades as incorrect. */
export function gradeResponse(item: QuizItem, response: Response): 'correct' | 'incorrect' {
  switch (item.kind) {
    case 'single':
    case 'multiple': {
      const { keys, unknown } = resolveChoices(item, response);
      const wanted = item.options.filter((o) => o.correct).map((o) => o.key).sort();
      return unknown.length === 0 && keys.join(',') === wanted.join(',') ? 'correct' : 'incorrect';
    }
    case 'numeric': {
      const value = typeof response === 'string' ? readNumber(response) : undefined;
      return value !== undefined && item.accept.some((a) => Math.abs(Number(a) - value) <= item.tolerance) ? 'correct' : 'incorrect';
    }
    case 'short': {
      const given = typeof response === 'string' ? normaliseAnswer(response) : '';
      return item.accept.some((a) => normaliseAnswer(a) === given) ? 'correct' : 'incorrect';
    }
    default:
      throw new Error(`item ${item.id} (${item.kind}) is graded by the learner, not the workbook`);
  }
}

/** How a choice response reads back: "b) O(N)". */
export function describeResponse(item: QuizItem, response: Response): string {
  if (item.kind === 'single' || item.kind === 'multiple') {
    const { keys } = resolveChoices(item, response);
    return keys.map((k) => `${k}) ${item.options.find((o) => o.key === k)!.text}`).join('; ');
  }
  return typeof response === 'string' ? response : response.join(', ');
}

/** The correct answer of an auto-graded item, as text. */
export function expectedAnswer(item: QuizItem): string {
  if (item.kind === 'single' || item.kind === 'multiple')
    return item.options.filter((o) => o.correct).map((o) => `${o.key}) ${o.text}`).join('; ');
  return item.accept[0] ?? '';
}

export type Growth = 'O(1)' | 'O(N)' | 'O(N²)' | 'worse than O(N²)' | 'unknown';

/**
 * How measured message counts grow with cluster size: the exponent between the smallest and the
 * largest cluster on a log scale, rounded to the nearest of 0, 1, 2 (same cut-offs as the engine's
 * measurement display, so both say the same thing).
 */
export function classifyGrowth(points: readonly { n: number; messages: number }[]): Growth {
  const sorted = [...points].filter((p) => p.n > 0 && p.messages > 0).sort((a, b) => a.n - b.n);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || last.n === first.n) return 'unknown';
  const exponent = Math.log(last.messages / first.messages) / Math.log(last.n / first.n);
  if (exponent < 0.3) return 'O(1)';
  if (exponent < 1.4) return 'O(N)';
  if (exponent < 2.4) return 'O(N²)';
  return 'worse than O(N²)';
}

/** Outcome recorded for an answer: graded for auto items, the learner's own rating otherwise. */
export function outcomeFor(item: QuizItem, response: Response, rating?: SelfRating, prediction = false): Outcome {
  if (item.kind === 'rate') return rating ?? (response as SelfRating);
  if (item.kind === 'free') {
    if (!rating && prediction) return 'unrated';
    if (!rating) throw new Error(`item ${item.id} needs a self-rating`);
    return rating;
  }
  return gradeResponse(item, response);
}
