import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { EXIT, WorkbookError } from '../../cli/command.ts';
import { errorCode, storeProblem, type StoreDeps } from './store-io.ts';

/**
 * The lock that serialises read-modify-write of the progress file between workbook commands: a
 * directory (mkdir is atomic everywhere, Windows included) holding a file with the owner's pid and
 * a token unique to this acquisition.
 *
 * A lock is held only for one synchronous read-and-write, a few milliseconds. So a lock can be
 * taken over when its owner is gone (kill -9, power cut) and, to never wedge, also after a bounded
 * age when the owner cannot be told: an empty or garbled pid file (a kill between mkdir and writing
 * the pid), or a pid that is alive but old enough that it must be an unrelated process that reused
 * the id. We do not use proper-lockfile: it recovers only by age (a killed command would block the
 * next one for its whole stale period) and its sync API does not wait.
 *
 * Takeover renames the stale directory to a unique name first (atomic, so of several waiters only
 * one wins) and checks that it moved the lock it judged, not a newer one. A holder checks its token
 * is still in place just before it renames its new file in; a holder that lost its lock writes
 * nothing and starts over, so no update is lost to a takeover.
 */

const OWNER_FILE = 'pid';
/** An owner that cannot be identified (empty, garbled, unreadable pid file) is given this long. */
export const STALE_UNKNOWN_OWNER_MS = 2_000;
/** A live pid still holding after this long is not one of our saves (they take milliseconds). */
export const STALE_LIVE_OWNER_MS = 10_000;
/** Longer than both bounds above, so one command always recovers an abandoned lock. */
export const LOCK_WAIT_MS = 12_000;
const LOCK_RETRY_MS = 20;

export class ProgressBusyError extends WorkbookError {
  constructor(lockPath: string) {
    super(
      `Another workbook command is saving progress right now (lock: ${lockPath}).\n` +
        'Wait for it to finish and try again. If no other command is running, delete that lock directory.',
      EXIT.busy,
    );
  }
}

/** Thrown inside a save whose lock was taken over; the save is retried from a fresh read. */
export class LockLostError extends Error {}

export interface HeldLock {
  /** True while the lock directory still carries this acquisition's token. */
  stillHeld(): boolean;
  release(): void;
}

/** Errors that mean another command moved the lock at the same moment: look again rather than fail. */
const RACES = new Set(['ENOENT', 'ENOTEMPTY', 'EEXIST', 'EBUSY']);

/** A lock is told apart from a newer one at the same path by its inode and its owner file together (an inode number can be reused at once). */
interface LockIdentity {
  readonly ino: number;
  readonly owner: string;
}

type Look = { kind: 'gone' } | { kind: 'held' } | ({ kind: 'stale' } & LockIdentity);

function uniqueSuffix(deps: StoreDeps): string {
  return `${deps.pid}-${randomBytes(4).toString('hex')}`;
}

function readOwner(lockPath: string, deps: StoreDeps): string {
  try {
    return deps.fs.readFileSync(path.join(lockPath, OWNER_FILE), 'utf8');
  } catch {
    // Not written yet, vanished with its lock, or unreadable: all mean "owner unknown" here.
    return '';
  }
}

function ownerPid(text: string): number | undefined {
  const first = /^\s*(\d{1,10})\b/.exec(text)?.[1];
  const pid = first === undefined ? NaN : Number(first);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function tryCreate(lockPath: string, token: string, deps: StoreDeps): boolean {
  try {
    deps.fs.mkdirSync(lockPath);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw storeProblem('save', lockPath, error);
  }
  try {
    deps.fs.writeFileSync(path.join(lockPath, OWNER_FILE), `${deps.pid} ${token}\n`);
  } catch (error) {
    // ENOENT: another command judged our pid-less lock stale in between; try again.
    if (errorCode(error) === 'ENOENT') return false;
    removeQuietly(lockPath, deps);
    throw storeProblem('save', lockPath, error);
  }
  return true;
}

function look(lockPath: string, deps: StoreDeps): Look {
  let stat;
  try {
    stat = deps.fs.statSync(lockPath);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'gone' };
    throw storeProblem('save', lockPath, error);
  }
  const owner = readOwner(lockPath, deps);
  const pid = ownerPid(owner);
  if (pid !== undefined && !deps.processExists(pid)) return { kind: 'stale', ino: stat.ino, owner };
  // abs: a modification time in the future (a copied folder, a clock set back) must not wedge either.
  const age = Math.abs(deps.now() - stat.mtimeMs);
  const bound = pid === undefined ? STALE_UNKNOWN_OWNER_MS : STALE_LIVE_OWNER_MS;
  return age > bound ? { kind: 'stale', ino: stat.ino, owner } : { kind: 'held' };
}

