import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { manifest } from '../manifest/index.ts';
import type { Grader } from '../engine/grader.ts';
import { makeContext } from '../engine/grader.ts';
import { graderPath, solutionPath } from '../engine/targets.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { createFixtureWorkbook } from '../cli/test/fixture.ts';

/**
 * `npm run bench`: the figures README quotes. Measured, never asserted in tests.
 * - verdict latency: wall time of `npm run exercise -- run <id> --solution` (median of 5)
 * - watch re-run: from a save to the new verdict on screen, in `watch` (median of 5)
 * - schedules per second: each randomised requirement, in-process, against the solution
 */

const REPEATS = 5;
const patterns = manifest.modules.flatMap((m) => m.exercises).filter((e) => e.kind === 'pattern');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeCommand(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('npm', ['run', '--silent', 'exercise', '--', ...args], { cwd: WORKBOOK_ROOT, stdio: 'ignore', env: { ...process.env, CI: '1' } });
    child.on('exit', () => resolve(performance.now() - start));
    child.on('error', reject);
  });
}

async function verdictLatency(): Promise<void> {
  console.log(`Verdict latency: npm run exercise -- run <id> --solution (median of ${REPEATS})`);
  for (const entry of patterns) {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) times.push(await timeCommand(['run', entry.id, '--solution', '--seed', '1']));
    console.log(`  ${entry.id.padEnd(30)} ${(median(times) / 1000).toFixed(2)} s`);
  }
}

async function watchLatency(): Promise<void> {
  const entry = patterns[0]!;
  const wb = createFixtureWorkbook();
  const file = `exercises/${entry.file}`;
  const solved = wb.read(`solutions/${entry.file}`);
  wb.write(file, solved);
  const times: number[] = [];
  let savedAt = 0;
  let verdicts = 0;
  await wb.cliStreaming(['watch', entry.id, '--max-runs', String(REPEATS + 1), '--seed', '1'], (stdout) => {
    const seen = stdout.split('requirements met').length - 1;
    if (seen === verdicts) return;
    verdicts = seen;
    if (savedAt > 0) times.push(performance.now() - savedAt);
    if (verdicts <= REPEATS) {
      savedAt = performance.now();
      wb.write(file, `${solved}\n// save ${verdicts}\n`);
    }
  });
  wb.remove();
  console.log(`Watch re-run after a save (${entry.id}, median of ${times.length}): ${Math.round(median(times))} ms`);
}

async function schedulesPerSecond(): Promise<void> {
  const runs = 500;
  console.log(`Randomised schedules graded per second, in-process against the solution (${runs} schedules each)`);
  for (const entry of manifest.modules.flatMap((m) => m.exercises)) {
    const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
    const impl = await import(pathToFileURL(solutionPath(WORKBOOK_ROOT, entry)).href);
    for (const requirement of grader.requirements.filter((r) => r.randomised)) {
      const start = performance.now();
      await requirement.check(makeContext(impl, 1, runs));
      const seconds = (performance.now() - start) / 1000;
      console.log(`  ${entry.id.padEnd(30)} ${requirement.id.padEnd(34)} ${Math.round(runs / seconds)} /s`);
    }
  }
}

console.log(`Machine: ${process.platform} ${process.arch}, Node ${process.version}\n`);
await schedulesPerSecond();
console.log('');
await verdictLatency();
console.log('');
await watchLatency();
