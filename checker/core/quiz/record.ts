import type { Progress } from '../progress/schema.ts';
import { nextSchedule } from './leitner.ts';
import type { Outcome, QuizItem } from './types.ts';
import type { Response } from './grade.ts';

/**
 * Applies one answer to progress (call it inside updateProgress so each answer is saved on its
 * own, and Ctrl-C keeps what was already answered). Checklist items set a tick; every other item
 * appends to its history and moves through the Leitner boxes.
 */
export function recordAnswer(
  progress: Progress,
  item: QuizItem,
  response: Response,
  outcome: Outcome | undefined,
  at: string,
  today: string,
  options: { readonly prediction?: boolean } = {},
): void {
  if (item.kind === 'check') {
    progress.checklist[item.id] = response === 'yes' || response === 'true';
    return;
  }
  if (!outcome) throw new Error(`item ${item.id}: an answer needs an outcome`);
  const current = progress.quiz[item.id];
  // A prediction is not yet judged: it is checked after the pattern passes, not sent to review.
  const schedule = options.prediction ? { box: current?.box ?? 1, dueOn: current?.dueOn } : nextSchedule(current, outcome, today);
  const entry = { at, response: typeof response === 'string' ? response : [...response], outcome };
  const next = { history: [...(current?.history ?? []), entry], box: schedule.box } as Progress['quiz'][string];
  if (schedule.dueOn) next.dueOn = schedule.dueOn;
  progress.quiz[item.id] = next;
}
