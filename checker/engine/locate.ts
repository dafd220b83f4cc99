import { fileURLToPath } from 'node:url';
import type { CodeProblem } from './results.ts';

/**
 * Turns an error raised while loading or running a graded file into a CodeProblem that names that
 * file and line, never our internals. Pure: takes the error and the file path, returns data.
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

/** The first stack frame inside `targetPath`, if any. */
export function locateInFile(error: unknown, targetPath: string): CodeProblem['location'] {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = parseFrames(stack).find((f) => f.file === targetPath);
  return frame ? { file: targetPath, line: frame.line, column: frame.column } : undefined;
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? text;
}

/**
 * Describes an error thrown by `import()` of the graded file's bundle: its top-level code threw.
 * Syntax errors and missing imports never get this far; compile.ts reports them from esbuild.
 */
export function describeLoadError(error: unknown, targetPath: string): CodeProblem {
  // A SyntaxError here comes from code the file runs (JSON.parse, say), not from its own syntax.
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  return {
    kind: 'exception',
    message: `loading the file threw ${name}: ${firstLine(message)}`,
    location: locateInFile(error, targetPath),
  };
}

/** Describes an exception thrown by the graded code while a requirement ran. */
export function describeException(error: unknown, targetPath: string): CodeProblem {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  return { kind: 'exception', message: `${name}: ${message}`, location: locateInFile(error, targetPath) };
}
