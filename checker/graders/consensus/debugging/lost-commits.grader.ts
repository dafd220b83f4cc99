import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/lost-commits.ts';
import { checkSchedules, defineGrader, type GradeContext, handOver } from '../../../engine/grader.ts';

type Module = typeof Impl;
type Cluster = Impl.RaftReplication;

const FIVE = [1, 2, 3, 4, 5];

function holders(cluster: Cluster, ids: readonly number[], command: string): number[] {
  return ids.filter((id) => cluster.getNode(id)?.log.some((e) => e.command === command));
}

/** 5 nodes, node 1 leads term 1, the given followers are down, one write of "SET x=1". */
function writeWithDown(ctx: GradeContext<Module>, down: readonly number[]) {
  const s = ctx.scenario('5 nodes (1-5), a majority is 3 copies; node 1 is leader of term 1');
  const cluster = new ctx.impl.RaftReplication(handOver(FIVE));
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

// ---- random schedules: cluster sizes 3-7, nodes going down and up, new leaders, writes ----

type Step =
  | { readonly kind: 'fail'; readonly pick: number }
  | { readonly kind: 'recover'; readonly pick: number }
  | { readonly kind: 'new-leader'; readonly pick: number }
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
      // Several leaders in a row, each writing while a different subset is up.
      { weight: 1, arbitrary: fc.nat(6).map((pick) => ({ kind: 'new-leader' as const, pick })) },
      { weight: 3, arbitrary: fc.constant({ kind: 'write' as const }) },
    ),
    { minLength: 1, maxLength: 24 },
  ),
});

const logText = (log: readonly Impl.LogEntry[]): string => `[${log.map((e) => `${e.index}:${e.command}(t${e.term})`).join(', ')}]`;
const snapshot = (node: Impl.RaftNode | undefined): Impl.LogEntry[] => (node ? node.log.map((e) => ({ term: e.term, command: e.command, index: e.index })) : []);

/**
 * AppendEntries messages the file's documented retry sends to one follower: one per attempt, from
 * prevLogIndex = last - 1 down to the first index where the follower's log has the leader's term;
 * a single one when the follower is in a newer term.
 */
function attemptsFor(leader: readonly Impl.LogEntry[], leaderTerm: number, follower: readonly Impl.LogEntry[], followerTerm: number): number {
  if (followerTerm > leaderTerm) return 1;
  const termAt = (log: readonly Impl.LogEntry[], i: number): number => (i === 0 ? 0 : (log[i - 1]?.term ?? -1));
  let prev = leader.length - 1;
  while (prev > 0 && (prev > follower.length || termAt(follower, prev) !== termAt(leader, prev))) prev--;
  return leader.length - prev;
}

/**
 * Replays a schedule. Safety: a write never commits unless leader + acks reach a majority, and
 * after every step: roles match the last makeLeader, terms never go back, every follower that
 * was up for the last write holds exactly the leader's log, commit indexes follow the leader's and
 * never shrink, and the message count is what the documented retry sends. Liveness: a write
 * through an up leader commits whenever leader + acks reach a majority.
 */
