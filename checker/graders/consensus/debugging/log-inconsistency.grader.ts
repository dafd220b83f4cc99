import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/log-inconsistency.ts';
import { defineGrader, checkSchedules, type GradeContext, handOver } from '../../../engine/grader.ts';

type Mod = typeof Impl;
type Entry = Impl.LogEntry;

const e = (term: number, command: string): Entry => ({ term, command });
const describeLog = (log: readonly Entry[]): string => `[${log.map((x) => `${x.command}(t${x.term})`).join(', ')}]`;
const sameLog = (a: readonly Entry[], b: readonly Entry[]): boolean =>
  a.length === b.length && a.every((x, i) => x.term === b[i]!.term && x.command === b[i]!.command);

/** Leader (node 1) and follower (node 2) with the given logs, both in `term`. */
function setUp(ctx: GradeContext<Mod>, leaderLog: Entry[], followerLog: Entry[], term = 3) {
  const cluster = new ctx.impl.RaftCluster([1, 2]);
  const leader = cluster.getNode(1);
  const follower = cluster.getNode(2);
  leader.currentTerm = term;
  leader.log = leaderLog.map((x) => ({ ...x }));
  follower.currentTerm = term;
  follower.log = followerLog.map((x) => ({ ...x }));
  return { cluster, leader, follower };
}

const chapterLeader = (): Entry[] => [e(1, 'e1'), e(1, 'e2'), e(3, 'e3')];
const chapterFollower = (): Entry[] => [e(1, 'e1'), e(2, 'e2')];
const chapterSetting = 'Leader (node 1, term 3) has log [e1(t1), e2(t1), e3(t3)]; follower (node 2) has [e1(t1), e2(t2)]';

/**
 * Random logs that obey Raft's Log Matching property: a shared prefix, then a leader suffix and a
 * follower suffix whose terms never coincide at the same index (leader terms even, follower terms odd).
 */
const logsArb = fc
  .record({
    prefix: fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 4 }),
    leaderSuffix: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 4 }),
    followerSuffix: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 4 }),
    prevPick: fc.nat(),
    startPick: fc.nat(),
  })
  .map(({ prefix, leaderSuffix, followerSuffix, prevPick, startPick }) => {
    const terms = (steps: number[], base: number, parity: number): number[] => {
      let t = base;
      return steps.map((step) => {
        t += step * 2;
        return t;
      }).map((x) => x * 2 + parity);
    };
    const prefixTerms = [...prefix].sort((a, b) => a - b);
    const base = prefixTerms.at(-1) ?? 1;
    const shared = prefixTerms.map((t, i) => e(t, `c${i + 1}t${t}`));
    const build = (suffixTerms: number[]) =>
      [...shared, ...suffixTerms.map((t, i) => e(t, `c${shared.length + i + 1}t${t}`))];
    const leaderLog = build(terms(leaderSuffix, base, 0).map((t) => t + 2));
    const followerLog = build(terms(followerSuffix, base, 1));
    const leaderTerm = Math.max(10, ...leaderLog.map((x) => x.term));
    return {
      leaderLog,
      followerLog,
      leaderTerm,
      prevLogIndex: prevPick % (leaderLog.length + 1),
      // Sometimes left out: replicate() then starts after the leader's last entry.
      nextIndex: startPick % (leaderLog.length + 2) === leaderLog.length + 1 ? undefined : 1 + (startPick % (leaderLog.length + 1)),
    };
  });

/**
 * Attempts the documented retry loop makes: from prevLogIndex = nextIndex - 1 (nextIndex defaults
 * to just after the leader's last entry) one step back per refusal, to the first index where the
 * follower holds the leader's entry (index 0 always matches).
 */
function attemptsToConverge(leaderLog: readonly Entry[], followerLog: readonly Entry[], nextIndex: number | undefined): number {
  const start = nextIndex ?? leaderLog.length + 1;
  let prev = start - 1;
  while (prev > 0 && followerLog[prev - 1]?.term !== leaderLog[prev - 1]!.term) prev--;
  return start - prev;
}

