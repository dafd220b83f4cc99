import fc from 'fast-check';
import type { NodeId } from '#workbook/raft-node';
import { traceFailures } from '../../sim/traced.ts';
import { checkSchedules, defineGrader } from '../../engine/grader.ts';
import { RELIABLE, UNRELIABLE, type NetworkProfile } from '../../sim/network.ts';
import { cluster, Cluster, type Ctx, type RaftImpl, alone, inject } from './harness.ts';
import { checkRandomRuns, recordingFailure, simulatedRuns } from './schedules.ts';

/**
 * Exercise 3 of the raft module: persistence and restart. Modelled on what the labs' persistence
 * tests check (restarts of everyone, of the leader, of followers mid-agreement; Figure 8 on a
 * reliable and an unreliable network; churn), plus a crash right after a reply, which tells
 * "persisted, then replied" from "replied, then persisted".
 */

function ask(c: Cluster, from: NodeId, term: number, grant: boolean, why: string): void {
  const at = c.now;
  inject(c, from, 3, { type: 'RequestVote', term, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }, `RequestVote(term ${term}, candidate ${from}, empty log)`);
  const reply = c.sentOf('VoteReply', { from: 3, to: from, since: at }).at(-1)?.message;
  c.s.expect(reply?.voteGranted === grant, `node 3 to ${grant ? 'grant' : 'refuse'} it: ${why}`, reply ? (grant ? 'it refused' : 'it granted it') : 'it did not answer');
}

/** The labs' Figure 8 test: leaders take commands, then crash at random moments; a majority is kept up. */
interface Figure8Run { readonly simSeed: number; readonly steps: readonly { readonly waitMs: number; readonly crashLeader: boolean }[] }

const figure8Runs: fc.Arbitrary<Figure8Run> = fc.record({
  simSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  steps: fc.array(
    fc.record({ waitMs: fc.oneof(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 14, max: 400 })), crashLeader: fc.boolean() }),
    { minLength: 4, maxLength: 25 },
  ),
});

function playFigure8(ctx: Ctx, run: Figure8Run, network: NetworkProfile): void {
  const s = ctx.scenario(`5 nodes (1-5), ${network.name} network (simulator seed ${run.simSeed}); leaders take a command, then may crash; a crashed node restarts whenever fewer than 3 are up`);
  const c = new Cluster(ctx, s, { n: 5, seed: run.simSeed, network, durable: true, recordSent: false });
  run.steps.forEach((step, i) => {
    const leader = c.ids.find((id) => c.role(id) === 'leader');
    if (leader !== undefined) {
      s.step(`at ${c.now} ms, a client sends "f${i + 1}" to node ${leader}`);
      c.request(leader, `f${i + 1}`);
    }
    c.sim.runFor(step.waitMs);
    if (step.crashLeader && leader !== undefined && c.sim.isUp(leader)) c.crash(leader);
    const down = c.ids.filter((id) => !c.sim.isUp(id));
    if (c.ids.length - down.length < 3) c.restart(down[c.sim.rng.int(0, down.length - 1)]!);
  });
  s.step(`at ${c.now} ms, every node restarts and the network becomes reliable`);
  c.sim.setNetwork(RELIABLE);
  for (const id of c.ids) if (!c.sim.isUp(id)) c.restart(id);
  c.one('final', 5, 10_000);
}

