import { spawn } from 'node:child_process';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { allExercises, manifest } from '../manifest/index.ts';
import type { Grader } from '../engine/grader.ts';
import { makeContext } from '../engine/grader.ts';
import { laneCount } from '../engine/grade.ts';
import { coldLaneWorthIt } from '../engine/queue.ts';
import { graderPath, solutionPath } from '../engine/targets.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { createFixtureWorkbook } from '../cli/test/fixture.ts';
import { simulatorBench } from './sim.ts';

/**
 * `npm run bench`: the figures README quotes. Measured, never asserted in tests.
 * - verdict latency: wall time of `npm run exercise -- run <id> --solution` (median of 5), with
 *   the grading lanes it used (WORKBOOK_LANES=1 to compare with one)
 * - watch re-run: from a save to the new verdict on screen, in `watch`, for a few exercises
 *   (median of 5; saves 1 s after the previous verdict, as a learner's would be)
 * - schedules per second: each randomised requirement, in-process, against the solution
 * - isolation: what SES lockdown and a Compartment per graded file cost (isolation-probe.ts, in a
 *   process of its own since lockdown is for a whole process)
 */

const REPEATS = 5;
const EDIT_PAUSE_MS = 1000;
const patterns = allExercises(manifest).filter((e) => e.kind === 'pattern');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeCommand(args: string[], script = 'exercise'): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: WORKBOOK_ROOT, stdio: 'ignore', env: { ...process.env, CI: '1' } });
    child.on('exit', () => resolve(performance.now() - start));
    child.on('error', reject);
  });
}

/**
 * A verdict against the floor any command of ours pays: `npm run` of `node --import tsx` on an
 * empty module (the `bench:floor` script), measured in the same run, interleaved, so the ratio
 * does not depend on how busy the machine is.
 */
async function verdictLatency(): Promise<void> {
  console.log(`\nVerdict latency of every exercise: npm run exercise -- run <id> --solution, against the floor (npm run of node --import tsx on an empty module); medians of ${REPEATS}`);
  // Lanes: workers grading one file's requirements side by side (grade.ts); WORKBOOK_LANES=1 compares with one.
  const lanesSetting = process.env.WORKBOOK_LANES ? `WORKBOOK_LANES=${process.env.WORKBOOK_LANES}` : `${os.availableParallelism()} cores`;
  console.log(`  grading lanes: up to ${laneCount(Infinity)} (${lanesSetting}; a second lane starts cold only with 4 cores or more and a one-minute load average below cores - 0.5: now ${os.loadavg()[0]!.toFixed(1)})`);
  const floors: number[] = [];
  const rows: { id: string; median: number; lanes: number }[] = [];
  // Every exercise: the patterns, then the challenges (graded against their fixed programs).
  for (const entry of allExercises(manifest)) {
    const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      floors.push(await timeCommand([], 'bench:floor'));
      times.push(await timeCommand(['run', entry.id, '--solution', '--seed', '1']));
    }
    rows.push({ id: entry.id, median: median(times), lanes: coldLaneWorthIt() ? laneCount(grader.requirements.length) : 1 });
  }
  const floor = median(floors);
  console.log(`  ${'floor'.padEnd(40)} ${(floor / 1000).toFixed(2)} s`);
  for (const row of rows) console.log(`  ${row.id.padEnd(40)} ${(row.median / 1000).toFixed(2)} s  ${(row.median / floor).toFixed(2)}x the floor  (${row.lanes} lane${row.lanes === 1 ? '' : 's'})`);
}

/** Exercises whose watch re-run is timed: the first, and the heaviest of each kind of grader. */
const WATCHED = ['consensus/leader-election', 'consensus/raft', 'raft/replication', 'state/collaborative-document'];

async function watchLatency(): Promise<void> {
  console.log(`\nWatch re-run, from a save to the new verdict (saves ${EDIT_PAUSE_MS} ms apart, median of ${REPEATS}; the first verdict is not counted)`);
  for (const id of WATCHED) {
    const entry = allExercises(manifest).find((e) => e.id === id)!;
    const times = await watchReruns(entry.id, entry.file);
    console.log(`  ${entry.id.padEnd(40)} ${Math.round(median(times))} ms  [${times.map((t) => Math.round(t)).join(' ')}]`);
  }
}

async function watchReruns(id: string, exerciseFile: string): Promise<number[]> {
  const wb = createFixtureWorkbook();
  const file = `exercises/${exerciseFile}`;
  const solved = wb.read(`solutions/${exerciseFile}`);
  wb.write(file, solved);
  const times: number[] = [];
  let savedAt = 0;
  let verdicts = 0;
  await wb.cliStreaming(['watch', id, '--max-runs', String(REPEATS + 1), '--seed', '1'], (stdout) => {
    const seen = stdout.split('requirements met').length - 1;
    if (seen === verdicts) return;
    verdicts = seen;
    if (savedAt > 0) times.push(performance.now() - savedAt);
    if (verdicts <= REPEATS) {
      // A learner edits for a while between saves; one second is short for that.
      const save = verdicts;
      setTimeout(() => {
        savedAt = performance.now();
        wb.write(file, `${solved}\n// save ${save}\n`);
      }, EDIT_PAUSE_MS);
    }
  });
  wb.remove();
  return times;
}

async function schedulesPerSecond(): Promise<void> {
  const runs = 500;
  console.log(`Randomised schedules graded per second, in-process against the solution (${runs} schedules each)`);
  for (const entry of allExercises(manifest)) {
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

function isolationCost(): Promise<void> {
  console.log('\nIsolation of graded code (SES lockdown + a Compartment per graded file), against the solutions');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'checker/bench/isolation-probe.ts'], { cwd: WORKBOOK_ROOT, stdio: 'inherit' });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
}

const only = process.argv[2];
console.log(`Machine: ${process.platform} ${process.arch}, Node ${process.version}\n`);
if (!only || only === 'schedules') await schedulesPerSecond();
if (!only || only === 'verdict') await verdictLatency();
if (!only || only === 'watch') await watchLatency();
if (!only || only === 'isolation') await isolationCost();
if (!only || only === 'sim') await simulatorBench();