function runSchedule(ctx: GradeContext<Module>, schedule: Schedule, mustHold: 'safety' | 'liveness'): void {
  const ids = Array.from({ length: schedule.size }, (_, i) => i + 1);
  let leader = (schedule.leaderPick % schedule.size) + 1;
  let term = 1;
  const majority = Math.floor(schedule.size / 2) + 1;
  const s = ctx.scenario(`${schedule.size} nodes (1-${schedule.size}), a majority is ${majority} copies; node ${leader} is leader of term 1`);
  const cluster = new ctx.impl.RaftReplication(handOver(ids));
  s.expect(cluster.getMajoritySize() === majority, `getMajoritySize() to be ${majority}`, () => `it was ${cluster.getMajoritySize()}`);
  cluster.makeLeader(leader, term);
  const down = new Set<number>();
  const commitOf = new Map(ids.map((id) => [id, 0]));
  let synced = new Set<number>();
  let writes = 0;
  let messages = 0;

  for (const step of schedule.steps) {
    if (step.kind === 'fail' || step.kind === 'recover') {
      const id = ids[step.pick % ids.length]!;
      s.step(`node ${id}${id === leader ? ' (the leader)' : ''} ${step.kind === 'fail' ? 'goes down' : 'comes back up'}`);
      if (step.kind === 'fail') {
        cluster.simulateFailure(id);
        down.add(id);
      } else {
        cluster.simulateRecovery(id);
        down.delete(id);
      }
    } else if (step.kind === 'new-leader') {
      leader = ids[step.pick % ids.length]!;
      term++;
      s.step(`node ${leader} becomes leader of term ${term}`);
      cluster.makeLeader(leader, term);
      synced = new Set();
    } else {
      writes++;
      const command = `SET x=${writes}`;
      const up = ids.filter((id) => id !== leader && !down.has(id));
      const leaderNode = cluster.getNode(leader);
      const before = new Map(ids.map((id) => [id, snapshot(cluster.getNode(id))]));
      const leaderCommit = leaderNode?.commitIndex ?? 0;
      if (down.has(leader)) {
        s.step(`a client writes "${command}" through node ${leader}, which is down`);
        const committed = cluster.appendEntry(leader, command);
        s.expect(!committed && cluster.getNode(leader)!.log.length === before.get(leader)!.length,
          `the write to be refused: the leader is down`, `appendEntry returned ${committed} and the leader's log is ${logText(cluster.getNode(leader)!.log)}`);
      } else {
        const copiesWanted = 1 + up.length;
        s.step(`a client writes "${command}" through node ${leader} (the leader plus ${up.length} follower(s) up: ${copiesWanted} copies)`);
        const committed = cluster.appendEntry(leader, command);
        const commitIndex = cluster.getNode(leader)?.commitIndex ?? 0;
        const index = before.get(leader)!.length + 1;
        if (mustHold === 'safety') {
          s.expect(!committed || copiesWanted >= majority, `the write not to commit: ${copiesWanted} copies are fewer than ${majority}`, `appendEntry reported it committed`);
          s.expect(commitIndex === (committed ? index : leaderCommit), `the leader's commitIndex to be ${committed ? index : leaderCommit}`, `it is ${commitIndex}`);
        } else if (copiesWanted >= majority) {
          s.expect(committed && commitIndex === index, `the write to commit at index ${index}: ${copiesWanted} copies reach the majority of ${majority}`,
            () => `appendEntry returned ${committed}, the leader's commitIndex is ${commitIndex}`);
        }
        commitOf.set(leader, commitIndex);
        const leaderLog = cluster.getNode(leader)!.log;
        const last = leaderLog.at(-1);
        s.expect(leaderLog.length === index && last?.command === command && last.term === term && last.index === index,
          `the leader's log to end with "${command}" at index ${index}, term ${term}`, () => `it is ${logText(leaderLog)}`);
        for (const id of mustHold === 'safety' ? up : []) {
          const node = cluster.getNode(id)!;
          messages += attemptsFor(leaderLog, term, before.get(id)!, term);
          commitOf.set(id, Math.max(commitOf.get(id)!, Math.min(leaderCommit, leaderLog.length)));
          s.expect(node.commitIndex === commitOf.get(id), `node ${id}'s commitIndex to be ${commitOf.get(id)} (the leader's commitIndex ${leaderCommit} when it sent, capped by the log)`,
            () => `it is ${node.commitIndex}`);
        }
        synced = new Set(up);
      }
    }
    // After every step (the liveness requirement judges liveness only).
    if (mustHold === 'liveness') continue;
    const leaderLog = logText(cluster.getNode(leader)!.log);
    for (const id of ids) {
      const node = cluster.getNode(id)!;
      const role = id === leader ? 'leader' : 'follower';
      s.expect(node.role === role && node.currentTerm >= term, `node ${id} to be ${role} in term ${term} or later`, () => `it is ${JSON.stringify(node.role)} in term ${node.currentTerm}`);
      if (synced.has(id) && !down.has(leader)) {
        s.expect(logText(node.log) === leaderLog, `node ${id}, which took the last write, to hold exactly the leader's log ${leaderLog}`, () => `it holds ${logText(node.log)}`);
      }
    }
    s.expect(cluster.getMessageCount() === messages, `getMessageCount() to be ${messages}: one AppendEntries per attempt, stepping back one entry per refusal`,
      () => `it was ${cluster.getMessageCount()}`);
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
        const cluster = new ctx.impl.RaftReplication(handOver(FIVE));
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
        s.step('a client writes "SET x=2" through node 1: nodes 2, 3, 4 refuse again, node 5 accepts');
        const second = cluster.appendEntry(1, 'SET x=2');
        s.expect(!second && (cluster.getNode(1)?.commitIndex ?? 0) === 0, 'the second write not to be committed either', `appendEntry returned ${second}`);
        s.expect(cluster.getMessageCount() === 8, 'getMessageCount() to be 8: one AppendEntries per follower per write; a follower in a newer term refuses and is not asked again at an earlier index',
          () => `it was ${cluster.getMessageCount()}`);
      },
    },
    {
      id: 'healthy-cluster-commits',
      title: 'With every node up, each write is committed in turn',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all up; node 1 is leader of term 1');
        const cluster = new ctx.impl.RaftReplication(handOver(FIVE));
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
      id: 'append-entries-rules',
      title: 'handleAppendEntries accepts only entries that follow on from the follower\'s log, replaces a conflicting suffix, refuses an older term and moves commitIndex to min(leaderCommit, last index) without going back',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5); handleAppendEntries called directly on node 2');
        const cluster = new ctx.impl.RaftReplication(handOver(FIVE));
        for (const id of FIVE) {
          s.expect(cluster.getNode(id)?.role === 'follower' && cluster.getNode(id)?.termAt(0) === 0, `node ${id} to start as a follower whose log has term 0 at index 0`,
            () => `it is ${JSON.stringify(cluster.getNode(id)?.role)} with termAt(0) = ${cluster.getNode(id)?.termAt(0)}`);
        }
        const e = (index: number, term: number, command: string): Impl.LogEntry => ({ index, term, command });
        const send = (what: string, request: Impl.AppendEntriesRequest, wanted: boolean, log: readonly Impl.LogEntry[], commit: number): void => {
          s.step(what);
          const answer = cluster.handleAppendEntries(2, request);
          const node = cluster.getNode(2)!;
          s.expect(answer === wanted && logText(node.log) === logText(log) && node.commitIndex === commit,
            `node 2 to answer ${wanted ? 'success' : 'failure'}, hold ${logText(log)} and have commitIndex ${commit}`,
            () => `it answered ${answer ? 'success' : 'failure'}, holds ${logText(node.log)} and has commitIndex ${node.commitIndex}`);
        };
        const req = (term: number, prevLogIndex: number, prevLogTerm: number, entries: Impl.LogEntry[], leaderCommit: number): Impl.AppendEntriesRequest =>
          ({ term, leaderId: 1, prevLogIndex, prevLogTerm, entries, leaderCommit });
        send('term 1: entries a, b after index 0 (leaderCommit 5)', req(1, 0, 0, [e(1, 1, 'a'), e(2, 1, 'b')], 5), true, [e(1, 1, 'a'), e(2, 1, 'b')], 2);
        send('term 1: entry d after index 3 (node 2 has only 2 entries)', req(1, 3, 1, [e(4, 1, 'd')], 2), false, [e(1, 1, 'a'), e(2, 1, 'b')], 2);
        send('term 2: entry c after index 2 claimed to be of term 2 (node 2 has term 1 there)', req(2, 2, 2, [e(3, 2, 'c')], 2), false, [e(1, 1, 'a'), e(2, 1, 'b')], 2);
        send('term 2: entry x after index 1 (replacing b), leaderCommit 1', req(2, 1, 1, [e(2, 2, 'x')], 1), true, [e(1, 1, 'a'), e(2, 2, 'x')], 2);
        s.expect(cluster.getNode(2)?.currentTerm === 2, 'node 2 to have moved to term 2', () => `it is in term ${cluster.getNode(2)?.currentTerm}`);
        send('term 1 (older than node 2\'s term 2): entry y after index 2', req(1, 2, 2, [e(3, 1, 'y')], 3), false, [e(1, 1, 'a'), e(2, 2, 'x')], 2);
        s.expect(cluster.getNode(2)?.currentTerm === 2, 'node 2 to stay in term 2', () => `it is in term ${cluster.getNode(2)?.currentTerm}`);
        s.step('node 2 is made leader of term 3, then hears AppendEntries of term 4');
        cluster.makeLeader(2, 3);
        send('term 4: no entries after index 2, leaderCommit 2', req(4, 2, 2, [], 2), true, [e(1, 1, 'a'), e(2, 2, 'x')], 2);
        s.expect(cluster.getNode(2)?.role === 'follower' && cluster.getNode(2)?.currentTerm === 4, 'node 2 to step down to follower in term 4',
          () => `it is ${JSON.stringify(cluster.getNode(2)?.role)} in term ${cluster.getNode(2)?.currentTerm}`);
        s.step('node 99 (not in the cluster) is sent AppendEntries');
        s.expect(cluster.handleAppendEntries(99, req(4, 0, 0, [], 0)) === false, 'node 99 to answer failure', 'it answered success');
      },
    },
    {
      id: 'only-an-up-leader-writes',
      title: 'A write through a follower, or through a leader that is down, is refused and changes no log',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), a majority is 3 copies; node 1 is leader of term 1');
        const cluster = new ctx.impl.RaftReplication(handOver(FIVE));
        cluster.makeLeader(1, 1);
        const logs = (): string => FIVE.map((id) => `${id}: ${logText(cluster.getNode(id)!.log)}`).join('; ');
        const refused = (who: string, id: number): void => {
          s.step(`a client writes "SET y=1" through ${who}`);
          const committed = cluster.appendEntry(id, 'SET y=1');
          s.expect(!committed && FIVE.every((n) => cluster.getNode(n)!.log.length === 0), `the write to be refused with every log still empty`,
            () => `appendEntry returned ${committed}; logs ${logs()}`);
        };
        refused('node 2, a follower', 2);
        refused('node 99, not in the cluster', 99);
        s.step('node 1 goes down');
        cluster.simulateFailure(1);
        refused('node 1, the leader, which is down', 1);
        s.step('node 1 comes back up; a client writes "SET y=2" through it');
        cluster.simulateRecovery(1);
        const committed = cluster.appendEntry(1, 'SET y=2');
        s.expect(committed && cluster.getNode(1)!.commitIndex === 1, 'the write to commit at index 1', () => `appendEntry returned ${committed}; logs ${logs()}`);
      },
    },
    {
      id: 'never-commits-without-majority',
      title: 'Under random failures and leader changes in clusters of 3-7 nodes, a write never commits unless leader + acks reach a majority; roles, terms, logs, commit indexes and the message count agree after every step',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (schedule) => runSchedule(ctx, schedule, 'safety')),
    },
    {
      id: 'commits-with-majority',
      title: 'Under random failures and leader changes in clusters of 3-7 nodes, a write through an up leader commits whenever leader + acks reach a majority',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (schedule) => runSchedule(ctx, schedule, 'liveness')),
    },
  ],
});
