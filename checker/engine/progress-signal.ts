/**
 * Where a stuck check was. A worker caught in a loop cannot answer messages, so each scenario step
 * is kept on the worker's global object; when a check runs past its guard, the parent pauses the
 * worker through the inspector (stuck.ts) and reads the last step there, to tell the learner which
 * action never returned.
 *
 * Keeping a step is one assignment: steps are begun far more often than they are read (every
 * scenario of every schedule), so nothing is encoded or copied until a worker is found stuck.
 */

// On the global object, not in this module: the grader and the worker are separate bundles, each
// with its own copy of this module. Graded code runs in a Compartment with a global of its own.
const SLOT = Symbol.for('consensus-workbook.last-step');
const MAX_SHOWN = 340;

/** Called by Scenario for each step; undefined (the worker, as a requirement starts) forgets the last. */
export function signalStep(text: string | undefined): void {
  (globalThis as { [SLOT]?: string })[SLOT] = text;
}

/** The expression the parent evaluates in the paused worker: the last step, cut to a readable length. */
export const LAST_STEP_EXPRESSION = `(s => typeof s !== 'string' ? undefined : s.length > ${MAX_SHOWN} ? s.slice(0, ${MAX_SHOWN}) + '…' : s)(globalThis[Symbol.for('consensus-workbook.last-step')])`;

