/**
 * Where a stuck check was. A worker caught in a loop cannot answer messages, so each scenario
 * step is also written into memory shared with the parent; when the parent stops the worker, it
 * reads the last step from there and tells the learner which action never returned.
 */

const BYTES = 1024;
const LENGTH_SLOT = 0;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createStepSignal(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 + BYTES);
}

// Kept on the global object, not in this module: the grader and the worker are separate bundles,
// each with its own copy of this module.
const SLOT = Symbol.for('consensus-workbook.step-signal');
type Signal = { length: Int32Array; text: Uint8Array };
const holder = globalThis as { [SLOT]?: Signal };

/** In the worker: route scenario steps into `buffer`. */
export function attachStepSignal(buffer: SharedArrayBuffer): void {
  holder[SLOT] = { length: new Int32Array(buffer, 0, 1), text: new Uint8Array(buffer, 4, BYTES) };
}

/** Called by Scenario for each step; a no-op outside a grading worker. */
export function signalStep(text: string): void {
  const current = holder[SLOT];
  if (!current) return;
  const { written } = encoder.encodeInto(text.length > BYTES / 3 ? `${text.slice(0, BYTES / 3)}…` : text, current.text);
  Atomics.store(current.length, LENGTH_SLOT, written);
}

/** In the parent: the last step the worker signalled, if any. */
export function readStepSignal(buffer: SharedArrayBuffer): string | undefined {
  const length = Atomics.load(new Int32Array(buffer, 0, 1), LENGTH_SLOT);
  return length > 0 ? decoder.decode(new Uint8Array(buffer, 4, length).slice()) : undefined;
}