export default defineGrader<Mod>({
  requiredExports: ['RaftCluster', 'RaftNode'],
  requirements: [
    {
      id: 'rejects-conflicting-prev-entry',
      title: 'A follower whose entry at prevLogIndex has a different term rejects AppendEntries and keeps its log',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(chapterSetting);
        const { cluster, follower } = setUp(ctx, chapterLeader(), chapterFollower());
        s.step('The leader sends AppendEntries(term 3, prevLogIndex=2, prevLogTerm=1, entries=[e3(t3)])');
        const ok = cluster.appendEntries(2, 3, 2, 1, [e(3, 'e3')]);
        s.expect(
          !ok && sameLog(follower.log, chapterFollower()),
          'the follower to reject it (it holds e2 from term 2 at index 2, the leader expects term 1) and keep [e1(t1), e2(t2)]',
          () => `it answered ${ok ? 'success' : 'failure'} and its log is now ${describeLog(follower.log)}, which disagrees with the leader's at index 2`,
        );
      },
    },
    {
      id: 'rejects-missing-prev-entry',
      title: 'A follower whose log is shorter than prevLogIndex rejects AppendEntries and keeps its log',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Leader (node 1, term 3) has log [e1(t1), e2(t1), e3(t3)]; follower (node 2) has only [e1(t1)]');
        const { cluster, follower } = setUp(ctx, chapterLeader(), [e(1, 'e1')]);
        s.step('The leader sends AppendEntries(term 3, prevLogIndex=2, prevLogTerm=1, entries=[e3(t3)])');
        const ok = cluster.appendEntries(2, 3, 2, 1, [e(3, 'e3')]);
        s.expect(
          !ok && sameLog(follower.log, [e(1, 'e1')]),
          'the follower to reject it: it has no entry at index 2 for e3 to follow',
          () => `it answered ${ok ? 'success' : 'failure'} and its log is now ${describeLog(follower.log)}: e3 landed at the wrong index`,
        );
      },
    },
    {
      id: 'rejects-stale-leader',
      title: 'A follower rejects AppendEntries from a leader with an older term',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Follower (node 2) is in term 3 with log [e1(t1)]; an old leader (term 2) still sends');
        const { cluster, follower } = setUp(ctx, [e(1, 'e1')], [e(1, 'e1')], 3);
        s.step('The old leader sends AppendEntries(term 2, prevLogIndex=1, prevLogTerm=1, entries=[x(t2)])');
        const ok = cluster.appendEntries(2, 2, 1, 1, [e(2, 'x')]);
        s.expect(!ok && sameLog(follower.log, [e(1, 'e1')]), 'the follower to reject the old leader and keep [e1(t1)]',
          () => `it answered ${ok ? 'success' : 'failure'} and its log is ${describeLog(follower.log)}`);
      },
    },
    {
      id: 'accepts-matching-append',
      title: 'A follower whose log matches at prevLogIndex accepts the entries and ends with the leader\'s log',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('Leader (node 1, term 3) has log [e1(t1), e2(t1), e3(t3)]; follower (node 2) has [e1(t1), e2(t1)]');
        const { cluster, leader, follower } = setUp(ctx, chapterLeader(), [e(1, 'e1'), e(1, 'e2')]);
        s.step('The leader sends AppendEntries(term 3, prevLogIndex=2, prevLogTerm=1, entries=[e3(t3)])');
        const ok = cluster.appendEntries(2, 3, 2, 1, [e(3, 'e3')]);
        s.expect(ok && sameLog(follower.log, leader.log), 'the follower to accept and hold [e1(t1), e2(t1), e3(t3)]',
          () => `it answered ${ok ? 'success' : 'failure'} and holds ${describeLog(follower.log)}: replication cannot make progress`);
        s.step('The leader sends AppendEntries(term 3, prevLogIndex=0, prevLogTerm=0, entries=[]) to an empty follower (node 2 reset)');
        follower.log = [];
        const fromStart = cluster.appendEntries(2, 3, 0, 0, []);
        s.expect(fromStart, 'AppendEntries at prevLogIndex 0 to be accepted: every log matches before its first entry',
          'it was rejected');
      },
    },
    {
      id: 'replaces-conflicting-suffix',
      title: 'Entries that conflict with the leader\'s are replaced, not kept alongside the new ones',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Leader (node 1, term 3) has [e1(t1), e2(t1), e3(t3)]; follower (node 2) has [e1(t1), e2(t1), x3(t2), x4(t2)]');
        const leaderLog = [e(1, 'e1'), e(1, 'e2'), e(3, 'e3')];
        const { cluster, follower } = setUp(ctx, leaderLog, [e(1, 'e1'), e(1, 'e2'), e(2, 'x3'), e(2, 'x4')], 3);
        s.step('The leader sends AppendEntries(term 3, prevLogIndex=2, prevLogTerm=1, entries=[e3(t3)])');
        const ok = cluster.appendEntries(2, 3, 2, 1, [e(3, 'e3')]);
        s.expect(ok && sameLog(follower.log, leaderLog), 'the follower to accept and hold exactly [e1(t1), e2(t1), e3(t3)]',
          () => `it answered ${ok ? 'success' : 'failure'} and holds ${describeLog(follower.log)}`);
      },
    },
    {
      id: 'leader-retries-until-logs-match',
      title: 'After a rejection the leader backs off nextIndex and retries until the follower\'s log matches its own',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario(chapterSetting);
        const { cluster, leader, follower } = setUp(ctx, chapterLeader(), chapterFollower());
        s.step('The leader replicates to node 2 starting at nextIndex=3 (prevLogIndex=2, prevLogTerm=1, entries=[e3])');
        const result = cluster.replicate(1, 2, 3);
        s.expect(result.converged && sameLog(follower.log, leader.log),
          'the follower to end with the leader\'s log [e1(t1), e2(t1), e3(t3)]',
          () => `after ${result.attempts} attempt(s) the follower holds ${describeLog(follower.log)}`);
        s.expect(result.attempts === 2, 'it to take 2 attempts: rejected at prevLogIndex 2, accepted at prevLogIndex 1',
          `it took ${result.attempts}`);
      },
    },
    {
      id: 'duplicate-append-keeps-log',
      title: 'A delayed AppendEntries whose entries the follower already holds is accepted and cuts nothing off its log',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('Leader (node 1, term 3) and follower (node 2) both hold [e1(t1), e2(t1), e3(t3)]');
        const { cluster, follower } = setUp(ctx, chapterLeader(), chapterLeader());
        for (const [prev, entries] of [[0, [e(1, 'e1')]], [1, [e(1, 'e2')]], [1, [e(1, 'e2'), e(3, 'e3')]]] as const) {
          s.step(`An old AppendEntries(prevLogIndex=${prev}, prevLogTerm=${prev === 0 ? 0 : 1}, entries=${describeLog(entries)}) arrives late`);
          const ok = cluster.appendEntries(2, 3, prev, prev === 0 ? 0 : 1, handOver(entries));
          s.expect(ok && sameLog(follower.log, chapterLeader()), 'it to be accepted with the follower\'s log still [e1(t1), e2(t1), e3(t3)]: nothing in it conflicts',
            () => `it was ${ok ? 'accepted' : 'rejected'} and the follower holds ${describeLog(follower.log)}`);
        }
      },
    },
    {
      id: 'leader-gives-up-on-newer-term',
      title: 'A leader whose follower is in a newer term makes one attempt, gives up and changes nothing',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario(`${chapterSetting}; node 2 has already heard of term 5`);
        const { cluster, follower } = setUp(ctx, chapterLeader(), chapterFollower());
        follower.currentTerm = 5;
        s.step('The leader (term 3) replicates to node 2 from nextIndex=3');
        const result = cluster.replicate(1, 2, 3);
        s.expect(!result.converged && result.attempts === 1 && result.nextIndex === 3 && sameLog(follower.log, chapterFollower()) && cluster.getMessageCount() === 1,
          'one refused attempt and a give-up: converged false, attempts 1, nextIndex 3, the follower\'s log unchanged, 1 message',
          () => `converged ${result.converged}, attempts ${result.attempts}, nextIndex ${result.nextIndex}, follower ${describeLog(follower.log)}, ${cluster.getMessageCount()} message(s)`);
      },
    },
    {
      id: 'node-views',
      title: 'Nodes start with an empty log in term 0; termAt is 0 at index 0 and undefined past the end; an unknown node id is an error',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('A new cluster of nodes 1, 2, 3');
        const cluster = new ctx.impl.RaftCluster([1, 2, 3]);
        for (const id of [1, 2, 3]) {
          const n = cluster.getNode(id);
          s.expect(n.log.length === 0 && n.getLastLogIndex() === 0 && n.currentTerm === 0 && n.termAt(0) === 0 && n.termAt(1) === undefined,
            `node ${id} to have an empty log (last index 0) in term 0, termAt(0) = 0 and termAt(1) undefined`,
            () => `its log is ${describeLog(n.log)} in term ${n.currentTerm}; termAt(0) = ${n.termAt(0)}, termAt(1) = ${n.termAt(1)}`);
        }
        let threw = false;
        try {
          cluster.getNode(99);
        } catch {
          threw = true;
        }
        s.expect(threw, 'getNode(99) to throw: there is no node 99', 'it returned without an error');
      },
    },
    {
      id: 'random-logs-accept-iff-consistent',
      title: 'For any pair of logs: AppendEntries is accepted exactly when the logs agree at prevLogIndex, and the leader\'s retries make the logs match, one step back per refusal, each attempt counted',
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, logsArb, (c) => {
          const s = ctx.scenario(`Leader (node 1, term ${c.leaderTerm}) has ${describeLog(c.leaderLog)}; follower (node 2, term 1) has ${describeLog(c.followerLog)}`);
          const { cluster, leader, follower } = setUp(ctx, c.leaderLog, c.followerLog, c.leaderTerm);
          follower.currentTerm = 1;
          const prevLogTerm = c.prevLogIndex === 0 ? 0 : c.leaderLog[c.prevLogIndex - 1]!.term;
          const entries = c.leaderLog.slice(c.prevLogIndex);
          s.step(`The leader sends AppendEntries(prevLogIndex=${c.prevLogIndex}, prevLogTerm=${prevLogTerm}, entries=${describeLog(entries)})`);
          const consistent = c.prevLogIndex === 0 || c.followerLog[c.prevLogIndex - 1]?.term === prevLogTerm;
          const ok = cluster.appendEntries(2, c.leaderTerm, c.prevLogIndex, prevLogTerm, handOver(entries));
          s.expect(ok === consistent,
            consistent ? 'it to be accepted: the follower holds the same entry at prevLogIndex' : 'it to be rejected: the follower\'s log does not match at prevLogIndex',
            () => `it was ${ok ? 'accepted' : 'rejected'}; the follower now holds ${describeLog(follower.log)}`);
          if (ok) {
            s.expect(sameLog(follower.log.slice(0, c.leaderLog.length), c.leaderLog),
              `the follower's log to start with the leader's ${describeLog(c.leaderLog)}`,
              () => `it holds ${describeLog(follower.log)}`);
          } else {
            s.expect(sameLog(follower.log, c.followerLog), 'the rejected follower to keep its log unchanged',
              () => `it holds ${describeLog(follower.log)}`);
          }
          s.expect(cluster.getMessageCount() === 1, 'getMessageCount() to be 1 after one AppendEntries', () => `it was ${cluster.getMessageCount()}`);
          s.step(c.nextIndex === undefined ? 'The leader runs its retry loop without a nextIndex (so from just after its last entry)' : `The leader runs its retry loop from nextIndex=${c.nextIndex}`);
          const wantedAttempts = attemptsToConverge(c.leaderLog, follower.log, c.nextIndex);
          const result = c.nextIndex === undefined ? cluster.replicate(1, 2) : cluster.replicate(1, 2, c.nextIndex);
          s.expect(result.converged && sameLog(follower.log.slice(0, leader.log.length), leader.log),
            `the follower's log to match the leader's ${describeLog(leader.log)}`,
            () => `after ${result.attempts} attempt(s) the follower holds ${describeLog(follower.log)}`);
          s.expect(result.attempts === wantedAttempts && result.nextIndex === c.leaderLog.length + 1 && cluster.getMessageCount() === 1 + wantedAttempts,
            `${wantedAttempts} attempt(s) (one step back per refusal), ending with nextIndex ${c.leaderLog.length + 1}, and getMessageCount() ${1 + wantedAttempts}`,
            () => `${result.attempts} attempt(s), nextIndex ${result.nextIndex}, getMessageCount() ${cluster.getMessageCount()}`);
        }),
    },
  ],
});
