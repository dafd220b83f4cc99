import { makeContext, type Grader } from '../engine/grader.ts';
import election from '../graders/raft/election.grader.ts';
import replication from '../graders/raft/replication.grader.ts';
import persistence from '../graders/raft/persistence.grader.ts';
import snapshots from '../graders/raft/snapshots.grader.ts';
import consensusRaft from '../graders/consensus/raft.grader.ts';
import * as raftNode from '../../solutions/raft/raft-node.ts';
import * as consensusRaftImpl from '../../solutions/consensus/raft.ts';
import doubleVote from '../graders/raft/debugging/double-vote.grader.ts';
import * as doubleVoteImpl from '../../solutions/raft/debugging/double-vote.ts';

/**
 * `node --import tsx checker/bench/raft-grading.ts [ids] [repeats]`: how long each requirement of
 * the simulator-heavy graders takes in-process against the solution (seed 1, a verdict's 500
 * runs), median of `repeats`: wall time, and the process's CPU time (steadier on a shared
 * machine; it includes the garbage collector's threads). The grading work alone, without the
 * worker's start-up; for profiling, add `--cpu-prof`.
 */
const GRADERS: Record<string, { grader: Grader<unknown>; impl: unknown }> = {
  'raft/election': { grader: election as Grader<unknown>, impl: raftNode },
  'raft/replication': { grader: replication as Grader<unknown>, impl: raftNode },
  'raft/persistence': { grader: persistence as Grader<unknown>, impl: raftNode },
  'raft/snapshots': { grader: snapshots as Grader<unknown>, impl: raftNode },
  'consensus/raft': { grader: consensusRaft as Grader<unknown>, impl: consensusRaftImpl },
  // The raft challenges share one harness (graders/raft/debugging); this one stands for all seven.
  'raft/debugging/double-vote': { grader: doubleVote as Grader<unknown>, impl: doubleVoteImpl },
};

const ids = process.argv[2] ? process.argv[2].split(',') : Object.keys(GRADERS);
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

for (let r = 0; r < repeats; r++) {
  for (const id of ids) {
    const entry = GRADERS[id];
    if (!entry) throw new Error(`unknown grader ${id} (known: ${Object.keys(GRADERS).join(', ')})`);
    let wall = 0;
    let cpu = 0;
    for (const requirement of entry.grader.requirements) {
      const start = performance.now();
      const startCpu = cpuMs();
      await requirement.check(makeContext(entry.impl, 1, RUNS));
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
