import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeProblem } from './results.ts';
import type { Violation } from './sandbox/boundary.ts';
import { toSourcePositions } from './stuck.ts';

/**
 * Turns an error raised while loading or running a graded file into a CodeProblem that names that
 * file and line, never our internals. The graded code runs from its bundle (compile.ts), so a
 * frame names the bundle; its inline source map leads back to the learner's .ts line.
 */

const FRAME = /(?:\(|\s|^)((?:file:\/\/)?\/[^():\s]+):(\d+):(\d+)\)?\s*$/;

interface Frame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

function parseFrames(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const raw = match[1]!;
    const file = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
    frames.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/** The stack of an error, read without running code the graded file may have put on it. */
function stackOf(error: unknown): string {
  try {
    const own = error !== null && typeof error === 'object' ? Object.getOwnPropertyDescriptor(error, 'stack') : undefined;
    return typeof own?.value === 'string' ? own.value : '';
  } catch {
    return '';
  }
}

/** The first stack frame inside `targetPath` (directly, or through the bundle's source map). */
export function locateInStack(stack: string, targetPath: string, bundlePath?: string): CodeProblem['location'] {
  for (const frame of parseFrames(stack)) {
    if (frame.file === targetPath) return { file: targetPath, line: frame.line, column: frame.column };
    if (bundlePath && frame.file === bundlePath) {
      const [position] = toSourcePositions([{ url: pathToFileURL(bundlePath).href, lineNumber: frame.line - 1, columnNumber: frame.column - 1 }]);
      if (position?.file === targetPath) return position;
    }
  }
  return undefined;
}

export function locateInFile(error: unknown, targetPath: string, bundlePath?: string): CodeProblem['location'] {
  return locateInStack(stackOf(error), targetPath, bundlePath);
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? text;
}

/** Name and message, read as plain data: graded code may throw anything, getters included. */
function describeThrown(error: unknown): { name: string; message: string } {
  try {
    if (error instanceof Error) {
      const name = Object.getOwnPropertyDescriptor(error, 'name')?.value ?? Object.getPrototypeOf(error)?.constructor?.name ?? 'Error';
      const message = Object.getOwnPropertyDescriptor(error, 'message')?.value ?? '';
      return { name: String(name), message: firstLine(String(message)) };
    }
    return { name: typeof error, message: typeof error === 'object' && error !== null ? '(a thrown object)' : String(error) };
  } catch {
    return { name: 'Error', message: '(an error that could not be read)' };
  }
}

/**
 * A write to a frozen shared built-in. V8 names the object `[object JSON]`, `[object Math]`, and
 * SES names the frozen intrinsics `%ArrayPrototype%` and the like; a learner's own frozen object
 * reads `#<Object>` and is an ordinary exception.
 */
const FROZEN_BUILTIN = /^Cannot (?:assign to read only property|add property|define property|redefine property|delete property)\b.*(?:%\w+%|\[object \w+\])/;

function plainMessage(name: string, message: string): { kind: CodeProblem['kind']; message: string } {
  if (FROZEN_BUILTIN.test(message)) {
    return { kind: 'forbidden', message: `tried to change a shared built-in (${message}), which graded code cannot do: built-ins are frozen` };
  }
  return { kind: 'exception', message: `${name}: ${message}` };
}

/** What a recorded attempt to reach past the boundary reads as. */
export function describeViolation(violation: Violation, targetPath: string, bundlePath?: string): CodeProblem {
  const location = locateInStack(violation.stack, targetPath, bundlePath);
  const message = violation.what.startsWith('process.exit')
    ? 'your code called process.exit(), a function graded code does not have: there is no process to end here; return a value or throw an error instead'
    : `tried to use ${violation.what}, which graded code cannot reach`;
  return { kind: 'forbidden', message, ...(location ? { location } : {}) };
}

/**
 * Describes an error thrown while the graded file's bundle was evaluated: its top-level code threw.
 * Syntax errors and refused imports never get this far; compile.ts reports them from esbuild.
 */
export function describeLoadError(error: unknown, targetPath: string, bundlePath?: string): CodeProblem {
  // A SyntaxError here comes from code the file runs (JSON.parse, say), not from its own syntax.
  const { name, message } = describeThrown(error);
  const plain = plainMessage(name, message);
  const location = locateInFile(error, targetPath, bundlePath);
  return {
    kind: plain.kind === 'forbidden' ? 'forbidden' : 'exception',
    message: plain.kind === 'forbidden' ? plain.message : `loading the file threw ${name}: ${message}`,
    ...(location ? { location } : {}),
  };
}

/** Describes an exception thrown by the graded code while a requirement ran. */
export function describeException(error: unknown, targetPath: string, bundlePath?: string): CodeProblem {
  const { name, message } = describeThrown(error);
  const location = locateInFile(error, targetPath, bundlePath);
  return { ...plainMessage(name, message), ...(location ? { location } : {}) };
}

/** A line of a V8 stack: `at name (where:line:column)`, `at where:line:column`, `at name (native)`... */
const FRAME_LINE = /^(\s*)at\s+(?:async\s+)?(?:(.*?)\s+\()?.*(?::\d+:\d+\)?|\((?:<anonymous>|native|index \d+)\))\s*$/;

/**
 * A stack in text the graded code printed or returned, shown as the learner needs it: each frame
 * in their file at its line in their .ts file (through the bundle's source map), each run of
 * other frames (the grader's, the engine's, Node's) as one "… in the grader" line. No grader call
 * site and no path of ours is shown; the learner's file keeps its full path here, for the parent
 * to write it as the learner knows it (inertData).
 */
export function collapseStacks(text: string, targetPath: string, bundlePath?: string): string {
  if (!/^\s*at\s/m.test(text)) return text;
  const out: string[] = [];
  let inGrader = false;
  for (const line of text.split('\n')) {
    const frame = FRAME_LINE.exec(line);
    if (!frame) {
      out.push(line);
      inGrader = false;
      continue;
    }
    const where = locateInStack(line, targetPath, bundlePath);
    if (where) {
      const name = frame[2] ? `${frame[2]} ` : '';
      out.push(`${frame[1]}at ${name}(${where.file}:${where.line}:${where.column})`);
      inGrader = false;
    } else if (!inGrader) {
      out.push(`${frame[1]}… in the grader`);
      inGrader = true;
    }
  }
  return out.join('\n');
}
