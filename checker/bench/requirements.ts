import { pathToFileURL } from 'node:url';
import { makeContext, type Grader } from '../engine/grader.ts';
import { graderPath, solutionPath } from '../engine/targets.ts';
import { allExercises, manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';

/**
 * `node --import tsx checker/bench/requirements.ts <ids> [repeats]`: how long each requirement of
 * the named exercises takes in-process against the solution (seed 1, a verdict's 500 runs),
 * median of `repeats`: wall time, and the process's CPU time (steadier on a shared machine; it
 * includes the garbage collector's threads). The grading work alone, without the worker's
 * start-up and without isolation; the first repeat shows the cost of code not yet optimised. For
 * profiling, add `--cpu-prof`.
 */
const ids = (process.argv[2] ?? 'raft/election,raft/replication,raft/persistence,raft/snapshots,consensus/raft').split(',');
const repeats = Number(process.argv[3] ?? 3);
const RUNS = 500;
const times = new Map<string, { wall: number[]; cpu: number[] }>();
const record = (key: string, wall: number, cpu: number): void => {
  const t = times.get(key) ?? { wall: [], cpu: [] };
  t.wall.push(wall);
  t.cpu.push(cpu);
  times.set(key, t);
};
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const loaded = await Promise.all(ids.map(async (id) => {
  const entry = allExercises(manifest).find((e) => e.id === id);
  if (!entry) throw new Error(`unknown exercise ${id}`);
  const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
  const impl = (await import(pathToFileURL(solutionPath(WORKBOOK_ROOT, entry)).href)) as unknown;
  return { id, grader, impl };
}));

for (let r = 0; r < repeats; r++) {
  for (const { id, grader, impl } of loaded) {
    let wall = 0;
    let cpu = 0;
    for (const requirement of grader.requirements) {
      const start = performance.now();
      const startCpu = cpuMs();
      await requirement.check(makeContext(impl, 1, RUNS));
      const ms = performance.now() - start;
      const cpuSpent = cpuMs() - startCpu;
      wall += ms;
      cpu += cpuSpent;
      record(`${id} ${requirement.id}`, ms, cpuSpent);
    }
    record(`${id} TOTAL`, wall, cpu);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (values: number[]): string => `${median(values).toFixed(1).padStart(8)} ms [${values.map((v) => v.toFixed(0)).join(' ')}]`;
console.log(`${'requirement'.padEnd(58)} ${'wall (median, each)'.padEnd(26)} cpu (median, each)`);
for (const [key, t] of times) console.log(`${key.padEnd(58)} ${fmt(t.wall).padEnd(26)} ${fmt(t.cpu)}`);
