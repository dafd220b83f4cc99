import path from 'node:path';
import type { CliIO } from './command.ts';

/**
 * A path the user typed, resolved where they typed it: npm runs scripts from the package root, and
 * INIT_CWD is the folder the command was started in.
 */
export function userPath(io: Pick<CliIO, 'env'>, given: string): string {
  return path.resolve(io.env.INIT_CWD ?? process.cwd(), given);
}