export default defineGrader<RaftImpl>({
  requiredExports: ['RaftNode'],
  // A failing check carries its run, drawn under the verdict and by `trace`.
  requirements: traceFailures([
    {
      id: 'restart-all',
      title: 'After every node crashes and restarts, committed commands are still there and new ones commit',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3, durable: true });
        c.waitForLeader();
        c.one('a', 3);
        for (const id of c.ids) c.crash(id);
        for (const id of c.ids) c.restart(id);
        c.one('b', 3);
        const leader = c.waitForLeader();
        c.crash(leader);
        c.restart(leader);
        c.one('c', 3);
        for (const id of c.ids) s.expectEqual(c.appliedBy(id), ['a', 'b', 'c'], `the commands node ${id} applied since its last restart`);
      },
    },
    {
      id: 'restart-mid-agreement',
      title: 'Followers and leaders crashing during agreement and restarting later lose nothing committed',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), reliable network');
        const c = cluster(ctx, s, { n: 5, durable: true });
        const l1 = c.waitForLeader();
        c.one('a', 5);
        const [f1, f2] = c.ids.filter((id) => id !== l1);
        c.crash(f1!);
        c.crash(f2!);
        c.one('b', 3);
        c.crash(l1);
        c.restart(f1!);
        c.restart(f2!);
        c.one('c', 3);
        c.restart(l1);
        c.one('d', 5);
        for (const id of c.ids) s.expectEqual(c.appliedBy(id), ['a', 'b', 'c', 'd'], `the commands node ${id} applied since its last restart`);
      },
    },
    {
      id: 'vote-survives-restart',
      title: 'A node that voted in a term and restarted remembers its term and its vote',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3, { durable: true });
        ask(c, 1, 5, true, 'it has not voted in term 5');
        c.crash(3);
        c.restart(3);
        s.expectEqual(c.term(3), 5, "node 3's term after the restart");
        ask(c, 2, 5, false, 'it voted for node 1 in term 5 before the crash');
      },
    },
    {
      id: 'persist-before-reply',
      title: 'What a node promised in a reply (its vote, the entries it acknowledged) is saved before the reply leaves: a crash right after sending loses none of it',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3, { durable: true });
        s.step('node 3 will crash right after it sends its next VoteReply');
        c.sim.crashAfterNextSend(3, (m) => m.type === 'VoteReply');
        ask(c, 1, 5, true, 'it has not voted in term 5');
        s.expect(!c.sim.isUp(3), 'node 3 to have crashed after its reply', 'it is up');
        c.restart(3);
        ask(c, 2, 5, false, 'the vote it sent node 1 for term 5 must have been saved first');
        s.step('node 3 will crash right after it sends its next AppendReply');
        c.sim.crashAfterNextSend(3, (m) => m.type === 'AppendReply');
        inject(c, 1, 3, { type: 'AppendEntries', term: 6, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [{ index: 1, term: 6, command: 'a' }, { index: 2, term: 6, command: 'b' }], leaderCommit: 0 }, 'AppendEntries(term 6, entries [t6 "a", t6 "b"])');
        const reply = c.sentOf('AppendReply', { from: 3, to: 1 }).at(-1)?.message;
        s.expect(reply?.success === true, 'node 3 to acknowledge the entries', 'it did not');
        c.restart(3);
        const v = c.view(3)!;
        s.expectEqual([v.term, v.log.map((e) => e.command)], [6, ['a', 'b']], "node 3's [term, log commands] after the restart");
        s.step('node 3 will crash right after it sends its next AppendReply');
        c.sim.crashAfterNextSend(3, (m) => m.type === 'AppendReply');
        inject(c, 1, 3, { type: 'AppendEntries', term: 8, leaderId: 1, prevLogIndex: 2, prevLogTerm: 6, entries: [], leaderCommit: 0 }, 'a heartbeat AppendEntries(term 8, prevLogIndex 2, prevLogTerm 6, no entries): a newer term, nothing new in the log');
        c.restart(3);
        s.expectEqual(c.term(3), 8, "node 3's term after the restart (its reply told node 1 it follows term 8)");
        s.step('node 3 will crash right after it sends its next AppendReply');
        c.sim.crashAfterNextSend(3, (m) => m.type === 'AppendReply');
        inject(c, 1, 3, { type: 'AppendEntries', term: 8, leaderId: 1, prevLogIndex: 1, prevLogTerm: 6, entries: [{ index: 2, term: 8, command: 'x' }], leaderCommit: 0 }, 'AppendEntries(term 8, prevLogIndex 1, prevLogTerm 6, entries [#2 t8 "x"]): entry 2 is replaced, the log keeps its length');
        c.restart(3);
        s.expectEqual(c.view(3)!.log.map((e) => `${e.index}:t${e.term}:${e.command}`), ['1:t6:a', '2:t8:x'], "node 3's log after the restart (its reply acknowledged #2 t8 \"x\")");
      },
    },
    {
      id: 'persist-before-request',
      title: 'A candidate saves its new term and its vote for itself before its RequestVote leaves: a crash right after sending it restarts the node in that term, having voted',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, so node 3 times out and runs for leader alone; messages to it are delivered by hand');
        const c = alone(ctx, s, 3, 3, { durable: true });
        s.step('node 3 will crash right after it sends its first RequestVote');
        c.sim.crashAfterNextSend(3, (m) => m.type === 'RequestVote');
        c.sim.runUntil(() => !c.sim.isUp(3), 1000);
        const asked = c.sentOf('RequestVote', { from: 3 }).at(-1)?.message;
        s.expect(asked !== undefined && !c.sim.isUp(3), 'node 3 to run for leader within 1000 ms and crash after its RequestVote', 'it sent none');
        c.restart(3);
        s.expectEqual(c.term(3), asked!.term, `node 3's term after the restart (its RequestVote asked for votes in term ${asked!.term})`);
        ask(c, 1, asked!.term, false, `it voted for itself in term ${asked!.term} before the crash`);
      },
    },
    {
      id: 'figure-8',
      title: "Figure 8 on a reliable network: leaders crash at random moments, a majority stays up; election safety, log matching, leader completeness and state machine safety hold after every event and a last command commits everywhere",
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, figure8Runs, (run) => recordingFailure(() => playFigure8(ctx, run, RELIABLE)), { runs: simulatedRuns(ctx, 25) }),
    },
    {
      id: 'figure-8-unreliable',
      title: 'Figure 8 on an unreliable network (messages lost, late, duplicated, reordered): still safe after every event, and a last command commits everywhere',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, figure8Runs, (run) => recordingFailure(() => playFigure8(ctx, run, UNRELIABLE)), { runs: simulatedRuns(ctx, 25) }),
    },
    {
      id: 'churn',
      title: 'Under churn (crashes, restarts, pauses, partitions, an unreliable network) with clients writing, the safety properties hold after every event; afterwards a new command commits on every node',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['churn'], { n: 5, durationMs: 3000, writes: true, durable: true, checkLiveness: true, agreement: true, maxRuns: 30 }),
    },
  ], () => Cluster.failingRunLog(), Cluster.forget),
});
