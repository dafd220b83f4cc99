import { makeContext, type Grader } from '../engine/grader.ts';
import election from '../graders/raft/election.grader.ts';
import replication from '../graders/raft/replication.grader.ts';
import persistence from '../graders/raft/persistence.grader.ts';
import snapshots from '../graders/raft/snapshots.grader.ts';
import consensusRaft from '../graders/consensus/raft.grader.ts';
import * as raftNode from '../../solutions/raft/raft-node.ts';
import * as consensusRaftImpl from '../../solutions/consensus/raft.ts';

/**
 * `node --import tsx checker/bench/raft-grading.ts [ids] [repeats]`: how long each requirement of
 * the simulator-heavy graders takes in-process against the solution (seed 1, a verdict's 500
 * runs), median of `repeats`. The grading work alone, without the worker's start-up; for
 * profiling, add `--cpu-prof`.
 */
const GRADERS: Record<string, { grader: Grader<unknown>; impl: unknown }> = {
  'raft/election': { grader: election as Grader<unknown>, impl: raftNode },
  'raft/replication': { grader: replication as Grader<unknown>, impl: raftNode },
  'raft/persistence': { grader: persistence as Grader<unknown>, impl: raftNode },
  'raft/snapshots': { grader: snapshots as Grader<unknown>, impl: raftNode },
  'consensus/raft': { grader: consensusRaft as Grader<unknown>, impl: consensusRaftImpl },
};

const ids = process.argv[2] ? process.argv[2].split(',') : Object.keys(GRADERS);
const repeats = Number(process.argv[3] ?? 3);
const RUNS = 500;
const times = new Map<string, number[]>();
const record = (key: string, ms: number): void => { times.set(key, [...(times.get(key) ?? []), ms]); };

for (let r = 0; r < repeats; r++) {
  for (const id of ids) {
    const entry = GRADERS[id];
    if (!entry) throw new Error(`unknown grader ${id} (known: ${Object.keys(GRADERS).join(', ')})`);
    let total = 0;
    for (const requirement of entry.grader.requirements) {
      const start = performance.now();
      await requirement.check(makeContext(entry.impl, 1, RUNS));
      const ms = performance.now() - start;
      total += ms;
      record(`${id} ${requirement.id}`, ms);
    }
    record(`${id} TOTAL`, total);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const [key, values] of times) console.log(`${key.padEnd(58)} ${median(values).toFixed(1).padStart(8)} ms  [${values.map((v) => v.toFixed(0)).join(' ')}]`);
