import FakeTimers from '@sinonjs/fake-timers';
import type { Clock, TimerHandle } from '#workbook/clock';

/**
 * A simulated clock for graders: time stands still until `advance` moves it.
 * Built on @sinonjs/fake-timers (the engine behind vitest's fake timers), but installed on a
 * private object rather than on globals, so a learner's stray `setTimeout` is not silently faked
 * and the grader can count exactly the timers the learner created through the clock.
 */
export interface SimClock extends Clock {
  /** Moves time forward, firing due timers and letting promises settle between them. */
  advance(ms: number): Promise<void>;
  /** Moves time forward synchronously (for code with no promises involved). */
  advanceSync(ms: number): void;
  /** Timers (timeouts and intervals) still scheduled on this clock. */
  pendingTimers(): number;
}

// A learner's interval that re-schedules itself forever would otherwise spin `advance` without end.
const LOOP_LIMIT = 100_000;

/**
 * fake-timers builds its fake Date by subclassing the Date it is given and assigning `now` and
 * `toString` on the subclass. In the locked-down grading realm Date's own `now` is frozen, and an
 * assignment over a frozen inherited property fails; a subclass that owns both lets it shadow them.
 */
class ShadowableDate extends Date {
  static override now(): number {
    return Date.now();
  }
  static override toString(): string {
    return Date.toString();
  }
}

export function createSimClock(startMs = 0): SimClock {
  // Building a fake-timers clock costs far more than the few reads of `now` many graded objects
  // make (a CRDT history replayed thousands of times, each replay on a fresh clock). So the clock
  // starts as a bare number and becomes a fake-timers clock, at the time it has reached, the first
  // time anything but `now`, `advanceSync` by whole milliseconds or `pendingTimers` is asked of it.
  // Until then no timer exists, so moving time fires nothing and the two are indistinguishable.
  const state: ClockState = { timers: undefined, idleNow: startMs };
  if (!Number.isSafeInteger(startMs)) started(state);

  // Frozen: the clock is handed to graded code, which must not swap `advance` for a no-op to keep
  // time from moving under the grader. Methods rather than arrow properties: with esbuild's
  // keepNames (tsx and our bundles) every named arrow costs a defineProperty per clock made, and
  // graders make one per random schedule. None uses `this`, so each still works detached.
  const clock: SimClock = {
    now() {
      return state.timers ? state.timers.now : state.idleNow;
    },
    setTimeout(callback, delayMs) {
      return started(state).setTimeout(callback, delayMs) as TimerHandle;
    },
    clearTimeout(handle) {
      started(state).clearTimeout(handle as FakeTimers.TimerId);
    },
    setInterval(callback, periodMs) {
      return started(state).setInterval(callback, periodMs) as TimerHandle;
    },
    clearInterval(handle) {
      started(state).clearInterval(handle as FakeTimers.TimerId);
    },
    sleep(ms) {
      return new Promise<void>((resolve) => started(state).setTimeout(() => resolve(), ms));
    },
    async advance(ms) {
      await started(state).tickAsync(ms);
    },
    advanceSync(ms) {
      if (!state.timers && Number.isSafeInteger(ms) && ms >= 0 && Number.isSafeInteger(state.idleNow + ms)) state.idleNow += ms;
      else started(state).tick(ms);
    },
    pendingTimers() {
      return state.timers ? state.timers.countTimers() : 0;
    },
  };
  return Object.freeze(clock);
}

/** A clock's time before it needs fake timers, and its fake-timers clock once it does. */
interface ClockState {
  timers: FakeTimers.Clock | undefined;
  idleNow: number;
}

function started(state: ClockState): FakeTimers.Clock {
  return (state.timers ??= fakeTimersClock(state.idleNow));
}

function fakeTimersClock(startMs: number): FakeTimers.Clock {
  // fake-timers offers the async tick (which lets promises settle between timers) only when the
  // object it is given has a Promise.
  return FakeTimers.withGlobal({
    Date: ShadowableDate,
    Promise,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
  } as unknown as typeof globalThis).createClock(startMs, LOOP_LIMIT);
}
