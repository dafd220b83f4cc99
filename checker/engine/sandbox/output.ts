import { formatWithOptions } from 'node:util';

/**
 * What graded code prints, kept per requirement beside its result. A learner printing without end
 * must not fill the grader's memory or the instructor's JSON: the first KEPT_BYTES are kept, the
 * rest only counted.
 */

export const KEPT_BYTES = 64 * 1024;

export interface CapturedOutput {
  /** The console graded code sees. */
  readonly console: Readonly<Record<string, (...args: unknown[]) => void>>;
  /** What was printed since the last call (with a closing note of what was dropped); clears it. */
  take(): string[];
}

// customInspect off: util.inspect must not call a method the graded code supplied.
const FORMAT = { customInspect: false, depth: 4, maxArrayLength: 50, maxStringLength: KEPT_BYTES, breakLength: 120 } as const;

export function captureOutput(keptBytes = KEPT_BYTES): CapturedOutput {
  let lines: string[] = [];
  let kept = 0;
  let dropped = 0;
  const print = (...args: unknown[]): void => {
    let line: string;
    try {
      line = formatWithOptions(FORMAT, ...args);
    } catch {
      line = '(something that could not be printed)';
    }
    const room = keptBytes - kept;
    const size = Buffer.byteLength(line);
    if (size <= room) {
      lines.push(line);
      kept += size;
      return;
    }
    if (room > 0) {
      const part = Buffer.from(line).subarray(0, room).toString();
      lines.push(part);
      kept = keptBytes;
      dropped += size - Buffer.byteLength(part);
      return;
    }
    dropped += size;
  };
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;
  const console = Object.fromEntries(methods.map((name) => [name, print]));
  return {
    console,
    take() {
      const taken = dropped > 0 ? [...lines, `… and ${dropped} more bytes`] : lines;
      lines = [];
      kept = 0;
      dropped = 0;
      return taken;
    },
  };
}
