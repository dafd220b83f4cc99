import type { NodeId, RaftMessage } from '#workbook/raft-node';
import { traceFailures } from '../../sim/traced.ts';
import { defineGrader } from '../../engine/grader.ts';
import { cluster, ELECTION_LIMIT_MS, TIMING, Cluster, type RaftImpl, alone, untilCandidate, inject } from './harness.ts';
import { checkRandomRuns } from './schedules.ts';

/**
 * Exercise 1 of the raft module: leader election on the simulated network. Modelled on what the
 * labs' election tests check (an initial election, re-election after the leader is cut off, no
 * leader without a majority, many elections under faults), plus targeted messages the labs cannot
 * send: a late vote reply from an old term, a duplicated vote, a stale heartbeat.
 */

const msg = (m: RaftMessage): RaftMessage => m;

/** The last message `from` sent `to` of a type, since a time; fails the scenario when there is none. */
function lastSent<T extends RaftMessage['type']>(c: Cluster, type: T, from: NodeId, to: NodeId, since: number) {
  const found = c.sentOf(type, { from, to, since }).at(-1);
  return c.s.expect(found !== undefined, `node ${from} to answer node ${to} with a ${type}`, 'it sent none'), found!.message;
}

export default defineGrader<RaftImpl>({
  requiredExports: ['RaftNode'],
  // A failing check carries its run, drawn under the verdict and by `trace`.
  requirements: traceFailures([
    {
      id: 'initial-election',
      title: `Three nodes that can all talk elect one leader within ${ELECTION_LIMIT_MS} ms, and every node learns its term`,
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), all followers in term 0, reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        s.step(`node ${leader} leads term ${c.term(leader)}; ${TIMING.heartbeatMs * 2} ms pass`);
        c.sim.runFor(TIMING.heartbeatMs * 2);
        const t = c.term(leader);
        for (const id of c.ids) s.expectEqual(c.term(id), t, `node ${id}'s term (the leader's)`);
      },
    },
    {
      id: 'stable-leader',
      title: 'With no failures the leader keeps its place: its heartbeats stop any new election for 2 s',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network, nothing fails');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        const term = c.term(leader);
        s.step(`node ${leader} leads term ${term}; 2000 ms pass`);
        c.sim.runFor(2000);
        s.expectEqual([c.leaderAmong(), c.term(leader)], [leader, term], '[leader, its term] 2 s later');
      },
    },
    {
      id: 'heartbeat-interval',
      title: `A leader sends each follower AppendEntries at least every ${TIMING.heartbeatMs + TIMING.tickMs} ms, and not much more often than every ${TIMING.heartbeatMs} ms`,
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network, no client requests');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        const since = c.now;
        s.step(`node ${leader} leads; 1000 ms pass`);
        c.sim.runFor(1000);
        for (const f of c.ids.filter((id) => id !== leader)) {
          const times = [since, ...c.sentOf('AppendEntries', { from: leader, to: f, since }).map((m) => m.time), c.now];
          const gaps = times.slice(1).map((t, i) => t - times[i]!);
          const widest = Math.max(...gaps);
          s.expect(widest <= TIMING.heartbeatMs + TIMING.tickMs, `node ${f} to hear from the leader at least every ${TIMING.heartbeatMs + TIMING.tickMs} ms`, `once it waited ${widest} ms`);
          s.expect(times.length - 2 <= 30, `at most 30 AppendEntries to node ${f} in an idle second (one per ${TIMING.heartbeatMs} ms is 20)`, `the leader sent ${times.length - 2}`);
        }
      },
    },
    {
      id: 'election-timeout-randomised',
      title: `A node that hears nothing starts an election after a timeout drawn at random in ${TIMING.electionMinMs}-${TIMING.electionMaxMs} ms, and draws it again each time`,
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 2 and 3 are down, so node 1 hears nothing and never wins');
        const c = alone(ctx, s, 3, 1);
        s.step('3000 ms pass');
        c.sim.runFor(3000);
        // An election starts whenever node 1's term goes up.
        const starts: number[] = [];
        let seen = 0;
        for (const e of c.sim.log) if (e.kind === 'state' && e.node === 1 && e.term > seen) { seen = e.term; starts.push(e.time); }
        const lastTerm = c.term(1);
        const times = [0, ...starts];
        const gaps = times.slice(1).map((t, i) => t - times[i]!);
        s.expect(gaps.length >= 8, 'node 1 to start an election at least 8 times in 3000 ms', `it started ${gaps.length} (term ${lastTerm})`);
        for (const g of gaps) {
          s.expect(g >= TIMING.electionMinMs, `every wait before an election to be at least ${TIMING.electionMinMs} ms`, () => `waits were ${gaps.join(', ')} ms`);
          s.expect(g <= TIMING.electionMaxMs + TIMING.tickMs, `every wait before an election to be at most ${TIMING.electionMaxMs} ms (+${TIMING.tickMs} ms for the tick)`, () => `waits were ${gaps.join(', ')} ms`);
        }
        s.expect(new Set(gaps).size >= 3, 'the waits to vary (a fresh random timeout each election, or votes split forever)', () => `waits were ${gaps.join(', ')} ms`);
      },
    },
    {
      id: 'reelection',
      title: 'When the leader is cut off, the others elect a new one; when it comes back, it steps down and one leader remains',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const first = c.waitForLeader();
        c.disconnect(first);
        const second = c.waitForLeader();
        s.expect(second !== first, `a new leader other than node ${first}`, `node ${first} is still the leader`);
        c.connect(first);
        s.step(`${ELECTION_LIMIT_MS} ms pass`);
        c.sim.runFor(ELECTION_LIMIT_MS);
        const now = c.waitForLeader();
        const leaders = c.ids.filter((id) => c.role(id) === 'leader');
        s.expectEqual(leaders, [now], 'the nodes that say they lead');
        for (const id of c.ids) s.expectEqual(c.term(id), c.term(now), `node ${id}'s term (the leader's)`);
      },
    },
    {
      id: 'no-leader-without-majority',
      title: 'Nodes that cannot reach a majority of the whole cluster never elect a leader; once reconnected, they do',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), reliable network');
        const c = cluster(ctx, s, { n: 5 });
        const leader = c.waitForLeader();
        const cut = [leader, ...c.ids.filter((id) => id !== leader).slice(0, 2)];
        for (const id of cut) c.disconnect(id);
        const term = Math.max(...c.ids.map((id) => c.term(id)));
        const since = c.now;
        s.step(`${ELECTION_LIMIT_MS} ms pass (nodes ${c.ids.filter((id) => !cut.includes(id)).join(' and ')} can only reach each other)`);
        c.sim.runFor(ELECTION_LIMIT_MS);
        const won = c.sim.log.find((e) => e.time >= since && e.kind === 'state' && e.role === 'leader' && e.term > term);
        s.expect(!won, 'no node to become leader: every group has at most 2 of 5 nodes', () => `node ${won!.kind === 'state' ? won!.node : '?'} became leader of term ${won!.kind === 'state' ? won!.term : '?'} at ${won!.time} ms`);
        for (const id of cut) c.connect(id);
        c.waitForLeader();
      },
    },
    {
      id: 'one-vote-per-term',
      title: 'A node votes at most once per term: a second candidate is refused, even after a heartbeat of that term; the same candidate asking again is granted; a request of an older term is refused',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3);
        const ask = (from: NodeId, term: number, grant: boolean, why: string) => {
          const at = c.now;
          inject(c, from, 3, msg({ type: 'RequestVote', term, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }), `RequestVote(term ${term}, candidate ${from}, empty log)`);
          const reply = lastSent(c, 'VoteReply', 3, from, at);
          s.expect(reply.voteGranted === grant, `node 3 to ${grant ? 'grant' : 'refuse'} it: ${why}`, grant ? 'it refused' : 'it granted it');
        };
        ask(1, 10, true, 'it has not voted in term 10');
        s.expectEqual(c.view(3)?.votedFor, 1, "node 3's votedFor");
        ask(2, 10, false, 'it already voted for node 1 in term 10');
        inject(c, 1, 3, msg({ type: 'AppendEntries', term: 10, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 }), 'a heartbeat AppendEntries of term 10 from node 1');
        ask(2, 10, false, 'a heartbeat of the same term does not clear its vote');
        ask(1, 10, true, 'node 1 asking again (a retry) is the same vote');
        ask(2, 9, false, 'term 9 is older than its term 10');
        ask(1, 9, false, 'term 9 is older than its term 10, even from the candidate it voted for in term 10');
        s.expectEqual([c.term(3), c.view(3)?.votedFor], [10, 1], "node 3's [term, votedFor]");
        inject(c, 1, 3, msg({ type: 'AppendEntries', term: 12, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 }), 'a heartbeat AppendEntries of term 12 from node 1: node 3 follows term 12 and has not voted in it');
        ask(2, 11, false, 'term 11 is older than its term 12, though it has not voted in term 12');
        s.expectEqual([c.term(3), c.view(3)?.votedFor], [12, null], "node 3's [term, votedFor]: no vote in term 12 yet");
      },
    },
    {
      id: 'late-vote-reply',
      title: 'A granted vote from an earlier election, arriving late, does not count in the current one',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 2 and 3 are down, so node 1 keeps starting elections it cannot win');
        const c = alone(ctx, s, 3, 1);
        c.sim.runUntil(() => c.term(1) >= 2, 1000);
        const term = c.term(1);
        s.step(`at ${c.now} ms node 1 is a candidate in term ${term}`);
        inject(c, 2, 1, msg({ type: 'VoteReply', term: term - 1, voteGranted: true }), `a VoteReply granting its vote in term ${term - 1} (a reply to the previous election, delayed)`);
        s.expect(c.role(1) !== 'leader', `node 1 not to become leader: that vote was for term ${term - 1}, not ${term}`, `it became leader of term ${c.term(1)}`);
        inject(c, 2, 1, msg({ type: 'VoteReply', term, voteGranted: true }), `a VoteReply granting its vote in term ${term}`);
        s.expectEqual(c.role(1), 'leader', "node 1's role (2 of 3 votes, itself included)");
      },
    },
    {
      id: 'votes-counted-once',
      title: 'A vote delivered twice (the network duplicated it) counts once',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes; nodes 2-5 are down, so node 1 only gets the votes delivered by hand');
        const c = alone(ctx, s, 5, 1);
        const term = untilCandidate(c, 1);
        const vote = msg({ type: 'VoteReply', term, voteGranted: true });
        inject(c, 2, 1, vote, `node 2's VoteReply granting its vote in term ${term}`);
        inject(c, 2, 1, vote, 'the same VoteReply again (duplicated by the network)');
        s.expect(c.role(1) !== 'leader', 'node 1 not to lead yet: 2 distinct votes of 5 (itself and node 2)', `it became leader`);
        inject(c, 3, 1, vote, `node 3's VoteReply granting its vote in term ${term}`);
        s.expectEqual(c.role(1), 'leader', "node 1's role (3 of 5 votes)");
      },
    },
    {
      id: 'even-cluster-votes',
      title: 'In a cluster of 4 a candidate needs 3 votes, itself included: 2 are half, not a majority, so two halves cut apart elect no one',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('4 nodes; nodes 2-4 are down, so node 1 only gets the votes delivered by hand');
        const c = alone(ctx, s, 4, 1);
        const term = untilCandidate(c, 1);
        const vote = msg({ type: 'VoteReply', term, voteGranted: true });
        inject(c, 2, 1, vote, `node 2's VoteReply granting its vote in term ${term}`);
        s.expect(c.role(1) !== 'leader', 'node 1 not to lead yet: 2 votes of 4 (itself and node 2) are half the cluster, not a majority', 'it became leader');
        inject(c, 3, 1, vote, `node 3's VoteReply granting its vote in term ${term}`);
        s.expectEqual(c.role(1), 'leader', "node 1's role (3 of 4 votes)");

        const halves = ctx.scenario('4 nodes (1-4), reliable network, cut from the start into two halves that cannot reach each other: {1,2} and {3,4}');
        const d = cluster(ctx, halves, { n: 4 });
        d.sim.partition([[1, 2], [3, 4]]);
        halves.step(`${ELECTION_LIMIT_MS} ms pass`);
        d.sim.runFor(ELECTION_LIMIT_MS);
        const won = d.sim.log.find((e) => e.kind === 'state' && e.role === 'leader');
        halves.expect(!won, 'no node to become leader: each half holds 2 of 4 nodes', () => `node ${won!.kind === 'state' ? won!.node : '?'} became leader of term ${won!.kind === 'state' ? won!.term : '?'} at ${won!.time} ms`);
        halves.step(`at ${d.now} ms the halves are joined again`);
        d.sim.heal();
        d.waitForLeader();
      },
    },
    {
      id: 'vote-restarts-timer',
      title: `A node that grants a vote waits a whole election timeout again before running itself: candidates asking every ${TIMING.electionMinMs - TIMING.tickMs} ms keep it a follower`,
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3);
        const every = TIMING.electionMinMs - TIMING.tickMs;
        s.step(`every ${every} ms from 0 ms to 1000 ms, node 3 receives a RequestVote of a new term (5, 6, 7, ...) from node 1 or node 2, each with an empty log`);
        for (let term = 5; c.now <= 1000; term++) {
          const from = term % 2 === 1 ? 1 : 2;
          const at = c.now;
          c.sim.inject(from, 3, msg({ type: 'RequestVote', term, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }));
          const reply = lastSent(c, 'VoteReply', 3, from, at);
          s.expect(reply.voteGranted, `node 3 to grant node ${from} its vote in term ${term} (at ${at} ms): it has not voted in that term`, 'it refused');
          c.sim.runFor(every);
          s.expect(c.term(3) === term && c.role(3) === 'follower', `node 3 still to follow term ${term} at ${c.now} ms: it voted ${every} ms ago, less than the shortest election timeout`,
            () => `it is a ${c.role(3)} in term ${c.term(3)}: granting the vote did not restart its election timer`);
        }
      },
    },
    {
      id: 'candidate-follows-leader',
      title: 'A candidate that hears AppendEntries of its own term becomes a follower at once: another node won that term',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 2 and 3 are down, so node 1 runs for leader and gets only the messages delivered by hand');
        const c = alone(ctx, s, 3, 1);
        const term = untilCandidate(c, 1);
        inject(c, 2, 1, msg({ type: 'AppendEntries', term, leaderId: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 }), `a heartbeat AppendEntries of term ${term} from node 2, which won term ${term}`);
        s.expectEqual([c.role(1), c.term(1)], ['follower', term], "node 1's [role, term] right after it");
      },
    },
    {
      id: 'higher-term-steps-down',
      title: 'A leader or candidate that sees a higher term in any message becomes a follower of that term',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3 });
        const leader = c.waitForLeader();
        const other = c.ids.find((id) => id !== leader)!;
        const term = c.term(leader);
        inject(c, other, leader, msg({ type: 'VoteReply', term: term + 5, voteGranted: false }), `a VoteReply of term ${term + 5} (refused)`);
        s.expectEqual([c.role(leader), c.term(leader)], ['follower', term + 5], `node ${leader}'s [role, term]`);
        c.waitForLeader();
      },
    },
    {
      id: 'stale-heartbeat-ignored',
      title: `AppendEntries from an older term neither resets the election timer nor is accepted: the node still runs for leader within ${TIMING.electionMaxMs} ms`,
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3);
        inject(c, 1, 3, msg({ type: 'RequestVote', term: 5, candidateId: 1, lastLogIndex: 0, lastLogTerm: 0 }), 'RequestVote(term 5, candidate 1); node 3 grants it');
        const t0 = c.now;
        s.step(`from then on, every 40 ms node 3 receives AppendEntries of the old term 4 from node 2 (a deposed leader)`);
        while (c.term(3) === 5 && c.now <= t0 + TIMING.electionMaxMs + TIMING.tickMs) {
          const at = c.now;
          c.sim.inject(2, 3, msg({ type: 'AppendEntries', term: 4, leaderId: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 }));
          const reply = lastSent(c, 'AppendReply', 3, 2, at);
          s.expect(!reply.success && reply.term >= 5, 'node 3 to refuse it and answer with its own term 5', () => `it answered success=${reply.success}, term ${reply.term}`);
          c.sim.runUntil(() => c.term(3) > 5, 40);
        }
        s.expect(c.term(3) > 5, `node 3 to start an election (term 6) by ${t0 + TIMING.electionMaxMs + TIMING.tickMs} ms: term-4 messages are not from its leader`, `at ${c.now} ms it is still a ${c.role(3)} in term ${c.term(3)}`);
      },
    },
    {
      id: 'random-elections-safe',
      title: 'Under random partitions, one-way cuts and an unreliable network, there is never more than one leader per term and terms never go down',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['partitioned', 'unreliable'], { n: 5, durationMs: 3000, writes: false, checkLiveness: false, maxRuns: 15 }),
    },
    {
      id: 'random-elections-live',
      title: `After random partitions and losses, once the network heals a leader is elected within ${ELECTION_LIMIT_MS} ms`,
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['partitioned', 'unreliable'], { n: 5, durationMs: 3000, writes: false, checkLiveness: true, maxRuns: 15 }),
    },
  ], () => Cluster.failingRunLog(), Cluster.forget),
});
