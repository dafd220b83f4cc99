import fs from 'node:fs';
import { EXIT, WorkbookError } from '../../cli/command.ts';

/**
 * What the progress store needs from the outside world, in one object so that tests can inject
 * failures the real machine will not produce on demand (a full disk, a race with another CLI at
 * an exact step) and a clock that does not really sleep.
 */

export type StoreFs = Pick<
  typeof fs,
  | 'readFileSync'
  | 'writeFileSync'
  | 'openSync'
  | 'fsyncSync'
  | 'fchmodSync'
  | 'closeSync'
  | 'renameSync'
  | 'unlinkSync'
  | 'mkdirSync'
  | 'rmSync'
  | 'statSync'
  | 'readdirSync'
>;

export interface StoreDeps {
  readonly fs: StoreFs;
  /** Milliseconds since the epoch, comparable with file modification times. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** True when a process with this id exists (it may be an unrelated one that reused the id). */
  readonly processExists: (pid: number) => boolean;
  readonly pid: number;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const realDeps: StoreDeps = {
  fs,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  processExists,
  pid: process.pid,
};

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * The progress file or its folder cannot be used (permissions, full disk, a folder where the file
 * should be). Nothing saved was changed; the learner has to fix the machine, not the workbook.
 */
export class ProgressStoreError extends WorkbookError {
  constructor(message: string) {
    super(message, EXIT.progress);
  }
}

/** Says in plain words what an operating-system error on the progress file means. */
export function storeProblem(action: 'read' | 'save', target: string, error: unknown): ProgressStoreError {
  const code = errorCode(error);
  const unchanged = action === 'save' ? '\nYour saved progress is unchanged; nothing was lost.' : '';
  let reason: string;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      reason = `you do not have permission to ${action === 'read' ? 'read' : 'write'} ${target} (${code}). Make the workbook folder writable by you and try again`;
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      reason = `the disk is full (${code}). Free some space and try again`;
      break;
    case 'EISDIR':
      reason = `there is a folder at ${target}, where the progress file should be. Move that folder away (nothing in it was touched) and try again`;
      break;
    case 'ENOTDIR':
      reason = `a file stands where a folder on the path to ${target} should be (${code})`;
      break;
    default:
      reason = `${code ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return new ProgressStoreError(`Your progress could not be ${action === 'read' ? 'read' : 'saved'}: ${reason}.${unchanged}`);
}
