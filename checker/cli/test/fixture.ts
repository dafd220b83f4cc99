import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifest } from '../../manifest/index.ts';
import { writePristineStubs } from '../../selfcheck/pristine.ts';

/**
 * A throwaway workbook for end-to-end tests of the CLI: its own copy of exercises/ (with the stubs
 * as shipped), solutions/, quizzes/ and package.json (so learner files and the progress file are private to the test),
 * with checker/ and node_modules/ linked to the real ones.
 */

export const REAL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = path.join(REAL_ROOT, 'checker/cli/main.ts');

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
  remove(): void;
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
        execFile(
          process.execPath,
          ['--import', 'tsx', MAIN, ...args],
          { cwd: REAL_ROOT, env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: root, ...env }, timeout: 120_000 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    cliStreaming: (args, onOutput) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
          cwd: REAL_ROOT,
          env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: root },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          onOutput(stdout);
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      }),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
