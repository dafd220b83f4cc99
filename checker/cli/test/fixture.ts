import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import { manifest } from '../../manifest/index.ts';
import { writePristineStubs } from '../../selfcheck/pristine.ts';

/**
 * A throwaway workbook for end-to-end tests of the CLI: its own copy of exercises/ (with the stubs
 * as shipped), solutions/, quizzes/ and package.json (so learner files and the progress file are private to the test),
 * with checker/ and node_modules/ linked to the real ones.
 */

export const REAL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Every CLI these helpers started and that has not ended. A test that times out leaves its CLI
 * running (a hung `watch`, a grade stuck in a bug of ours): it is killed when the test file is
 * done, or at the latest when this process exits, never left to spin on after the run.
 */
const running = new Set<ChildProcess>();
function tracked<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('close', () => running.delete(child));
  return child;
}
const killRunning = (): void => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
};
process.once('exit', killRunning);
if (process.env.VITEST) (await import('vitest')).afterAll(killRunning);
/** What `npm run exercise` starts: the launcher, so these tests run the bundled CLI a learner runs. */
export const LAUNCHER = path.join(REAL_ROOT, 'checker/cli/launch.mjs');

/**
 * A checkout as `git clone` gives it: every file git would commit (a learner's edits to exercises/
 * included), no .workbook yet, node_modules linked to the real one. Its CLI runs from its own
 * sources, through `launchClone`.
 */
