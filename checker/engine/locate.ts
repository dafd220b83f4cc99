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

// esbuild (behind tsx) reports syntax errors as "<file>:<line>:<col>: ERROR: <message>".
const TRANSFORM = /([^\s:]+\.[cm]?tsx?):(\d+):(\d+): ERROR: (.+)/;

/** Describes an error thrown by `import()` of the graded file. */
export function describeLoadError(error: unknown, targetPath: string): CodeProblem {
  const message = error instanceof Error ? error.message : String(error);
  const transform = TRANSFORM.exec(message);
  if (transform) {
    return {
      kind: 'syntax',
      message: `syntax error: ${transform[4]!.trim()}`,
      location: { file: targetPath, line: Number(transform[2]), column: Number(transform[3]) },
    };
  }
  if (error instanceof SyntaxError) {
    return { kind: 'syntax', message: `syntax error: ${firstLine(message)}`, location: locateInFile(error, targetPath) };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' && !message.includes(targetPath)) {
    return { kind: 'load', message: `an import in your file could not be found: ${firstLine(message)}` };
  }
  if (code === 'ERR_MODULE_NOT_FOUND') {
    return { kind: 'load', message: `the file does not exist: ${targetPath}` };
  }
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
