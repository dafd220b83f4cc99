import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/command.ts';
import { LOCK_WAIT_MS, STALE_LIVE_OWNER_MS, STALE_UNKNOWN_OWNER_MS } from './lock.ts';
import { ProgressBusyError, progressPath, readProgress, updateProgress } from './store.ts';
import { fsError, testDeps } from './test-deps.ts';

let root: string;
let lock: string;
let sleeper: ChildProcess | undefined;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-lock-test-'));
  lock = `${progressPath(root)}.lock`;
});
afterEach(() => {
  sleeper?.kill();
  sleeper = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

const tick = (key: string) => (p: { checklist: Record<string, boolean> }) => void (p.checklist[key] = true);

/** A lock as a command killed at some point would leave it; `owner` undefined means no pid file at all. */
function leaveLock(owner: string | undefined, ageMs = 0): void {
  fs.mkdirSync(lock);
  if (owner !== undefined) fs.writeFileSync(path.join(lock, 'pid'), owner);
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(lock, when, when);
}

function expectSavedAndUnlocked(key: string): void {
  expect(readProgress(root).checklist[key]).toBe(true);
  expect(fs.readdirSync(root)).toEqual(['workbook-progress.json']);
}

describe('progress lock: a lock left behind never wedges the store', () => {
  it('takes over at once a lock whose owner no longer exists', async () => {
    leaveLock('999999');
    const { deps, elapsed } = testDeps();
    await updateProgress(root, tick('x'), deps);
    expectSavedAndUnlocked('x');
    expect(elapsed()).toBe(0);
  });

  for (const [what, owner] of [
    ['an empty pid file', ''],
    ['a garbled pid file', 'hello\u0000'],
    ['no pid file at all', undefined],
  ] as const) {
    it(`takes over a lock with ${what} once it is older than the bound, not before`, async () => {
      leaveLock(owner);
      const { deps, elapsed } = testDeps();
      await updateProgress(root, tick('x'), deps);
      expectSavedAndUnlocked('x');
      expect(elapsed()).toBeGreaterThanOrEqual(STALE_UNKNOWN_OWNER_MS - 50);
      expect(elapsed()).toBeLessThan(LOCK_WAIT_MS);
    });

    it(`takes over at once a lock with ${what} that is already old`, async () => {
      leaveLock(owner, STALE_UNKNOWN_OWNER_MS * 5);
      const { deps, elapsed } = testDeps();
      await updateProgress(root, tick('x'), deps);
      expectSavedAndUnlocked('x');
      expect(elapsed()).toBe(0);
    });
  }

  it('takes over a lock of a live, unrelated process (a reused pid) after the bound', async () => {
    sleeper = spawn('sleep', ['60']);
    leaveLock(String(sleeper.pid));
    const { deps, elapsed } = testDeps();
    await updateProgress(root, tick('x'), deps);
    expectSavedAndUnlocked('x');
    expect(elapsed()).toBeGreaterThanOrEqual(STALE_LIVE_OWNER_MS - 50);
    expect(sleeper.exitCode).toBeNull();
  });

  it('takes over at once a lock of a live unrelated process that is older than the bound', async () => {
    sleeper = spawn('sleep', ['60']);
    leaveLock(String(sleeper.pid), STALE_LIVE_OWNER_MS * 3);
    const { deps, elapsed } = testDeps();
    await updateProgress(root, tick('x'), deps);
    expectSavedAndUnlocked('x');
    expect(elapsed()).toBe(0);
  });

  it('gives up with a busy error (exit 4) while the lock keeps being renewed by live commands', async () => {
    leaveLock(String(process.pid));
    // Every look finds a lock taken a moment ago, as under a stream of other commands.
    let clock = (): number => 0;
    const renewed = ((file: fs.PathLike) => ({ ...fs.statSync(file), mtimeMs: clock() })) as typeof fs.statSync;
    const { deps: busyDeps, elapsed } = testDeps({ fs: { statSync: renewed } });
    clock = busyDeps.now;
    const error = await updateProgress(root, tick('x'), busyDeps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgressBusyError);
    expect((error as ProgressBusyError).exitCode).toBe(EXIT.busy);
    expect(elapsed()).toBeGreaterThanOrEqual(LOCK_WAIT_MS);
    expect(fs.existsSync(lock)).toBe(true);
  });
});

describe('progress lock: races between commands are retried, not crashes', () => {
  it('retries when the lock it saw vanishes before it can look at it (ENOENT)', async () => {
    let first = true;
    const { deps } = testDeps({
      fs: {
        mkdirSync: ((dir: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
          if (String(dir) === lock && first) {
            first = false;
            throw fsError('EEXIST', 'mkdir', lock); // held by another command, released right after
          }
          return fs.mkdirSync(dir, options);
        }) as typeof fs.mkdirSync,
      },
    });
    await updateProgress(root, tick('x'), deps);
    expectSavedAndUnlocked('x');
  });

  it('retries when another command is breaking the same stale lock (ENOTEMPTY, ENOENT on rename)', async () => {
    leaveLock('999999');
    const failures = ['ENOTEMPTY', 'ENOENT'];
    const { deps } = testDeps({
      fs: {
        renameSync: ((from: fs.PathLike, to: fs.PathLike) => {
          const code = String(from) === lock ? failures.shift() : undefined;
          if (code) throw fsError(code, 'rename', lock);
          fs.renameSync(from, to);
        }) as typeof fs.renameSync,
      },
    });
    await updateProgress(root, tick('x'), deps);
    expectSavedAndUnlocked('x');
    expect(failures).toEqual([]);
  });

  it('does not fail when removing a broken lock races with another command (ENOTEMPTY on rm)', async () => {
    leaveLock('999999');
    let failed = false;
    const { deps } = testDeps({
      fs: {
        rmSync: ((target: fs.PathLike, options?: fs.RmOptions) => {
          if (!failed && String(target).includes('.lock.stale-')) {
            failed = true;
            throw fsError('ENOTEMPTY', 'rmdir', String(target));
          }
          fs.rmSync(target, options);
        }) as typeof fs.rmSync,
      },
    });
    await updateProgress(root, tick('x'), deps);
    expect(failed).toBe(true);
    expect(readProgress(root).checklist['x']).toBe(true);
    // The leftover is swept by the next save.
    await updateProgress(root, tick('y'));
    expectSavedAndUnlocked('y');
  });

  it('gives back a newer lock it moved by mistake while breaking a stale one', async () => {
    leaveLock('999999 dead-owner');
    const renames: string[] = [];
    let raced = false;
    const { deps, elapsed } = testDeps({
      fs: {
        renameSync: ((from: fs.PathLike, to: fs.PathLike) => {
          if (String(from) === lock && String(to).includes('.stale-') && !raced) {
            raced = true;
            // Between our look and our rename, another command broke the stale lock and took a new one.
            fs.rmSync(lock, { recursive: true });
            fs.mkdirSync(lock);
            fs.writeFileSync(path.join(lock, 'pid'), `${process.pid} newer-owner\n`);
          }
          renames.push(`${path.basename(String(from))} -> ${path.basename(String(to))}`);
          fs.renameSync(from, to);
        }) as typeof fs.renameSync,
      },
    });
    let ownerAfterPutBack = '';
    const update = updateProgress(root, tick('x'), deps);
    await Promise.resolve();
    ownerAfterPutBack = fs.readFileSync(path.join(lock, 'pid'), 'utf8');
    await update;
    expect(ownerAfterPutBack).toContain('newer-owner');
    expect(renames[1]).toMatch(/\.lock\.stale-.+ -> workbook-progress\.json\.lock$/);
    // The newer owner never finishes here (it is simulated), so it is taken over only by age.
    expect(elapsed()).toBeGreaterThanOrEqual(STALE_LIVE_OWNER_MS - 50);
    expectSavedAndUnlocked('x');
  });

  it('a save whose lock was taken over writes nothing and starts again from a fresh read', async () => {
    await updateProgress(root, tick('before'));
    let stolen = false;
    let mutations = 0;
    const { deps } = testDeps({
      fs: {
        writeFileSync: ((file: fs.PathOrFileDescriptor, data: string) => {
          if (typeof file === 'number' && !stolen) {
            stolen = true;
            // Another command judged our lock stale and saved its own update meanwhile.
            fs.writeFileSync(path.join(lock, 'pid'), '1 someone-else');
            const other = JSON.parse(fs.readFileSync(progressPath(root), 'utf8'));
            other.checklist.other = true;
            fs.writeFileSync(progressPath(root), JSON.stringify(other));
          }
          fs.writeFileSync(file, data);
        }) as typeof fs.writeFileSync,
      },
    });
    await updateProgress(
      root,
      (p) => {
        mutations += 1;
        p.checklist['mine'] = true;
      },
      deps,
    );
    expect(mutations).toBe(2);
    expect(readProgress(root).checklist).toEqual({ before: true, other: true, mine: true });
    expect(fs.readdirSync(root)).toEqual(['workbook-progress.json']);
  });
});
