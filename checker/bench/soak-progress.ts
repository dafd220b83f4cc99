import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { progressPath, readProgress, updateProgress } from '../core/progress/store.ts';

/**
 * `npm run soak`: the progress store under kill -9. Several writer processes (soak-writer.ts) do
 * read-modify-write updates through the real store while this script SIGKILLs one at a random
 * moment (seeded) and starts a replacement, hundreds of times. Checked all along and at the end:
 * - the file always parses (a reader never sees half a save);
 * - every acknowledged update is in it (nothing acknowledged is lost), and each writer's counter
 *   matches its own keys (no update half-applied or applied twice);
 * - at the end, after one more save, no lock, temporary file or set-aside file is left.
 * Not part of `npm test`: it takes a minute and its figures are printed, not asserted against time.
 * Usage: npm run soak -- [--kills N] [--writers N] [--seed N]
 */

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1`);
  return value;
}

const KILLS = option('kills', 300);
const WRITERS = option('writers', 6);
const SEED = option('seed', 20261130);
const MAX_PAUSE_MS = 60;

/** mulberry32: a small seeded generator, so a soak's kill schedule can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Writer {
  readonly name: string;
  readonly child: ChildProcess;
  ready: boolean;
  readonly exited: Promise<void>;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-soak-'));
const root = path.join(work, 'workbook');
const logs = path.join(work, 'acks');
fs.mkdirSync(root);
fs.mkdirSync(logs);
const file = progressPath(root);
const lock = `${file}.lock`;

// A bundled writer starts in tens of milliseconds; through tsx each would take most of a second.
const writerBundle = path.join(work, 'writer.mjs');
await esbuild.build({
  entryPoints: [fileURLToPath(new URL('./soak-writer.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: writerBundle,
  logLevel: 'error',
});

let generation = 0;
let busy = 0;
const failures: string[] = [];

function startWriter(): Writer {
  const name = `w${generation++}`;
  const child = spawn(process.execPath, [writerBundle, root, name, path.join(logs, `${name}.log`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const writer: Writer = { name, child, ready: false, exited: new Promise((resolve) => child.on('exit', () => resolve())) };
  child.stdout!.on('data', () => (writer.ready = true));
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      if (line === 'busy') busy += 1;
      else failures.push(`${name}: ${line}`);
    }
  });
  return writer;
}

/** Acknowledged keys per writer, and every save's latency, from the logs (a torn last line is ignored). */
function readAcks(): { keys: Map<string, string[]>; latencies: number[] } {
  const keys = new Map<string, string[]>();
  const latencies: number[] = [];
  for (const log of fs.readdirSync(logs)) {
    const name = log.replace(/\.log$/, '');
    const lines = fs.readFileSync(path.join(logs, log), 'utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a line cut by the kill
    keys.set(name, lines.map((line) => line.split(' ')[0]!));
    latencies.push(...lines.map((line) => Number(line.split(' ')[1])));
  }
  return { keys, latencies };
}

/** Every acknowledged update is in the file, and each writer's counter equals its keys in the file. */
function verify(when: string): number {
  const acks = readAcks(); // read before the file: anything acknowledged by now must be in it
  const progress = readProgress(root);
  let acknowledged = 0;
  for (const [name, keys] of acks.keys) {
    acknowledged += keys.length;
    const lost = keys.filter((key) => progress.checklist[key] !== true);
    if (lost.length > 0) failures.push(`${when}: ${lost.length} acknowledged update(s) of ${name} lost, e.g. ${lost[0]}`);
  }
  const perWriter = new Map<string, number>();
  for (const key of Object.keys(progress.checklist).filter((k) => k.includes(':'))) perWriter.set(key.split(':')[0]!, (perWriter.get(key.split(':')[0]!) ?? 0) + 1);
  for (const [name, count] of perWriter) {
    const runs = progress.exercises[`soak/${name}`]?.runs;
    if (runs !== count) failures.push(`${when}: ${name} has ${count} keys but its counter says ${runs}`);
  }
  return acknowledged;
}

/** The other writers keep moving the lock while we look at it. */
function readIfThere(target: string): string {
  try {
    return fs.readFileSync(target, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Every PLANT_EVERY kills, a lock no writer can identify is left in place, as a kill between mkdir
 * and writing the pid would leave it, or one naming a live process that is not a writer (this
 * script: a reused pid). The writers must take it over after the bounded age, not wedge.
 */
const PLANT_EVERY = 100;
const plantKinds = ['empty pid file', 'live unrelated pid'] as const;
let planted: { kind: (typeof plantKinds)[number]; ino: number; at: number } | undefined;
const recoveries: string[] = [];

function plantLock(kind: (typeof plantKinds)[number]): boolean {
  try {
    fs.mkdirSync(lock);
  } catch {
    return false; // a writer holds it right now; try again after the next kill
  }
  fs.writeFileSync(path.join(lock, 'pid'), kind === 'empty pid file' ? '' : `${process.pid} not-a-writer\n`);
  planted = { kind, ino: fs.statSync(lock).ino, at: performance.now() };
  return true;
}

function watchPlanted(): void {
  if (!planted) return;
  let ino: number | undefined;
  try {
    ino = fs.statSync(lock).ino;
  } catch {
    ino = undefined;
  }
  if (ino === planted.ino) return;
  recoveries.push(`${planted.kind} after ${((performance.now() - planted.at) / 1000).toFixed(1)} s`);
  planted = undefined;
}

const next = random(SEED);
const started = performance.now();
const writers: Writer[] = Array.from({ length: WRITERS }, startWriter);
let kills = 0;
let killedHoldingLock = 0;
let killedMidWrite = 0;
let checks = 0;

while (kills < KILLS && failures.length === 0) {
  await new Promise((resolve) => setTimeout(resolve, next() * MAX_PAUSE_MS));
  const candidates = writers.filter((w) => w.ready);
  if (candidates.length === 0) continue;
  const victim = candidates[Math.floor(next() * candidates.length)]!;
  victim.child.kill('SIGKILL');
  await victim.exited;
  kills += 1;
  // What the kill interrupted: a held lock, a save between its temporary file and the rename.
  const owner = readIfThere(path.join(lock, 'pid'));
  if (owner.startsWith(`${victim.child.pid} `)) killedHoldingLock += 1;
  if (fs.readdirSync(root).some((name) => name.startsWith(`${path.basename(file)}.${victim.child.pid}.`))) killedMidWrite += 1;
  writers.splice(writers.indexOf(victim), 1, startWriter());
  watchPlanted();
  if (!planted && recoveries.length < Math.floor(kills / PLANT_EVERY)) plantLock(plantKinds[recoveries.length % plantKinds.length]!);
  if (kills % 10 === 0) {
    verify(`after ${kills} kills`);
    checks += 1;
  }
}

for (const writer of writers) writer.child.kill('SIGKILL');
await Promise.all(writers.map((w) => w.exited));
// The last writers died holding whatever they held: one more save must recover and clean up.
await updateProgress(root, (progress) => void (progress.checklist['final'] = true));
const acknowledged = verify('at the end');
const progress = readProgress(root);
const leftovers = fs.readdirSync(root).filter((name) => name !== path.basename(file));
if (leftovers.length > 0) failures.push(`left behind: ${leftovers.join(', ')}`);

const { latencies } = readAcks();
latencies.sort((a, b) => a - b);
const seconds = (performance.now() - started) / 1000;
console.log(`Progress store kill -9 soak (seed ${SEED}, ${WRITERS} concurrent writers, ${seconds.toFixed(1)} s)`);
console.log(`  kills: ${kills} (holding the lock: ${killedHoldingLock}; with a temporary file written: ${killedMidWrite})`);
console.log(`  writer processes: ${generation}; acknowledged updates: ${acknowledged}; updates in the file: ${Object.keys(progress.checklist).length - 1}`);
console.log(`  save latency: median ${latencies[Math.floor(latencies.length / 2)]} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]} ms, max ${latencies.at(-1)} ms; busy errors: ${busy}`);
console.log(`  planted abandoned locks taken over: ${recoveries.length > 0 ? recoveries.join('; ') : 'none'}${planted ? ` (one still waiting: ${planted.kind})` : ''}`);
console.log(`  checks of the file while writers ran: ${checks}; leftovers at the end: ${leftovers.length}`);
if (failures.length > 0) {
  console.log(`FAILED:\n  ${failures.slice(0, 20).join('\n  ')}`);
  console.log(`Kept for inspection: ${work}`);
  process.exitCode = 1;
} else {
  console.log('OK: the file always parsed, nothing acknowledged was lost, no update was half-applied, nothing was left behind.');
  fs.rmSync(work, { recursive: true, force: true });
}
