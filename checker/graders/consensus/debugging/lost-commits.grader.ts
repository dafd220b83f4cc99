import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/lost-commits.ts';
import { checkSchedules, defineGrader, type GradeContext } from '../../../engine/grader.ts';

type Module = typeof Impl;
type Cluster = Impl.RaftReplication;

const FIVE = [1, 2, 3, 4, 5];

function holders(cluster: Cluster, ids: readonly number[], command: string): number[] {
  return ids.filter((id) => cluster.getNode(id)?.log.some((e) => e.command === command));
}

/** 5 nodes, node 1 leads term 1, the given followers are down, one write of "SET x=1". */
function writeWithDown(ctx: GradeContext<Module>, down: readonly number[]) {
  const s = ctx.scenario('5 nodes (1-5), a majority is 3 copies; node 1 is leader of term 1');
  const cluster = new ctx.impl.RaftReplication(FIVE);
  cluster.makeLeader(1, 1);
  if (down.length > 0) {
    s.step(`nodes ${down.join(', ')} are down`);
    for (const id of down) cluster.simulateFailure(id);
  }
  s.step('a client writes "SET x=1" through node 1');
  const committed = cluster.appendEntry(1, 'SET x=1');
  const copies = holders(cluster, FIVE, 'SET x=1');
  const commitIndex = cluster.getNode(1)?.commitIndex ?? 0;
  return { s, committed, copies, commitIndex };
}

// ---- random schedules: cluster sizes 3-7, followers going down and up, writes ----

type Step =
  | { readonly kind: 'fail'; readonly pick: number }
  | { readonly kind: 'recover'; readonly pick: number }
  | { readonly kind: 'write' };

interface Schedule {
  readonly size: number;
  readonly leaderPick: number;
  readonly steps: readonly Step[];
}

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  size: fc.integer({ min: 3, max: 7 }),
  leaderPick: fc.nat(6),
  steps: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.nat(6).map((pick) => ({ kind: 'fail' as const, pick })) },
      { weight: 2, arbitrary: fc.nat(6).map((pick) => ({ kind: 'recover' as const, pick })) },
      { weight: 3, arbitrary: fc.constant({ kind: 'write' as const }) },
    ),
    { minLength: 1, maxLength: 20 },
  ),
});

/** Replays a schedule; after each write, `check` compares what happened with leader + acks. */
function runSchedule(ctx: GradeContext<Module>, schedule: Schedule, mustHold: 'safety' | 'liveness'): void {
  const ids = Array.from({ length: schedule.size }, (_, i) => i + 1);
  const leader = (schedule.leaderPick % schedule.size) + 1;
  const majority = Math.floor(schedule.size / 2) + 1;
  const s = ctx.scenario(`${schedule.size} nodes (1-${schedule.size}), a majority is ${majority} copies; node ${leader} is leader of term 1`);
  const cluster = new ctx.impl.RaftReplication(ids);
  cluster.makeLeader(leader, 1);
  const down = new Set<number>();
  let writes = 0;
  let lastCommitted = 0;

  for (const step of schedule.steps) {
    if (step.kind !== 'write') {
      // The leader stays up: this property is about counting copies, not about elections.
      const followers = ids.filter((id) => id !== leader);
      const id = followers[step.pick % followers.length]!;
      if (step.kind === 'fail') {
        s.step(`node ${id} goes down`);
        cluster.simulateFailure(id);
        down.add(id);
      } else {
        s.step(`node ${id} comes back up`);
        cluster.simulateRecovery(id);
        down.delete(id);
      }
      continue;
    }
    writes++;
    const command = `SET x=${writes}`;
    const up = ids.filter((id) => id !== leader && !down.has(id));
    const copiesWanted = 1 + up.length;
    s.step(`a client writes "${command}" (the leader plus ${up.length} follower(s) up: ${copiesWanted} copies)`);
    const committed = cluster.appendEntry(leader, command);
    const commitIndex = cluster.getNode(leader)?.commitIndex ?? 0;
    if (mustHold === 'safety') {
      s.expect(
        !committed || copiesWanted >= majority,
        `the write not to commit: ${copiesWanted} copies are fewer than ${majority}`,
        `appendEntry reported it committed`,
      );
      s.expect(
        commitIndex === lastCommitted || copiesWanted >= majority,
        `the leader's commitIndex to stay at ${lastCommitted}`,
        `it moved to ${commitIndex}`,
      );
    } else if (copiesWanted >= majority) {
      s.expect(
        committed && commitIndex === writes,
        `the write to commit: ${copiesWanted} copies reach the majority of ${majority}`,
        () => `appendEntry returned ${committed}, the leader's commitIndex is ${commitIndex}`,
      );
    }
    if (committed) lastCommitted = commitIndex;
  }
}

