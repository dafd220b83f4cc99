import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allExercises, manifest } from '../../manifest/index.ts';
import { WORKBOOK_ROOT } from '../../paths.ts';
import { solutionPath } from '../../engine/targets.ts';

/**
 * Ctrl-C in a terminal sends SIGINT to the whole process group: the CLI, its grading workers and
 * esbuild's service process. `grade` must stop, say so and exit 130, not wait for the batch.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-interrupt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('grade, interrupted', () => {
  it('stops on SIGINT to its process group with exit 130 and writes nothing', async () => {
    const entry = allExercises(manifest).find((e) => e.kind === 'pattern')!;
    for (const learner of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const file = path.join(tmp, 'batch', learner, 'exercises', entry.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(solutionPath(WORKBOOK_ROOT, entry), file);
    }
    const gradescope = path.join(tmp, 'gradescope');
    const child = spawn(
      process.execPath,
      [path.join(WORKBOOK_ROOT, 'checker', 'cli', 'launch.mjs'), 'grade', path.join(tmp, 'batch'), '--exercise', entry.id, '--jobs', '1', '--gradescope', gradescope],
      { cwd: WORKBOOK_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } },
    );
    let stderr = '';
    // 'close', not 'exit': stderr is read to its end first.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Interrupt once the first learner is graded: workers and esbuild are running by then.
        if (/\[1\/6\]/.test(stderr)) resolve();
      });
      child.on('exit', () => resolve());
    });
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('Interrupted: nothing was written.');
    expect(fs.existsSync(gradescope)).toBe(false);
  });
});