export function cloneCheckout(): string {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-clone-'));
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REAL_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    if (!fs.existsSync(path.join(REAL_ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    fs.copyFileSync(path.join(REAL_ROOT, file), path.join(clone, file));
  }
  fs.symlinkSync(path.join(REAL_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  return clone;
}

/**
 * `npm run exercise -- <args>` of a clone: its own launcher, started from another folder with no
 * WORKBOOK_ROOT, so the root must come from where the sources are.
 */
export function launchClone(clone: string, args: readonly string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', NO_COLOR: '1' };
  delete env.WORKBOOK_ROOT;
  return new Promise((resolve) => {
    tracked(
      execFile(process.execPath, [path.join(clone, 'checker/cli/launch.mjs'), ...args], { cwd: os.tmpdir(), env, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      }),
    );
  });
}

/** The record of a checkout's CLI bundle, past the signature line the launcher writes first. */
export function cliBundleRecord(root: string): { key: string; data: { dir: string } } {
  const text = fs.readFileSync(path.join(root, '.workbook/build/cli/current.json'), 'utf8');
  return JSON.parse(text.slice(text.indexOf('{'))) as { key: string; data: { dir: string } };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FixtureWorkbook {
  readonly root: string;
  file(relative: string): string;
  read(relative: string): string;
  write(relative: string, text: string): void;
  /** Runs `npm run exercise -- <args>` in this workbook, without a TTY. */
  cli(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  /** Like `cli`, calling `onOutput` with all stdout so far whenever more arrives. */
  cliStreaming(args: readonly string[], onOutput: (stdout: string) => void): Promise<CliRun>;
  /** Runs `npm run exercise -- <args> | <reader>` in a shell, without a TTY; `code` is the CLI's own exit code. */
  cliPiped(args: readonly string[], reader: string): Promise<CliRun>;
  /** Runs the CLI on a pseudo-terminal (util-linux `script`) of `size` (100x40 unless given), to drive prompts and keys. */
  terminal(args: readonly string[], env?: NodeJS.ProcessEnv, size?: TerminalSize): TerminalSession;
  remove(): void;
}

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export interface TerminalSession {
  /** Everything the terminal has shown so far (escape codes included). */
  screen(): string;
  /**
   * The rows a person sees on the terminal now, without scrolling back: everything shown so far
   * replayed through a terminal emulator (xterm.js) of the session's size, trailing spaces trimmed.
   */
  visible(): Promise<string[]>;
  /** Resolves once the screen (after `since` characters) contains `text`; rejects after `timeoutMs`. */
  waitFor(text: string | RegExp, options?: { since?: number; timeoutMs?: number }): Promise<void>;
  /** Types keys, as raw bytes. */
  type(keys: string): void;
  /** Presses keys one at a time, as a person would (a prompt reads one key per event). */
  press(...keys: string[]): Promise<void>;
  readonly exit: Promise<number>;
}

/** The session's exit code, or 'still running' after a generous wait (so a hang fails the assertion, not the test's timeout). */
export function exited(term: TerminalSession, waitMs = 10_000): Promise<number | 'still running'> {
  return Promise.race([term.exit, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), waitMs).unref())]);
}


/** What the emulator shows after replaying `output` on a terminal of `size`. */
function replay(output: string, size: TerminalSize): Promise<string[]> {
  const emulator = new xterm.Terminal({ cols: size.columns, rows: size.rows, allowProposedApi: true });
  return new Promise((resolve) =>
    // The pty turns each \n into \r\n, as a terminal expects.
    emulator.write(output, () => {
      const buffer = emulator.buffer.active;
      const rows: string[] = [];
      for (let row = 0; row < size.rows; row++) rows.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
      emulator.dispose();
      resolve(rows);
    }),
  );
}

/** The CLI with `args` as one shell command line. */
function shellCommand(args: readonly string[]): string {
  return [process.execPath, LAUNCHER, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
}

function startTerminal(root: string, args: readonly string[], env: NodeJS.ProcessEnv, size: TerminalSize): TerminalSession {
  const command = shellCommand(args);
  // `script` gives its pty no size (0x0) when its own input is not a terminal: set one, as a window has.
  const sized = `stty cols ${size.columns} rows ${size.rows} && exec ${command}`;
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, WORKBOOK_ROOT: root, TERM: 'xterm', NO_COLOR: '1', ...env };
  delete fullEnv.CI;
  delete fullEnv.COLUMNS;
  delete fullEnv.LINES;
  const child = tracked(spawn('script', ['-qec', sized, '/dev/null'], { cwd: REAL_ROOT, env: fullEnv }));
  let screen = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    for (const wake of [...waiters]) wake();
  });
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return {
    screen: () => screen,
    visible: () => replay(screen, size),
    type: (keys) => child.stdin.write(keys),
    press: async (...keys) => {
      for (const key of keys) {
        child.stdin.write(key);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
    exit,
    waitFor: (text, options = {}) =>
      new Promise((resolve, reject) => {
        const since = options.since ?? 0;
        const seen = (): boolean => (typeof text === 'string' ? screen.slice(since).includes(text) : text.test(screen.slice(since)));
        if (seen()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the terminal never showed ${String(text)}; it showed:\n${screen.slice(since).slice(-2000)}`));
        }, options.timeoutMs ?? 60_000);
        const check = (): void => {
          if (!seen()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
  };
}

export function createFixtureWorkbook(): FixtureWorkbook {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-fixture-'));
  for (const dir of ['exercises', 'solutions', 'quizzes']) {
    if (fs.existsSync(path.join(REAL_ROOT, dir))) fs.cpSync(path.join(REAL_ROOT, dir), path.join(root, dir), { recursive: true });
  }
  // The stubs as shipped, not whatever a learner has written into this clone's exercises/.
  writePristineStubs(REAL_ROOT, manifest, root);
  fs.copyFileSync(path.join(REAL_ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(REAL_ROOT, 'checker'), path.join(root, 'checker'));
  fs.symlinkSync(path.join(REAL_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const file = (relative: string): string => path.join(root, relative);
  return {
    root,
    file,
    read: (relative) => fs.readFileSync(file(relative), 'utf8'),
    write: (relative, text) => {
      fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
      fs.writeFileSync(file(relative), text);
    },
    cli: (args, env = {}) =>
      new Promise((resolve) => {
        tracked(execFile(
          process.execPath,
          [LAUNCHER, ...args],
          { cwd: REAL_ROOT, env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: root, ...env }, timeout: 120_000 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        ));
      }),
    cliStreaming: (args, onOutput) =>
      new Promise((resolve) => {
        const child = tracked(spawn(process.execPath, [LAUNCHER, ...args], {
          cwd: REAL_ROOT,
          env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: root },
        }));
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          onOutput(stdout);
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      }),
    cliPiped: (args, reader) =>
      new Promise((resolve) => {
        tracked(execFile(
          'bash',
          ['-c', `${shellCommand(args)} | ${reader}; exit "\${PIPESTATUS[0]}"`],
          { cwd: REAL_ROOT, env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: root }, timeout: 120_000 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        ));
      }),
    terminal: (args, env = {}, size = { columns: 100, rows: 40 }) => startTerminal(root, args, env, size),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
