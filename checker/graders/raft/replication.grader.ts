import type { LogEntry, NodeId, RaftMessage } from '#workbook/raft-node';
import { traceFailures } from '../../sim/traced.ts';
import { defineGrader } from '../../engine/grader.ts';
import { UNRELIABLE } from '../../sim/network.ts';
import { AGREEMENT_LIMIT_MS, cluster, TIMING, Cluster, type RaftImpl, alone, electByHand, untilCandidate, answersTo, inject } from './harness.ts';
import { fmtEntry } from './monitor.ts';
import { checkRandomRuns } from './schedules.ts';

/**
 * Exercise 2 of the raft module: log replication. Modelled on what the labs' agreement tests
 * check (basic agreement, followers and leaders failing, no agreement without a majority,
 * concurrent starts, a partitioned leader rejoining, backing up long divergent logs, a bounded
 * number of RPCs), plus hand-delivered messages for the rules only a late or reordered message
 * exposes: the consistency check, no truncation by an old request, matchIndex from the request,
 * commitIndex capped, and Figure 8 (no commit of an earlier term's entry by counting replicas).
 */

const e = (index: number, term: number, command: string): LogEntry => ({ index, term, command });
const fmtLog = (log: readonly LogEntry[]): string => `[${log.map(fmtEntry).join(', ')}]`;

function append(term: number, prevLogIndex: number, prevLogTerm: number, entries: LogEntry[], leaderCommit = 0): RaftMessage {
  return { type: 'AppendEntries', term, leaderId: 1, prevLogIndex, prevLogTerm, entries, leaderCommit };
}

function words(m: RaftMessage): string {
  if (m.type !== 'AppendEntries') return m.type;
  return `AppendEntries(term ${m.term}, prevLogIndex ${m.prevLogIndex}, prevLogTerm ${m.prevLogTerm}, entries ${fmtLog(m.entries)}, leaderCommit ${m.leaderCommit})`;
}

/** Delivers AppendEntries from node 1 to `to` and returns the reply it sent. */
function appendTo(c: Cluster, to: NodeId, m: RaftMessage) {
  const at = c.now;
  inject(c, 1, to, m, words(m));
  const reply = c.sentOf('AppendReply', { from: to, to: 1, since: at }).at(-1);
  c.s.expect(reply !== undefined, `node ${to} to answer with an AppendReply`, 'it sent none');
  return reply!.message;
}

function expectLog(c: Cluster, id: NodeId, want: LogEntry[]): void {
  c.s.expectEqual(fmtLog(c.view(id)?.log ?? []), fmtLog(want), `node ${id}'s log`, (x) => x);
}