/** Moves the lock out of the way unless someone else already did; removes it if it is the one judged stale. */
function breakStale(lockPath: string, judged: LockIdentity, deps: StoreDeps): void {
  const grave = `${lockPath}.stale-${uniqueSuffix(deps)}`;
  try {
    deps.fs.renameSync(lockPath, grave);
  } catch (error) {
    // Another command broke it first, or is busy with it: look again.
    if (RACES.has(errorCode(error) ?? '')) return;
    throw storeProblem('save', lockPath, error);
  }
  let moved: LockIdentity;
  try {
    moved = { ino: deps.fs.statSync(grave).ino, owner: readOwner(grave, deps) };
  } catch {
    return;
  }
  if (moved.ino !== judged.ino || moved.owner !== judged.owner) {
    // Between our look and our rename the stale lock was broken and a new one taken: give it back.
    try {
      deps.fs.renameSync(grave, lockPath);
      return;
    } catch {
      // A third command holds the lock now; the one we moved will see its token gone and retry.
    }
  }
  removeQuietly(grave, deps);
}

/** Removes a lock moved out of the way; what cannot be removed now is swept by a later save. */
function removeQuietly(target: string, deps: StoreDeps): void {
  try {
    deps.fs.rmSync(target, { recursive: true, force: true });
  } catch {
    // ENOTEMPTY or EBUSY from a concurrent command: left for sweepLeftovers
  }
}

export async function acquireLock(lockPath: string, deps: StoreDeps): Promise<HeldLock> {
  const token = uniqueSuffix(deps);
  const deadline = deps.now() + LOCK_WAIT_MS;
  for (;;) {
    if (tryCreate(lockPath, token, deps)) return heldLock(lockPath, token, deps);
    const seen = look(lockPath, deps);
    if (seen.kind === 'stale') breakStale(lockPath, seen, deps);
    if (deps.now() > deadline) throw new ProgressBusyError(lockPath);
    if (seen.kind === 'held') await deps.sleep(LOCK_RETRY_MS);
  }
}

function heldLock(lockPath: string, token: string, deps: StoreDeps): HeldLock {
  const stillHeld = (): boolean => readOwner(lockPath, deps).includes(token);
  return {
    stillHeld,
    release() {
      if (!stillHeld()) return;
      const grave = `${lockPath}.released-${uniqueSuffix(deps)}`;
      try {
        // Renamed away first, so no other command ever sees a half-removed (empty) lock.
        deps.fs.renameSync(lockPath, grave);
      } catch {
        // Progress is saved; a lock we failed to remove is recovered by the next command.
        return;
      }
      removeQuietly(grave, deps);
    },
  };
}

/** Leftovers of commands killed mid-save: temporary files and half-removed locks, removed under the lock. */
export function sweepLeftovers(file: string, deps: StoreDeps): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = deps.fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const rest = name.slice(base.length + 1);
    const temp = /^(\d+)\.[0-9a-z-]+\.tmp$/.exec(rest);
    const grave = /^lock\.(?:stale|released)-(\d+)-[0-9a-f]+$/.exec(rest);
    const pid = Number((temp ?? grave)?.[1]);
    if (!pid) continue;
    const full = path.join(dir, name);
    try {
      const age = Math.abs(deps.now() - deps.fs.statSync(full).mtimeMs);
      // Only the lock holder writes a temporary file, and we hold the lock: another live process's
      // one is a save whose lock was taken over, still in flight; leave it until it is plainly old.
      // Ours are never in flight here (a save is one synchronous step).
      if (pid !== deps.pid && deps.processExists(pid) && age < STALE_LIVE_OWNER_MS) continue;
      deps.fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove: harmless either way.
    }
  }
}
