import { Chalk, type ChalkInstance } from 'chalk';

/** A chalk instance that colours only when asked to (TTY and no NO_COLOR, decided by main.ts). */
export function palette(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

export function indent(text: string, by: number): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}