export default defineGrader<RaftImpl>({
  requiredExports: ['RaftNode'],
  // A failing check carries its run, drawn under the verdict and by `trace`.
  requirements: traceFailures([
    {
      id: 'basic-agree',
      title: 'A leader of three connected nodes gets each client command applied on every node, at indexes 1, 2, 3',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        c.waitForLeader();
        for (let i = 1; i <= 3; i++) s.expectEqual(c.one(`c${i}`, 3, AGREEMENT_LIMIT_MS), i, `the index "c${i}" was applied at`);
      },
    },
    {
      id: 'follower-redirects',
      title: 'A client request to a follower is refused with the id of the leader it knows; the leader accepts it with its index and term',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        c.sim.runFor(TIMING.heartbeatMs * 2);
        for (const f of c.ids.filter((id) => id !== leader)) {
          s.step(`a client sends "x" to node ${f}, a follower`);
          s.expectEqual(c.request(f, 'x'), { ok: false, leader }, `node ${f}'s answer`);
        }
        s.step(`a client sends "x" to node ${leader}, the leader`);
        s.expectEqual(c.request(leader, 'x'), { ok: true, index: 1, term: c.term(leader) }, `node ${leader}'s answer`);
      },
    },
    {
      id: 'vote-log-rule',
      title: "A node refuses its vote to a candidate whose log is behind its own (last term first, then length)",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3);
        appendTo(c, 3, append(2, 0, 0, [e(1, 1, 'a'), e(2, 2, 'b')]));
        const ask = (term: number, lastLogIndex: number, lastLogTerm: number, grant: boolean, why: string) => {
          const at = c.now;
          inject(c, 2, 3, { type: 'RequestVote', term, candidateId: 2, lastLogIndex, lastLogTerm }, `RequestVote(term ${term}, candidate 2, log ending at index ${lastLogIndex} term ${lastLogTerm})`);
          const reply = c.sentOf('VoteReply', { from: 3, to: 2, since: at }).at(-1)?.message;
          s.expect(reply?.voteGranted === grant, `node 3 (log ending at index 2, term 2) to ${grant ? 'grant' : 'refuse'} it: ${why}`, reply ? (grant ? 'it refused' : 'it granted it') : 'it did not answer');
        };
        ask(3, 5, 1, false, 'a longer log does not help when its last term (1) is older than 2');
        ask(4, 1, 2, false, 'same last term, but shorter');
        ask(5, 2, 2, true, 'same last term and same length is up to date');
        ask(6, 1, 3, true, 'a newer last term (3) wins even with fewer entries');
      },
    },
    {
      id: 'consistency-check',
      title: "A follower accepts entries only if its log holds the leader's previous entry (same index, same term), and says where its log conflicts",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand as if from a leader, node 1');
        const c = alone(ctx, s, 3, 3);
        const ok = appendTo(c, 3, append(2, 0, 0, [e(1, 1, 'a'), e(2, 2, 'b')]));
        s.expectEqual([ok.success, ok.matchIndex], [true, 2], 'the reply [success, matchIndex]');
        const wrongTerm = appendTo(c, 3, append(2, 2, 1, [e(3, 2, 'c')]));
        s.expectEqual([wrongTerm.success, wrongTerm.conflictTerm, wrongTerm.conflictIndex], [false, 2, 2], 'the reply [success, conflictTerm, conflictIndex] (its entry 2 has term 2, the first of term 2)');
        expectLog(c, 3, [e(1, 1, 'a'), e(2, 2, 'b')]);
        const tooFar = appendTo(c, 3, append(2, 5, 2, [e(6, 2, 'f')]));
        s.expectEqual([tooFar.success, tooFar.conflictTerm, tooFar.conflictIndex], [false, 0, 3], 'the reply [success, conflictTerm, conflictIndex] (its log is too short: it ends at 2)');
        expectLog(c, 3, [e(1, 1, 'a'), e(2, 2, 'b')]);
        const conflict = appendTo(c, 3, append(3, 1, 1, [e(2, 3, 'x')]));
        s.expect(conflict.success, 'node 3 to accept: its entry 1 has term 1', 'it refused');
        expectLog(c, 3, [e(1, 1, 'a'), e(2, 3, 'x')]);
        appendTo(c, 3, append(3, 2, 3, [e(3, 3, 'y'), e(4, 3, 'z')]));
        const wholeTerm = appendTo(c, 3, append(4, 4, 4, [e(5, 4, 'w')]));
        s.expectEqual([wholeTerm.success, wholeTerm.conflictTerm, wholeTerm.conflictIndex], [false, 3, 2], 'the reply [success, conflictTerm, conflictIndex] (its entries 2-4 have term 3: the first of them is 2)');
      },
    },
    {
      id: 'late-append-keeps-entries',
      title: 'A late, shorter AppendEntries (the network reordered it) does not cut entries that agree, and its reply claims only what it covered',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand as if from a leader, node 1');
        const c = alone(ctx, s, 3, 3);
        appendTo(c, 3, append(1, 0, 0, [e(1, 1, 'a'), e(2, 1, 'b'), e(3, 1, 'c')]));
        const late = appendTo(c, 3, append(1, 0, 0, [e(1, 1, 'a')]));
        expectLog(c, 3, [e(1, 1, 'a'), e(2, 1, 'b'), e(3, 1, 'c')]);
        s.expectEqual([late.success, late.matchIndex], [true, 1], 'the late reply [success, matchIndex] (it covered index 1 only)');
      },
    },
    {
      id: 'commit-index-min',
      title: "A follower's commitIndex becomes min(leaderCommit, index of the last entry the message covered), never more",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand as if from a leader, node 1');
        const c = alone(ctx, s, 3, 3);
        appendTo(c, 3, append(2, 0, 0, [e(1, 1, 'a'), e(2, 2, 'b'), e(3, 2, 'c')]));
        appendTo(c, 3, append(3, 1, 1, [], 3));
        s.expectEqual(c.view(3)?.commitIndex, 1, "node 3's commitIndex (entries 2 and 3 were not checked against this leader's log)");
        s.expectEqual(c.appliedBy(3), ['a'], "the commands node 3 applied");
      },
    },
    {
      id: 'commit-index-never-back',
      title: "A follower's commitIndex never moves back: a late heartbeat carrying an older leaderCommit leaves it where it is",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand as if from a leader, node 1');
        const c = alone(ctx, s, 3, 3);
        appendTo(c, 3, append(2, 0, 0, [e(1, 2, 'a'), e(2, 2, 'b'), e(3, 2, 'c')], 3));
        s.expectEqual(c.view(3)?.commitIndex, 3, "node 3's commitIndex");
        appendTo(c, 3, append(2, 0, 0, [], 1));
        appendTo(c, 3, append(2, 3, 2, [], 2));
        s.expectEqual(c.view(3)?.commitIndex, 3, "node 3's commitIndex after two late heartbeats with leaderCommit 1 and 2 (what was committed stays committed)");
        s.expectEqual(c.appliedBy(3), ['a', 'b', 'c'], 'the commands node 3 applied');
      },
    },
    {
      id: 'figure-8-commit-rule',
      title: "A leader never commits an entry of an earlier term by counting replicas, nor counts replies of an earlier term; an entry of its own term commits them all (Figure 8)",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes; nodes 2-5 are down, messages to node 1 are delivered by hand');
        const c = alone(ctx, s, 5, 1);
        inject(c, 2, 1, { type: 'AppendEntries', term: 2, leaderId: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [e(1, 1, 'a'), e(2, 2, 'b')], leaderCommit: 1 }, 'AppendEntries from node 2, leader of term 2, with [t1 "a", t2 "b"], leaderCommit 1');
        const term = untilCandidate(c, 1);
        electByHand(c, 1, term, [2, 3]);
        for (const from of [2, 3]) inject(c, from, 1, { type: 'AppendReply', term, success: true, matchIndex: 2, conflictTerm: 0, conflictIndex: 0 }, `AppendReply(term ${term}, success, matchIndex 2)`);
        s.expectEqual(c.view(1)?.commitIndex, 1, `node 1's commitIndex: entry 2 is on 3 of 5 nodes but has term 2, not ${term}`);
        s.step(`a client sends "c" to node 1; it goes to index 3, term ${term}`);
        const reply = c.request(1, 'c');
        s.expectEqual(reply, { ok: true, index: 3, term }, "node 1's answer");
        for (const from of [2, 3]) inject(c, from, 1, { type: 'AppendReply', term: term - 1, success: true, matchIndex: 3, conflictTerm: 0, conflictIndex: 0 }, `a late AppendReply(term ${term - 1}, success, matchIndex 3) from an older term`);
        s.expectEqual(c.view(1)?.commitIndex, 1, `node 1's commitIndex: replies of term ${term - 1} are not acknowledgements in term ${term}`);
        for (const from of [2, 3]) inject(c, from, 1, { type: 'AppendReply', term, success: true, matchIndex: 3, conflictTerm: 0, conflictIndex: 0 }, `AppendReply(term ${term}, success, matchIndex 3)`);
        s.expectEqual(c.view(1)?.commitIndex, 3, `node 1's commitIndex: entry 3 of term ${term} is on 3 of 5 nodes, and commits entry 2 with it`);
        s.expectEqual(c.appliedBy(1), ['a', 'b', 'c'], 'the commands node 1 applied');
      },
    },
    {
      id: 'even-cluster-commit',
      title: 'In a cluster of 4 an entry commits once 3 nodes store it, the leader included (2 copies are half, not a majority), even while a later entry is on fewer',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('4 nodes; nodes 2-4 are down, messages to node 1 are delivered by hand');
        const c = alone(ctx, s, 4, 1);
        const term = untilCandidate(c, 1);
        electByHand(c, 1, term, [2, 3]);
        s.step(`clients send "a" and "b" to node 1; they go to indexes 1 and 2, term ${term}`);
        s.expectEqual([c.request(1, 'a'), c.request(1, 'b')], [{ ok: true, index: 1, term }, { ok: true, index: 2, term }], "node 1's answers");
        const ack = (from: NodeId): void => inject(c, from, 1, { type: 'AppendReply', term, success: true, matchIndex: 1, conflictTerm: 0, conflictIndex: 0 }, `AppendReply(term ${term}, success, matchIndex 1) from node ${from}`);
        ack(2);
        s.expectEqual([c.view(1)?.commitIndex, c.appliedBy(1)], [0, []], "node 1's [commitIndex, applied commands]: entry 1 is on 2 of 4 nodes (node 1 and node 2), half the cluster");
        ack(3);
        s.expectEqual([c.view(1)?.commitIndex, c.appliedBy(1)], [1, ['a']], "node 1's [commitIndex, applied commands]: entry 1 is on 3 of 4 nodes, entry 2 on node 1 only");
      },
    },
    {
      id: 'match-index-only-grows',
      title: "A leader's matchIndex for a follower only grows: a late success reply claiming less does not undo what a newer one proved",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes; nodes 2-5 are down, messages to node 1 are delivered by hand');
        const c = alone(ctx, s, 5, 1);
        const term = untilCandidate(c, 1);
        electByHand(c, 1, term, [2, 3]);
        s.step(`clients send "a", "b" and "c" to node 1; they go to indexes 1-3, term ${term}`);
        for (const x of ['a', 'b', 'c']) c.request(1, x);
        const ack = (from: NodeId, matchIndex: number, words: string): void =>
          inject(c, from, 1, { type: 'AppendReply', term, success: true, matchIndex, conflictTerm: 0, conflictIndex: 0 }, `AppendReply(term ${term}, success, matchIndex ${matchIndex}) from node ${from}${words}`);
        ack(2, 3, '');
        ack(2, 1, ', a late reply to an earlier, shorter AppendEntries');
        ack(3, 3, '');
        s.expectEqual([c.view(1)?.commitIndex, c.appliedBy(1)], [3, ['a', 'b', 'c']], "node 1's [commitIndex, applied commands]: nodes 1, 2 and 3 hold entries 1-3");
      },
    },
    {
      id: 'leader-reply-rules',
      title: "A leader backs up past its last entry of a refusal's conflictTerm (or to conflictIndex) and sends again at once; a reply of a higher term deposes it; a reply reaching a node that does not lead makes it send nothing",
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes; nodes 2-5 are down, messages to node 1 are delivered by hand');
        const c = alone(ctx, s, 5, 1);
        inject(c, 2, 1, { type: 'AppendEntries', term: 2, leaderId: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [e(1, 1, 'a'), e(2, 1, 'b'), e(3, 2, 'c'), e(4, 2, 'd'), e(5, 2, 'e')], leaderCommit: 0 }, 'AppendEntries from node 2, leader of term 2, with [t1 "a", t1 "b", t2 "c", t2 "d", t2 "e"]');
        const term = untilCandidate(c, 1);
        electByHand(c, 1, term, [2, 3]);
        const answer = (conflictTerm: number, conflictIndex: number, prevLogIndex: number, why: string): void => {
          const answers = answersTo(c, 3, 1, { type: 'AppendReply', term, success: false, matchIndex: 0, conflictTerm, conflictIndex }, `AppendReply(term ${term}, refused, conflictTerm ${conflictTerm}, conflictIndex ${conflictIndex}) from node 3`);
          const sent = answers.filter((m) => m.to === 3 && m.message.type === 'AppendEntries').at(-1)?.message;
          s.expect(sent?.type === 'AppendEntries' && sent.prevLogIndex === prevLogIndex, `node 1 to send node 3 AppendEntries with prevLogIndex ${prevLogIndex} at once: ${why}`,
            () => (sent?.type === 'AppendEntries' ? `it sent prevLogIndex ${sent.prevLogIndex}` : 'it sent none'));
        };
        answer(1, 1, 2, 'its last entry of term 1 is index 2, so nextIndex becomes 3');
        answer(7, 4, 3, 'it holds no entry of term 7, so nextIndex becomes conflictIndex, 4');
        answer(0, 2, 1, "node 3's log is too short: nextIndex becomes conflictIndex, 2");
        inject(c, 3, 1, { type: 'AppendReply', term: term + 2, success: false, matchIndex: 0, conflictTerm: 0, conflictIndex: 0 }, `an AppendReply of term ${term + 2}`);
        s.expectEqual([c.role(1), c.term(1)], ['follower', term + 2], "node 1's [role, term]");
        const sent = answersTo(c, 3, 1, { type: 'AppendReply', term: term + 2, success: false, matchIndex: 0, conflictTerm: 1, conflictIndex: 1 }, `a refusing AppendReply of its new term ${term + 2}, as if it led`);
        s.expect(sent.length === 0, 'node 1, a follower now, to send nothing in answer', () => `it sent ${sent.map((m) => `${m.message.type} to node ${m.to}`).join(', ')}`);
      },
    },
    {
      id: 'fail-agree',
      title: 'Agreement continues with one follower cut off, and the follower catches up when it is back',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        c.one('a', 3);
        const f = c.ids.find((id) => id !== leader)!;
        c.disconnect(f);
        c.one('b', 2);
        c.one('c', 2);
        c.connect(f);
        c.one('d', 3);
        s.expectEqual(c.appliedBy(f).slice(0, 4), ['a', 'b', 'c', 'd'], `the commands node ${f} applied`);
      },
    },
    {
      id: 'no-majority-no-commit',
      title: 'A leader that can reach only a minority commits nothing; once the others are back, new commands commit',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), reliable network');
        const c = cluster(ctx, s, { n: 5 });
        const leader = c.waitForLeader();
        c.one('a', 5);
        const cut = c.ids.filter((id) => id !== leader).slice(0, 3);
        for (const id of cut) c.disconnect(id);
        s.step(`a client sends "lost" to node ${leader}, which can reach only one other node`);
        const reply = c.request(leader, 'lost');
        s.expectEqual(reply, { ok: true, index: 2, term: c.term(leader) }, `node ${leader}'s answer`);
        s.step(`${AGREEMENT_LIMIT_MS} ms pass`);
        c.sim.runFor(AGREEMENT_LIMIT_MS);
        const applied = c.ids.filter((id) => c.appliedBy(id).length >= 2);
        s.expect(applied.length === 0, '"lost" not to be applied anywhere: 2 of 5 nodes is not a majority', () => `nodes ${applied.join(', ')} applied it`);
        for (const id of cut) c.connect(id);
        c.waitForLeader();
        c.one('b', 5);
      },
    },
    {
      id: 'concurrent-requests',
      title: 'Five commands sent to the leader at the same moment are each applied once, at distinct indexes, on every node',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        s.step(`at ${c.now} ms, five clients send "k1" to "k5" to node ${leader} at once`);
        const replies = [1, 2, 3, 4, 5].map((i) => c.request(leader, `k${i}`));
        s.expectEqual(replies.map((r) => (r?.ok ? r.index : 0)), [1, 2, 3, 4, 5], 'the indexes the leader answered');
        const ok = c.sim.runUntil(() => c.ids.every((id) => c.appliedBy(id).length >= 5), AGREEMENT_LIMIT_MS);
        s.expect(ok, `every node to apply all five within ${AGREEMENT_LIMIT_MS} ms`, () => c.ids.map((id) => `node ${id} applied ${c.appliedBy(id).length}`).join(', '));
        for (const id of c.ids) s.expectEqual(c.appliedBy(id), ['k1', 'k2', 'k3', 'k4', 'k5'], `the commands node ${id} applied`);
      },
    },
    {
      id: 'rejoin',
      title: "A leader cut off with uncommitted entries rejoins as a follower; its entries are replaced and every log agrees",
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const l1 = c.waitForLeader();
        c.one('a', 3);
        c.disconnect(l1);
        s.step(`clients send "x1", "x2", "x3" to node ${l1}, alone now`);
        for (const x of ['x1', 'x2', 'x3']) c.request(l1, x);
        c.one('b', 2);
        const l2 = c.waitForLeader();
        c.disconnect(l2);
        c.connect(l1);
        c.one('c', 2);
        c.connect(l2);
        c.one('d', 3);
        for (const id of c.ids) s.expectEqual(c.appliedBy(id), ['a', 'b', 'c', 'd'], `the commands node ${id} applied`);
      },
    },
    {
      id: 'fast-backup',
      title: 'A new leader repairing a follower whose log diverges over 60 entries finds the agreement point in a few round trips, not one per entry',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), reliable network');
        const c = cluster(ctx, s, { n: 5 });
        const l1 = c.waitForLeader();
        c.one('a', 5);
        c.disconnect(l1);
        s.step(`clients send 60 commands to node ${l1}, alone now (none can commit)`);
        for (let i = 1; i <= 60; i++) c.request(l1, `old${i}`);
        const l2 = c.waitForLeader();
        s.step(`clients send 60 commands to node ${l2}, the new leader of the other four`);
        for (let i = 1; i <= 60; i++) c.request(l2, `new${i}`);
        c.sim.runFor(AGREEMENT_LIMIT_MS);
        c.disconnect(l2);
        const l3 = c.waitForLeader();
        s.step(`node ${l3} leads the remaining three; its log ends at index 61, and so does node ${l1}'s, with different terms from index 2 on`);
        const since = c.now;
        c.connect(l1);
        const done = c.sim.runUntil(() => c.appliedBy(l1).length >= 61, AGREEMENT_LIMIT_MS);
        s.expect(done, `node ${l1} to apply the 61 committed commands within ${AGREEMENT_LIMIT_MS} ms of rejoining`, () => `it applied ${c.appliedBy(l1).length}`);
        const refused = c.sentOf('AppendReply', { from: l1, since }).filter((m) => !m.message.success).length;
        s.expect(refused <= 6, `at most 6 refused AppendEntries on the way (conflictTerm lets the leader skip node ${l1}'s whole term-1 tail at once)`, `node ${l1} refused ${refused}`);
      },
    },
    {
      id: 'backup-under-partitions',
      title: 'After leaders come and go in partitions, each leaving long uncommitted tails, the logs converge and a new command commits everywhere',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), reliable network');
        const c = cluster(ctx, s, { n: 5 });
        const l1 = c.waitForLeader();
        c.one('start', 5);
        const buddy = c.ids.find((id) => id !== l1)!;
        const others = c.ids.filter((id) => id !== l1 && id !== buddy);
        for (const id of others) c.disconnect(id);
        s.step(`clients send 50 commands to node ${l1}, which can reach only node ${buddy}`);
        for (let i = 1; i <= 50; i++) c.request(l1, `lost${i}`);
        c.sim.runFor(TIMING.electionMaxMs);
        c.disconnect(l1);
        c.disconnect(buddy);
        for (const id of others) c.connect(id);
        for (let i = 1; i <= 50; i++) c.one(`kept${i}`, 3, AGREEMENT_LIMIT_MS);
        for (const id of c.ids) c.connect(id);
        c.one('end', 5, 5000);
      },
    },
    {
      id: 'sends-on-arrival',
      title: `A leader sends a client's command to every follower when it arrives (within one ${TIMING.tickMs} ms tick), not at its next heartbeat`,
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        const followers = c.ids.filter((id) => id !== leader);
        // Commands 13 ms apart land at every point of the 50 ms heartbeat period.
        for (let i = 1; i <= 5; i++) {
          c.sim.runFor(13);
          const at = c.now;
          s.step(`at ${at} ms, a client sends "s${i}" to node ${leader}`);
          const reply = c.request(leader, `s${i}`);
          s.expect(reply?.ok === true, `node ${leader} to accept "s${i}"`, () => `it answered ${JSON.stringify(reply)}`);
          const index = reply!.ok ? reply!.index : 0;
          c.sim.runFor(TIMING.tickMs);
          for (const f of followers) {
            const carried = c.sentOf('AppendEntries', { from: leader, to: f, since: at }).some((m) => m.time <= at + TIMING.tickMs && m.message.entries.some((x) => x.index === index));
            s.expect(carried, `node ${leader} to send node ${f} AppendEntries carrying entry ${index} ("s${i}") by ${at + TIMING.tickMs} ms`, 'it sent none carrying it: the command waits for a later round');
          }
        }
      },
    },
    {
      id: 'bounded-messages',
      title: 'An idle leader sends at most one heartbeat round per 50 ms, and ten agreements cost a bounded number of messages',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        c.waitForLeader();
        c.one('warm-up', 3);
        let since = c.now;
        s.step('1000 ms pass with no client requests');
        c.sim.runFor(1000);
        const idle = c.countSince(since);
        s.expect(idle <= 2 * 2 * 25, 'at most 100 messages in an idle second (2 followers, a heartbeat and its reply every 50 ms is 80)', `there were ${idle}`);
        since = c.now;
        for (let i = 1; i <= 10; i++) c.one(`m${i}`, 3);
        const rounds = Math.ceil((c.now - since) / TIMING.heartbeatMs) + 1;
        const budget = 2 * 2 * (10 * 2 + rounds);
        const used = c.countSince(since);
        s.expect(used <= budget, `ten agreements in ${c.now - since} ms to cost at most ${budget} messages (two rounds per command plus one heartbeat round per 50 ms)`, `they cost ${used}`);
      },
    },
    {
      id: 'unreliable-agree',
      title: 'On an unreliable network (10% lost, delayed, duplicated, reordered), commands sent in bursts end up applied identically on every node, and a last one commits',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), unreliable network');
        const c = cluster(ctx, s, { n: 5, network: UNRELIABLE });
        for (let burst = 0; burst < 4; burst++) {
          const leader = c.waitForLeader();
          s.step(`clients send 5 commands to node ${leader}`);
          for (let i = 1; i <= 5; i++) c.request(leader, `u${burst * 5 + i}`);
          c.sim.runFor(200);
        }
        c.one('last', 5, 10_000);
        const first = c.appliedBy(c.ids[0]!);
        for (const id of c.ids) s.expectEqual(c.appliedBy(id), first, `the commands node ${id} applied (node ${c.ids[0]}'s)`);
      },
    },
    {
      id: 'random-replication-safe',
      title: "Under random partitions, one-way cuts and an unreliable network with clients writing, election safety, log matching, leader completeness and state machine safety (Figure 3) hold after every event",
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['partitioned', 'unreliable'], { n: 5, durationMs: 3000, writes: true, checkLiveness: false, maxRuns: 45 }),
    },
    {
      id: 'random-replication-live',
      title: 'After random partitions and losses with clients writing, once the network heals a new command is applied on every node, and all agree',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['partitioned', 'unreliable'], { n: 5, durationMs: 3000, writes: true, checkLiveness: true, agreement: true, maxRuns: 45 }),
    },
  ], () => Cluster.failingRunLog(), Cluster.forget),
});
