import { Chalk, type ChalkInstance } from 'chalk';

/** A chalk instance that colours only when asked to (see wantsColor, decided once by main.ts). */
export function palette(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/**
 * Colour only on a terminal that can show it: not when piped, not with NO_COLOR (no-color.org) or
 * --no-color, and not on TERM=dumb (Emacs shell buffers, some CI logs), which prints escape codes
 * as garbage.
 */
export function wantsColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv, argv: readonly string[]): boolean {
  if (!isTTY || argv.includes('--no-color') || 'NO_COLOR' in env) return false;
  return env.TERM !== 'dumb';
}

export function indent(text: string, by: number): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}

/** Widest text we wrap to: beyond about 100 columns prose gets hard to read, even on a wide terminal. */
const MAX_TEXT_WIDTH = 100;

/** Columns to wrap prose to: the terminal's width (at most MAX_TEXT_WIDTH), 80 when not on a terminal. */
export function terminalWidth(stream: { columns?: number; isTTY?: boolean } = process.stdout): number {
  const columns = stream.isTTY && stream.columns ? stream.columns : 80;
  return Math.max(20, Math.min(MAX_TEXT_WIDTH, columns - 1));
}
