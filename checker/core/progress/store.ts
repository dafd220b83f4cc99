import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileStamp } from '../backups.ts';
import { EXIT, WorkbookError } from '../../cli/command.ts';
import { acquireLock, LockLostError, ProgressBusyError, sweepLeftovers } from './lock.ts';
import { emptyProgress, migrate, type Progress } from './schema.ts';
import { errorCode, ProgressStoreError, realDeps, storeProblem, type StoreDeps } from './store-io.ts';

/**
 * Reading and writing the progress file so that nothing is ever lost:
 * - writes go to a temporary file (same mode as the file it replaces, fsynced) that is then renamed
 *   over the old one (atomic on POSIX), so a crash or kill mid-write leaves the previous state intact;
 * - every read-modify-write holds the lock in lock.ts, so two workbook commands at once do not
 *   overwrite each other's updates, and a lock abandoned by a killed command never wedges the next;
 * - a file that does not parse or has the wrong shape is moved aside under a new name and reported,
 *   never silently replaced;
 * - an operating-system failure (read-only folder, full disk, a folder at the file's path) is a
 *   ProgressStoreError with a plain message and exit 3, and leaves the saved file as it was.
 */

export { ProgressBusyError } from './lock.ts';
export { ProgressStoreError, type StoreDeps } from './store-io.ts';

export const PROGRESS_FILE = 'workbook-progress.json';
const BYTE_ORDER_MARK = '\uFEFF';
/** A save whose lock was taken over starts again; more than this many times in a row is a busy lock. */
const MAX_LOST_LOCKS = 5;

export class ProgressCorruptError extends WorkbookError {
  constructor(reason: string, readonly keptAt: string) {
    super(
      `Your progress file could not be read: ${reason}.\n` +
        `It has been kept, unchanged, as ${keptAt}; nothing was deleted.\n` +
        `The next command starts a fresh progress file. To get the old one back, repair it and rename it to ${PROGRESS_FILE}.`,
      EXIT.progress,
    );
  }
}

export function progressPath(root: string): string {
  return path.join(root, PROGRESS_FILE);
}

/** Reads the saved progress; a missing file is an empty workbook. */
export function readProgress(root: string, deps: StoreDeps = realDeps): Progress {
  const file = progressPath(root);
  let text: string;
  try {
    text = deps.fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return emptyProgress();
    throw storeProblem('read', file, error);
  }
  // Some Windows editors save JSON with a byte-order mark, which JSON.parse rejects.
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  let reason: string;
  try {
    return migrate(JSON.parse(text));
  } catch (error) {
    reason = error instanceof SyntaxError ? `it is not valid JSON (${error.message})` : (error as Error).message;
  }
  const aside = file.replace(/\.json$/, `.corrupt-${fileStamp(new Date(deps.now()))}.json`);
  try {
    deps.fs.renameSync(file, aside);
  } catch (error) {
    // Another command set it aside a moment ago: read what is there now.
    if (errorCode(error) === 'ENOENT') return readProgress(root, deps);
    throw new ProgressStoreError(
      `Your progress file could not be read: ${reason}.\nIt could not be set aside either (${errorCode(error) ?? String(error)}), so it is unchanged at ${file}. ` +
        'Repair it, or move it away to start afresh.',
    );
  }
  throw new ProgressCorruptError(reason, aside);
}

function syncDirectory(dir: string, deps: StoreDeps): void {
  // Makes the rename itself durable across a power cut; not possible on every platform, so best effort.
  try {
    const fd = deps.fs.openSync(dir, 'r');
    try {
      deps.fs.fsyncSync(fd);
    } finally {
      deps.fs.closeSync(fd);
    }
  } catch {
    // the rename is still atomic, only perhaps not yet on disk
  }
}

function currentMode(file: string, deps: StoreDeps): number | undefined {
  try {
    return deps.fs.statSync(file).mode & 0o7777;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw storeProblem('save', file, error);
  }
}

function writeAtomically(file: string, progress: Progress, stillHeld: () => boolean, deps: StoreDeps): void {
  const mode = currentMode(file, deps);
  const temp = `${file}.${deps.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    fd = deps.fs.openSync(temp, 'wx', mode ?? 0o666);
    if (mode !== undefined) {
      // openSync's mode passes through the umask; the learner's chosen mode is kept as it was.
      try {
        deps.fs.fchmodSync(fd, mode);
      } catch {
        // not the file's owner: the content matters more than its mode
      }
    }
    deps.fs.writeFileSync(fd, `${JSON.stringify(progress, null, 2)}\n`);
    deps.fs.fsyncSync(fd);
    deps.fs.closeSync(fd);
    fd = undefined;
    if (!stillHeld()) throw new LockLostError();
    deps.fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) {
      try {
        deps.fs.closeSync(fd);
      } catch {
        // already closed or never valid
      }
    }
    try {
      deps.fs.rmSync(temp, { force: true });
    } catch {
      // swept by the next save
    }
    if (error instanceof LockLostError) throw error;
    throw storeProblem('save', file, error);
  }
  syncDirectory(path.dirname(file), deps);
}

/**
 * Applies `mutate` to the latest saved progress under the lock and saves the result.
 * Returns the saved progress.
 */
export async function updateProgress(
  root: string,
  mutate: (progress: Progress) => void,
  deps: StoreDeps = realDeps,
): Promise<Progress> {
  const file = progressPath(root);
  const lockPath = `${file}.lock`;
  for (let lost = 0; lost < MAX_LOST_LOCKS; lost++) {
    const lock = await acquireLock(lockPath, deps);
    try {
      sweepLeftovers(file, deps);
      const progress = readProgress(root, deps);
      mutate(progress);
      writeAtomically(file, progress, lock.stillHeld, deps);
      return progress;
    } catch (error) {
      if (!(error instanceof LockLostError)) throw error;
    } finally {
      lock.release();
    }
  }
  throw new ProgressBusyError(lockPath);
}