export default defineGrader<Module>({
  requiredExports: ['RaftReplication'],
  requirements: [
    {
      id: 'majority-copies-commit',
      title: 'An entry held by the leader and 2 followers (3 of 5 nodes) is committed',
      kind: 'liveness',
      check: (ctx) => {
        const { s, committed, copies, commitIndex } = writeWithDown(ctx, [4, 5]);
        s.expect(
          committed && commitIndex === 1,
          `the write to be committed (leader commitIndex 1): nodes ${copies.join(', ')} hold it, ${copies.length} of 5`,
          `appendEntry returned ${committed} and the leader's commitIndex is ${commitIndex}`,
        );
      },
    },
    {
      id: 'minority-never-commits',
      title: 'An entry held by only 2 of 5 nodes is not committed',
      kind: 'safety',
      check: (ctx) => {
        const { s, committed, copies, commitIndex } = writeWithDown(ctx, [3, 4, 5]);
        s.expect(
          !committed && commitIndex === 0,
          `the write not to be committed: only nodes ${copies.join(', ')} hold it, ${copies.length} of 5`,
          `appendEntry returned ${committed} and the leader's commitIndex is ${commitIndex}`,
        );
      },
    },
    {
      id: 'refusals-are-not-copies',
      title: 'Followers that refuse an old leader\'s entry do not count towards its majority',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), a majority is 3 copies; node 1 is leader of term 1');
        const cluster = new ctx.impl.RaftReplication(FIVE);
        cluster.makeLeader(1, 1);
        s.step('nodes 2, 3 and 4 hear from node 4 as leader of term 2 (node 1 has not heard of term 2 yet)');
        for (const id of [2, 3, 4]) {
          cluster.handleAppendEntries(id, { term: 2, leaderId: 4, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 });
        }
        s.step('a client writes "SET x=1" through node 1 (term 1): nodes 2, 3, 4 refuse it, node 5 accepts');
        const committed = cluster.appendEntry(1, 'SET x=1');
        const commitIndex = cluster.getNode(1)?.commitIndex ?? 0;
        s.expect(
          !committed && commitIndex === 0,
          'the write not to be committed: only nodes 1 and 5 hold it, 2 of 5',
          `appendEntry returned ${committed} and node 1's commitIndex is ${commitIndex}`,
        );
      },
    },
    {
      id: 'healthy-cluster-commits',
      title: 'With every node up, each write is committed in turn',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all up; node 1 is leader of term 1');
        const cluster = new ctx.impl.RaftReplication(FIVE);
        cluster.makeLeader(1, 1);
        for (const [i, command] of ['SET x=1', 'SET y=2'].entries()) {
          s.step(`a client writes "${command}" through node 1`);
          const committed = cluster.appendEntry(1, command);
          const commitIndex = cluster.getNode(1)?.commitIndex ?? 0;
          s.expect(committed && commitIndex === i + 1, `"${command}" to be committed at index ${i + 1}`, `appendEntry returned ${committed}, commitIndex is ${commitIndex}`);
        }
      },
    },
    {
      id: 'never-commits-without-majority',
      title: 'Under random failures in clusters of 3-7 nodes, a write never commits unless leader + acks reach a majority',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (schedule) => runSchedule(ctx, schedule, 'safety')),
    },
    {
      id: 'commits-with-majority',
      title: 'Under random failures in clusters of 3-7 nodes, a write commits whenever leader + acks reach a majority',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (schedule) => runSchedule(ctx, schedule, 'liveness')),
    },
  ],
});
