/**
 * Time, as the exercises see it.
 *
 * Every exercise takes a `Clock` instead of calling `Date.now()` or `setTimeout` directly.
 * The demos pass `systemClock` (real time); the graders pass a simulated clock whose time
 * only moves when the grader says so. That is what lets a grader say "node 5 stops sending
 * heartbeats, 999 ms pass, nobody reacts; 2 more ms pass, an election starts" and get the
 * same answer on every machine, every run.
 */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

export interface Clock {
  /** Milliseconds since some fixed origin. Only differences matter. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, periodMs: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, periodMs) => setInterval(callback, periodMs),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
