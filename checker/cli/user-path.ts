import fs from 'node:fs';
import path from 'node:path';
import type { CliIO } from './command.ts';

/**
 * A path the user typed, resolved where they typed it: npm runs scripts from the package root, and
 * INIT_CWD is the folder the command was started in.
 */
export function userPath(io: Pick<CliIO, 'env'>, given: string): string {
  return path.resolve(io.env.INIT_CWD ?? process.cwd(), given);
}

/**
 * Reads a file a verdict points at (for a code frame): only inside the workbook, only a small
 * regular file; anything else shows no frame rather than failing the verdict.
 */
export function sourceReader(root: string): (file: string) => string | undefined {
  return (file) => {
    const full = path.resolve(root, file);
    if (path.relative(root, full).startsWith('..')) return undefined;
    try {
      const stats = fs.statSync(full);
      return stats.isFile() && stats.size < 1024 * 1024 ? fs.readFileSync(full, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}
