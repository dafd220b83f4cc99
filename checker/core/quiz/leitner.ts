import type { Outcome } from './types.ts';

/**
 * Spaced review with Leitner boxes, as a pure function of dates (ISO "YYYY-MM-DD", no clock).
 * Box 0: never struggled, not scheduled. A miss (or a wrong auto-graded answer) puts the item in
 * box 1, due the next day. "Partly" keeps it low: one box down (at least box 1). Each correct or
 * "got it" answer of a scheduled item moves it up a box with a longer wait; getting it right in
 * box 5 retires it (box 6, never due again). Items known the first time are never scheduled.
 */

export const INTERVAL_DAYS: Readonly<Record<number, number>> = { 1: 1, 2: 3, 3: 7, 4: 14, 5: 30 };
export const TOP_BOX = 5;
export const RETIRED_BOX = TOP_BOX + 1;

export interface Schedule {
  readonly box: number;
  readonly dueOn?: string;
}

/** Minimal shape of stored item progress this module needs. */
export interface ScheduledItem {
  readonly box: number;
  readonly dueOn?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function addDays(day: string, days: number): string {
  if (!isIsoDate(day)) throw new Error(`not a date: ${day}`);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The local calendar date of an instant, as YYYY-MM-DD (the CLI's "today"). */
export function localDay(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export function nextSchedule(current: Schedule | undefined, outcome: Outcome, today: string): Schedule {
  const box = current?.box ?? 0;
  if (outcome === 'incorrect' || outcome === 'missed') return { box: 1, dueOn: addDays(today, INTERVAL_DAYS[1]!) };
  if (outcome === 'partly') {
    const next = Math.max(1, Math.min(TOP_BOX, box) - 1);
    return { box: next, dueOn: addDays(today, INTERVAL_DAYS[next]!) };
  }
  // correct or got-it
  if (box === 0 || box >= RETIRED_BOX) return { box };
  if (box >= TOP_BOX) return { box: RETIRED_BOX };
  return { box: box + 1, dueOn: addDays(today, INTERVAL_DAYS[box + 1]!) };
}

export function isDue(item: ScheduledItem | undefined, today: string): boolean {
  return item?.dueOn !== undefined && item.dueOn <= today;
}

/** How many items are due for review on `today` (ISO dates compare as strings). */
export function dueCount(progress: { readonly quiz: Readonly<Record<string, ScheduledItem>> }, today: string): number {
  return Object.values(progress.quiz).filter((item) => isDue(item, today)).length;
}

/** Ids of the due items, most overdue first, then by id for a stable order. */
export function dueItemIds(progress: { readonly quiz: Readonly<Record<string, ScheduledItem>> }, today: string): string[] {
  return Object.entries(progress.quiz)
    .filter(([, item]) => isDue(item, today))
    .sort(([a, x], [b, y]) => (x.dueOn! < y.dueOn! ? -1 : x.dueOn! > y.dueOn! ? 1 : a < b ? -1 : 1))
    .map(([id]) => id);
}
