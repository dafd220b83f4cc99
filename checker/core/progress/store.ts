import fs from 'node:fs';
import path from 'node:path';
import { EXIT, WorkbookError } from '../../cli/command.ts';
import { emptyProgress, migrate, type Progress } from './schema.ts';

/**
 * Reading and writing the progress file so that nothing is ever lost:
 * - writes go to a temporary file that is then renamed over the old one (atomic on POSIX), so a
 *   crash or kill mid-write leaves the previous state intact;
 * - every read-modify-write holds a lock (a directory created with mkdir, which is atomic), so two
 *   workbook commands at once do not overwrite each other's updates;
 * - a file that does not parse or has the wrong shape is moved aside under a new name and reported,
 *   never silently replaced.
 */

export const PROGRESS_FILE = 'workbook-progress.json';

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

export class ProgressBusyError extends WorkbookError {
  constructor(lockPath: string) {
    super(
      `Another workbook command is saving progress right now (lock: ${lockPath}).\n` +
        'Wait for it to finish and try again. If no other command is running, delete that lock directory.',
      EXIT.busy,
    );
  }
}

export function progressPath(root: string): string {
  return path.join(root, PROGRESS_FILE);
}

function keepAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = file.replace(/\.json$/, `.corrupt-${stamp}.json`);
  fs.renameSync(file, aside);
  return aside;
}

/** Reads the saved progress; a missing file is an empty workbook. */
export function readProgress(root: string): Progress {
  const file = progressPath(root);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProgress();
    throw error;
  }
  try {
    return migrate(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `it is not valid JSON (${error.message})` : (error as Error).message;
    throw new ProgressCorruptError(reason, keepAside(file));
  }
}

function writeAtomically(file: string, progress: Progress): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, `${JSON.stringify(progress, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LOCK_WAIT_MS = 3000;
const LOCK_RETRY_MS = 25;

async function acquireLock(lockPath: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lockPath);
      fs.writeFileSync(path.join(lockPath, 'pid'), String(process.pid));
      const release = (): void => fs.rmSync(lockPath, { recursive: true, force: true });
      // If we are killed while holding the lock, do not leave it behind.
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A lock left by a process that no longer exists is stale: take it over.
    const owner = Number(fs.readFileSync(path.join(lockPath, 'pid'), { encoding: 'utf8', flag: 'a+' }) || NaN);
    if (Number.isInteger(owner) && !processIsAlive(owner)) {
      fs.rmSync(lockPath, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new ProgressBusyError(lockPath);
    await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
  }
}

/**
 * Applies `mutate` to the latest saved progress under the lock and saves the result.
 * Returns the saved progress.
 */
export async function updateProgress(root: string, mutate: (progress: Progress) => void): Promise<Progress> {
  const file = progressPath(root);
  const release = await acquireLock(`${file}.lock`);
  try {
    const progress = readProgress(root);
    mutate(progress);
    writeAtomically(file, progress);
    return progress;
  } finally {
    release();
  }
}
