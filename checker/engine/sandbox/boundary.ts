/**
 * The edge of what graded code may touch. Names of the host (process, require, timers of the
 * machine, the worker's channel...) are present in the learner's compartment only as traps: using
 * one records a violation and throws. The grader's side reads the record after each requirement,
 * so a learner who catches the error and carries on is still reported: an attempt to break out
 * is never a pass.
 */

export class BoundaryError extends Error {
  constructor(readonly what: string) {
    super(`${what} is not available to graded code`);
    this.name = 'BoundaryError';
  }
}

export interface Violation {
  readonly what: string;
  /** The stack at the moment of the attempt, to locate it in the learner's file. */
  readonly stack: string;
}

/** Host globals that exist in Node but not for graded code. */
export const TRAPPED_GLOBALS = [
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'global',
  'Buffer',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'Worker',
  'postMessage',
  'parentPort',
  'workerData',
  'MessageChannel',
  'BroadcastChannel',
  'performance',
  'navigator',
  'crypto',
  'SharedArrayBuffer',
  'Atomics',
  'WebAssembly',
] as const;

export class Boundary {
  private first: Violation | undefined;

  /** Records the attempt (the first one counts) and throws it at the caller. */
  violate(what: string): never {
    const error = new BoundaryError(what);
    this.first ??= { what, stack: error.stack ?? '' };
    throw error;
  }

  /** The first attempt since the last call, if any; clears the record. */
  take(): Violation | undefined {
    const violation = this.first;
    this.first = undefined;
    return violation;
  }
}
