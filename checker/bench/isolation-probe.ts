import fs from 'node:fs';
import { allExercises, manifest } from '../manifest/index.ts';
import { compileTarget } from '../engine/compile.ts';
import { makeContext, type Grader } from '../engine/grader.ts';
import { graderPath, solutionPath } from '../engine/targets.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { Boundary } from '../engine/sandbox/boundary.ts';
import { captureOutput } from '../engine/sandbox/output.ts';

/**
 * Run by `npm run bench isolation` in a process of its own (lockdown is for the whole process):
 * what isolating graded code costs, piece by piece, against the solutions. Every requirement of a
 * grader is run against the solution imported as a plain module, before lockdown, and after it
 * both as a plain module and in a Compartment; each figure is the best of TRIES (the machine is
 * shared, and the best of a few is the least noisy estimate of the cost itself). It also times a
 * node's own evaluation of the file (GradedModule.again: what each simulated node and restart costs).
 */

const RUNS = 500;
const TRIES = 3;
const patterns = allExercises(manifest).filter((e) => e.kind === 'pattern');
const ms = (start: number): number => performance.now() - start;

async function bestChecksMs(grader: Grader<unknown>, impl: unknown, freshImpl?: (key: string) => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < TRIES; i++) {
    const start = performance.now();
    for (const requirement of grader.requirements) await requirement.check(makeContext(impl, 1, RUNS, freshImpl));
    best = Math.min(best, ms(start));
  }
  return best;
}

const graders = new Map<string, Grader<unknown>>();
const plainImpl = new Map<string, unknown>();
const unlocked = new Map<string, number>();
const bundles = new Map<string, string>();
for (const entry of patterns) {
  graders.set(entry.id, ((await import(graderPath(WORKBOOK_ROOT, entry))) as { default: Grader<unknown> }).default);
  plainImpl.set(entry.id, await import(solutionPath(WORKBOOK_ROOT, entry)));
  unlocked.set(entry.id, await bestChecksMs(graders.get(entry.id)!, plainImpl.get(entry.id)));
  bundles.set(entry.id, await compileTarget(WORKBOOK_ROOT, solutionPath(WORKBOOK_ROOT, entry)));
}

let start = performance.now();
await import('ses');
const loadSes = ms(start);
start = performance.now();
lockdown({ errorTaming: 'unsafe', stackFiltering: 'verbose', overrideTaming: 'severe', consoleTaming: 'unsafe', evalTaming: 'safe-eval', errorTrapping: 'none', unhandledRejectionTrapping: 'none' });
console.log(`  loading ses (as modules here; a worker loads its one-file build from a V8 code cache, faster): ${loadSes.toFixed(0)} ms; lockdown(): ${ms(start).toFixed(0)} ms`);
const { prepareGradedModule } = await import('../engine/sandbox/compartment.ts');
const AGAIN = 1000;
for (const entry of patterns) {
  const grader = graders.get(entry.id)!;
  const bundle = bundles.get(entry.id)!;
  start = performance.now();
  const module = prepareGradedModule({ code: fs.readFileSync(bundle, 'utf8'), bundlePath: bundle, seed: 1, console: captureOutput().console, boundary: new Boundary() });
  const isolatedImpl = module.exports;
  const evaluate = ms(start);
  // What a simulated node's own evaluation of the module costs (ctx.freshImpl: one per node and restart).
  start = performance.now();
  for (let i = 0; i < AGAIN; i++) module.again(i);
  const again = (ms(start) / AGAIN) * 1000;
  const plain = await bestChecksMs(grader, plainImpl.get(entry.id));
  // In a Compartment as in the worker: each simulated node on an evaluation of its own.
  const isolated = await bestChecksMs(grader, isolatedImpl, (key) => module.again(key.length));
  console.log(
    `  ${entry.id.padEnd(28)} new Compartment + evaluate ${evaluate.toFixed(1).padStart(5)} ms, a node's own evaluation ${again.toFixed(0).padStart(3)} µs; every check at ${RUNS} runs: ` +
      `${Math.round(unlocked.get(entry.id)!)} ms plain, ${Math.round(plain)} ms plain in the locked realm, ${Math.round(isolated)} ms in a Compartment`,
  );
}
