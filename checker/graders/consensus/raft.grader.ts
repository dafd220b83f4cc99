import type * as Impl from '../../../solutions/consensus/raft.ts';
import { checkSchedules, defineGrader, type GradeContext, type Scenario } from '../../engine/grader.ts';
import {
  SafetyMonitor, World, applyStep, describeStep, electWithRetries, fmtLog, mostUpToDate, schedules, type Raft,
} from './raft-properties.ts';

type Ctx = GradeContext<typeof Impl>;
type Entry = Impl.LogEntry;

const e = (index: number, term: number, command: string): Entry => ({ index, term, command });

function cluster(ctx: Ctx, n: number): Raft {
  return new ctx.impl.RaftConsensus(Array.from({ length: n }, (_, i) => i + 1), { clock: ctx.simClock() });
}

function expectLog(s: Scenario, raft: Raft, id: number, wanted: readonly Entry[]): void {
  s.expectEqual(fmtLog(raft.getNode(id).log), fmtLog(wanted), `node ${id}'s log`, (x) => x);
}

function elect(s: Scenario, raft: Raft, id: number, note = ''): void {
  s.step(`node ${id} starts an election${note}`);
  s.expect(raft.startElection(id), `node ${id} to win (startElection returns true)`, 'it returned false');
}

function write(s: Scenario, raft: Raft, id: number, command: string, commits: boolean): void {
  s.step(`a client writes "${command}" to node ${id}`);
  const ok = raft.appendEntry(id, command);
  s.expect(ok === commits, commits ? `"${command}" to commit (appendEntry returns true)` : `"${command}" not to commit (appendEntry returns false)`, `appendEntry returned ${ok}`);
}

/**
 * A 5-node history with a split: node 1 led term 1 and wrote "a" everywhere, then was cut off
 * with node 2 and wrote "lost1", "lost2"; node 3 led term 2 on the majority side and committed
 * "b", "c". Node 5 is down. The network is still split.
 */
function splitHistory(ctx: Ctx, s: Scenario): Raft {
  const raft = cluster(ctx, 5);
  elect(s, raft, 1);
  write(s, raft, 1, 'a', true);
  s.step('the network splits into {1,2} and {3,4,5}');
  raft.partition([[1, 2], [3, 4, 5]]);
  write(s, raft, 1, 'lost1', false);
  write(s, raft, 1, 'lost2', false);
  elect(s, raft, 3, ' (it can reach 4 and 5: 3 of 5)');
  write(s, raft, 3, 'b', true);
  write(s, raft, 3, 'c', true);
  s.step('node 5 crashes');
  raft.simulateFailure(5);
  return raft;
}

export default defineGrader<typeof Impl>({
  requiredExports: ['RaftConsensus'],
  requirements: [
    {
      id: 'terms-rise',
      title: 'Every election starts a new, higher term, and nodes that hear of it move up to it',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), all in term 0');
        const raft = cluster(ctx, 3);
        elect(s, raft, 1);
        s.expectEqual(raft.getNode(1).currentTerm, 1, "node 1's term");
        s.expectEqual(raft.getNode(1).role, 'LEADER', "node 1's role");
        s.step('node 3 crashes; node 2 starts an election');
        raft.simulateFailure(3);
        s.expect(raft.startElection(2), 'node 2 to win with votes from 1 and 2', 'startElection returned false');
        s.expectEqual(raft.getNode(2).currentTerm, 2, "node 2's term");
        s.expectEqual([raft.getNode(1).currentTerm, raft.getNode(1).role], [2, 'FOLLOWER'], "node 1's term and role after voting in term 2");
        s.expectEqual(raft.getNode(3).currentTerm, 1, "the crashed node 3's term (it heard nothing)");
        s.expectEqual(raft.getLeader(), 2, 'getLeader()');
        s.step('the crashed node 3 calls startElection');
        s.expect(!raft.startElection(3), 'startElection to return false: a crashed node cannot run', 'it returned true');
        s.expectEqual([raft.getNode(3).currentTerm, raft.getNode(3).role], [1, 'FOLLOWER'], "node 3's [currentTerm, role] (unchanged)");

        const t = ctx.scenario('3 nodes (1-3); the RPC handlers are called directly');
        const r = cluster(ctx, 3);
        t.step('node 2 votes for node 3 in term 4; then node 1, leader of term 5, sends node 2 AppendEntries (prevLogIndex 0, no entries)');
        r.requestVote(2, 3, 4, 0, 0);
        r.appendEntries(2, 5, 1, 0, 0, [], 0);
        t.expectEqual([r.getNode(2).currentTerm, r.getNode(2).votedFor], [5, -1], "node 2's [currentTerm, votedFor] (it moves up to term 5 with no vote cast)");
        t.step('node 3 is cut off and runs for leader in term 1 (and cannot win); the network heals and node 1, leader of that same term, sends it AppendEntries');
        r.partition([[1, 2], [3]]);
        r.startElection(3);
        r.heal();
        r.appendEntries(3, r.getNode(3).currentTerm, 1, 0, 0, [], 0);
        t.expectEqual(r.getNode(3).role, 'FOLLOWER', "node 3's role (a leader of its own term exists: the candidate gives up)");
      },
    },
    {
      id: 'one-vote-per-term',
      title: 'A node votes for at most one candidate per term (asking again for the same candidate is fine)',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), all in term 0 with empty logs; RequestVote is called directly');
        const raft = cluster(ctx, 3);
        s.step('node 1 asks node 3 for its vote in term 1');
        s.expect(raft.requestVote(3, 1, 1, 0, 0), 'node 3 to grant it', 'it refused');
        s.expectEqual(raft.getNode(3).votedFor, 1, "node 3's votedFor");
        s.step('node 2 asks node 3 for its vote in the same term 1');
        s.expect(!raft.requestVote(3, 2, 1, 0, 0), 'node 3 to refuse: it already voted for node 1 in term 1', 'it granted a second vote');
        s.step('node 1 asks node 3 again in term 1 (a retried request)');
        s.expect(raft.requestVote(3, 1, 1, 0, 0), 'node 3 to grant it again: it is the same vote', 'it refused');
        s.step('node 2 asks again in term 1, now with a longer, newer log (last entry at index 4, term 1)');
        s.expect(!raft.requestVote(3, 2, 1, 4, 1), 'node 3 to refuse: a better log does not buy a second vote in the same term', 'it switched its vote');
        s.expectEqual([raft.getNode(3).currentTerm, raft.getNode(3).votedFor], [1, 1], "node 3's [currentTerm, votedFor]");
      },
    },
    {
      id: 'vote-resets-on-newer-term',
      title: 'A vote cast in an older term does not bind a newer term: the voter can vote again',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5); RequestVote is called directly');
        const raft = cluster(ctx, 5);
        s.step('in term 1, node 3 votes for node 5');
        s.expect(raft.requestVote(3, 5, 1, 0, 0), 'node 3 to grant the vote', 'it refused');
        s.step('node 1 asks node 3 for its vote in term 2');
        s.expect(raft.requestVote(3, 1, 2, 0, 0), 'node 3 to grant it: term 2 is a new term, its term-1 vote does not count there', 'it refused');
        const v = raft.getNode(3);
        s.expectEqual([v.currentTerm, v.votedFor], [2, 1], "node 3's [currentTerm, votedFor]");
      },
    },
    {
      id: 'stale-term-rejected',
      title: 'RequestVote and AppendEntries from an older term are refused and change nothing',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5); the RPC handlers are called directly');
        const raft = cluster(ctx, 5);
        s.step('node 1 asks node 3 for its vote in term 2; node 3 grants it');
        raft.requestVote(3, 1, 2, 0, 0);
        s.step('node 4 asks node 3 for its vote in the older term 1');
        s.expect(!raft.requestVote(3, 4, 1, 0, 0), 'node 3 to refuse: term 1 is behind its term 2', 'it granted the vote');
        s.expectEqual([raft.getNode(3).currentTerm, raft.getNode(3).votedFor], [2, 1], "node 3's [currentTerm, votedFor]");
        s.step('node 5, a leader of term 1, sends node 3 AppendEntries with entry "old"');
        s.expect(!raft.appendEntries(3, 1, 5, 0, 0, [e(1, 1, 'old')], 0), 'node 3 to refuse it: term 1 is behind its term 2', 'it accepted');
        expectLog(s, raft, 3, []);
        s.expectEqual(raft.getNode(3).currentTerm, 2, "node 3's term");
        s.step('node 4 hears of term 3 from a leader (AppendEntries), so it is in term 3 without a vote; node 2 asks it for a vote in term 2');
        raft.appendEntries(4, 3, 1, 0, 0, [], 0);
        s.expect(!raft.requestVote(4, 2, 2, 0, 0), 'node 4 to refuse: term 2 is behind its term 3, even though it has not voted', 'it granted the vote');
        s.expectEqual(raft.getNode(4).votedFor, -1, "node 4's votedFor");
      },
    },
    {
      id: 'log-up-to-date-rule',
      title: "A node refuses its vote to a candidate whose log is behind its own (last term first, then length)",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5); node 2 holds [t1 "a", t2 "b"] in term 2');
        const raft = cluster(ctx, 5);
        raft.appendEntries(2, 2, 1, 0, 0, [e(1, 1, 'a'), e(2, 2, 'b')], 0);
        expectLog(s, raft, 2, [e(1, 1, 'a'), e(2, 2, 'b')]);
        const ask = (term: number, lastIndex: number, lastTerm: number, grant: boolean, why: string) => {
          s.step(`node 3 asks node 2 for its vote in term ${term}, its log ending at index ${lastIndex}, term ${lastTerm}`);
          s.expect(raft.requestVote(2, 3, term, lastIndex, lastTerm) === grant, `node 2 to ${grant ? 'grant' : 'refuse'} the vote: ${why}`, grant ? 'it refused' : 'it granted it');
        };
        ask(3, 5, 1, false, 'a longer log does not help when its last term (1) is older than 2');
        ask(4, 1, 2, false, 'same last term, but shorter (1 entry against 2)');
        ask(5, 2, 2, true, 'same last term and same length is up to date');
        ask(6, 1, 3, true, 'a newer last term (3) wins even with fewer entries');

        const t = ctx.scenario('5 nodes (1-5), node 1 is leader of term 1');
        const r = cluster(ctx, 5);
        elect(t, r, 1);
        t.step('nodes 4 and 5 crash');
        r.simulateFailure(4);
        r.simulateFailure(5);
        write(t, r, 1, 'x', true);
        t.step('nodes 4 and 5 recover (their logs are empty); node 1 crashes');
        r.simulateRecovery(4);
        r.simulateRecovery(5);
        r.simulateFailure(1);
        t.step('node 4 starts an election');
        t.expect(!r.startElection(4), 'node 4 to lose: nodes 2 and 3 hold the committed "x" and refuse it, so it has 2 of 5 votes', 'it won');
        t.expect(r.getNode(4).role !== 'LEADER', 'node 4 not to be leader', 'it is LEADER');
        t.expect(electWithRetries(r, 2, 3), 'node 2 (which holds "x") to win an election', 'it never won');
      },
    },
    {
      id: 'leader-needs-majority',
      title: 'A candidate becomes leader only with votes from a majority of the WHOLE cluster (3 of 5), not of the nodes it can reach',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5); nodes 3, 4 and 5 are down');
        const raft = cluster(ctx, 5);
        [3, 4, 5].forEach((id) => raft.simulateFailure(id));
        s.step('node 1 starts an election (only node 2 can answer)');
        s.expect(!raft.startElection(1), 'node 1 to lose: 2 votes out of 5 is not a majority', 'it won');
        s.expectEqual(raft.getLeader(), -1, 'getLeader()');

        const t = ctx.scenario('5 nodes (1-5), split into {1,2} and {3,4,5}');
        const r = cluster(ctx, 5);
        r.partition([[1, 2], [3, 4, 5]]);
        t.step('node 1 starts an election');
        t.expect(!r.startElection(1), 'node 1 to lose: it can only get 2 of 5 votes', 'it won');
        t.expect(r.getNode(1).role !== 'LEADER', 'node 1 not to be leader', 'it is LEADER');

        const u = ctx.scenario('5 nodes (1-5), all up; RequestVote is also called directly');
        const q = cluster(ctx, 5);
        u.step('in term 1, nodes 3, 4 and 5 have already voted for node 5');
        [3, 4, 5].forEach((id) => q.requestVote(id, 5, 1, 0, 0));
        u.step('node 1 starts an election for term 1 (only node 2 can still grant its vote)');
        u.expect(!q.startElection(1), 'node 1 to lose: 3, 4 and 5 refuse, so it has 2 votes of 5', 'it won');
      },
    },
    {
      id: 'exact-majority-elects',
      title: 'Votes from exactly a majority (3 of 5, the candidate included) are enough to win',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), split into {1,2} and {3,4,5}');
        const raft = cluster(ctx, 5);
        raft.partition([[1, 2], [3, 4, 5]]);
        elect(s, raft, 3, ' (votes: itself, 4 and 5)');
        s.expectEqual(raft.getLeader(), 3, 'getLeader()');

        // The one voter that refuses is asked first, in between or last: the other votes still count.
        for (const refuser of [1, 2, 5]) {
          const t = ctx.scenario(`5 nodes (1-5), all up; node ${refuser} holds an entry [t1 "x"] that node 3 lacks`);
          const r = cluster(ctx, 5);
          r.appendEntries(refuser, 1, refuser === 1 ? 2 : 1, 0, 0, [e(1, 1, 'x')], 0);
          elect(t, r, 3, ` (node ${refuser} refuses: its log is more up to date; the other three nodes grant)`);
        }
      },
    },
    {
      id: 'leader-counts-itself',
      title: "The leader's own copy counts: an entry on the leader and 2 followers of 5 is committed",
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), node 1 is leader of term 1');
        const raft = cluster(ctx, 5);
        elect(s, raft, 1);
        s.step('nodes 4 and 5 crash');
        raft.simulateFailure(4);
        raft.simulateFailure(5);
        write(s, raft, 1, 'SET x=1', true);
        s.expectEqual(fmtLog(raft.getCommittedEntries(1)), fmtLog([e(1, 1, 'SET x=1')]), "node 1's committed entries", (x) => x);
      },
    },
    {
      id: 'prev-log-check',
      title: "A follower refuses entries unless its log holds the leader's previous entry (same index, same term)",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('2 nodes; follower 2 holds [t1 "e1", t2 "e2"] in term 2; the leader (node 1, term 3) holds [t1 "e1", t1 "e2", t2 "e3"]');
        const raft = cluster(ctx, 2);
        raft.appendEntries(2, 2, 1, 0, 0, [e(1, 1, 'e1'), e(2, 2, 'e2')], 0);
        expectLog(s, raft, 2, [e(1, 1, 'e1'), e(2, 2, 'e2')]);
        s.step('the leader sends AppendEntries(term 3, prevLogIndex 2, prevLogTerm 1, entries [t2 "e3"])');
        s.expect(!raft.appendEntries(2, 3, 1, 2, 1, [e(3, 2, 'e3')], 0), 'node 2 to refuse: its entry 2 has term 2, not 1', 'it accepted');
        expectLog(s, raft, 2, [e(1, 1, 'e1'), e(2, 2, 'e2')]);
        s.step('the leader sends AppendEntries(term 3, prevLogIndex 5, prevLogTerm 2, entries [t3 "e6"])');
        s.expect(!raft.appendEntries(2, 3, 1, 5, 2, [e(6, 3, 'e6')], 0), 'node 2 to refuse: it has no entry 5, accepting would leave a hole', 'it accepted');
        expectLog(s, raft, 2, [e(1, 1, 'e1'), e(2, 2, 'e2')]);
      },
    },
    {
      id: 'conflicting-suffix-truncated',
      title: 'A follower deletes a conflicting entry and all that follow it, but never cuts entries that agree',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('2 nodes; follower 2 holds [t1 "a", t2 "b", t2 "c"] in term 2');
        const raft = cluster(ctx, 2);
        raft.appendEntries(2, 2, 1, 0, 0, [e(1, 1, 'a'), e(2, 2, 'b'), e(3, 2, 'c')], 0);
        s.step('node 1, leader of term 3, sends AppendEntries(prevLogIndex 1, prevLogTerm 1, entries [t3 "x"])');
        s.expect(raft.appendEntries(2, 3, 1, 1, 1, [e(2, 3, 'x')], 0), 'node 2 to accept: its entry 1 has term 1', 'it refused');
        expectLog(s, raft, 2, [e(1, 1, 'a'), e(2, 3, 'x')]);
        s.step('node 1 appends "y"; then a late, repeated AppendEntries(prevLogIndex 0, entries [t1 "a"]) arrives');
        raft.appendEntries(2, 3, 1, 2, 3, [e(3, 3, 'y')], 0);
        s.expect(raft.appendEntries(2, 3, 1, 0, 0, [e(1, 1, 'a')], 0), 'node 2 to accept it', 'it refused');
        expectLog(s, raft, 2, [e(1, 1, 'a'), e(2, 3, 'x'), e(3, 3, 'y')]);
      },
    },
    {
      id: 'commit-index-min',
      title: "A follower's commit index becomes min(leaderCommit, index of the last entry the message covered), and never goes down",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('2 nodes; node 2 is an empty follower');
        const raft = cluster(ctx, 2);
        s.step('node 1 (term 1) sends AppendEntries(prevLogIndex 0, entries [t1 "a"], leaderCommit 3)');
        raft.appendEntries(2, 1, 1, 0, 0, [e(1, 1, 'a')], 3);
        s.expectEqual(raft.getNode(2).commitIndex, 1, "node 2's commitIndex (it has only 1 entry)");

        const t = ctx.scenario('2 nodes; follower 2 holds [t1 "a", t2 "b", t2 "c"], commitIndex 0');
        const r = cluster(ctx, 2);
        r.appendEntries(2, 2, 1, 0, 0, [e(1, 1, 'a'), e(2, 2, 'b'), e(3, 2, 'c')], 0);
        t.step('node 1, leader of term 3, sends a heartbeat AppendEntries(prevLogIndex 1, prevLogTerm 1, no entries, leaderCommit 3)');
        r.appendEntries(2, 3, 1, 1, 1, [], 3);
        t.expectEqual(r.getNode(2).commitIndex, 1, `node 2's commitIndex (entries 2 and 3 were not checked against the leader's log)`);

        const u = ctx.scenario('2 nodes; follower 2 holds [t1 "a", t1 "b", t1 "c"] with commitIndex 2 (told by leader 1 of term 1)');
        const q = cluster(ctx, 2);
        q.appendEntries(2, 1, 1, 0, 0, [e(1, 1, 'a'), e(2, 1, 'b'), e(3, 1, 'c')], 2);
        u.step('a late, repeated AppendEntries(prevLogIndex 0, entries [t1 "a"], leaderCommit 3) arrives');
        q.appendEntries(2, 1, 1, 0, 0, [e(1, 1, 'a')], 3);
        u.expectEqual(q.getNode(2).commitIndex, 2, "node 2's commitIndex (a commit index never goes down: \"b\" stays committed)");
      },
    },
    {
      id: 'stale-leader-steps-down',
      title: 'A leader that sees a higher term (in a reply or a request) steps down to follower',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5)');
        const raft = splitHistory(ctx, s);
        s.step('the network heals; old leader node 1 (term 1) gets a client write "stale"');
        raft.heal();
        const ok = raft.appendEntry(1, 'stale');
        s.expect(!ok, '"stale" not to commit: the followers are in term 2', 'appendEntry returned true');
        const v = raft.getNode(1);
        s.expectEqual([v.role, v.currentTerm], ['FOLLOWER', 2], "node 1's [role, currentTerm] after the replies showed term 2");
        s.expectEqual(raft.getLeader(), 3, 'getLeader()');

        const t = ctx.scenario('3 nodes (1-3), node 1 is leader of term 1');
        const r = cluster(ctx, 3);
        elect(t, r, 1);
        t.step('node 2 asks node 1 for its vote in term 4 (RequestVote called directly)');
        r.requestVote(1, 2, 4, 0, 0);
        t.expectEqual([r.getNode(1).role, r.getNode(1).currentTerm], ['FOLLOWER', 4], "node 1's [role, currentTerm]");
      },
    },
    {
      id: 'earlier-term-not-committed-by-count',
      title: "A leader never commits an entry of an earlier term by counting copies; it commits it only along with an entry of its own term (the Raft paper's Figure 8)",
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5)');
        const raft = cluster(ctx, 5);
        elect(s, raft, 1);
        write(s, raft, 1, 'a', true);
        s.step('the network splits into {1,2}, {3}, {4} and {5}');
        raft.partition([[1, 2], [3], [4], [5]]);
        write(s, raft, 1, 'b', false);
        s.step('the network splits into {1,2} and {3,4,5}');
        raft.partition([[1, 2], [3, 4, 5]]);
        elect(s, raft, 5, ' (votes: itself, 3 and 4; term 2)');
        s.step('the network splits into {1,2}, {3,4} and {5}');
        raft.partition([[1, 2], [3, 4], [5]]);
        write(s, raft, 5, 'c', false);
        s.step('the network splits into {1,2,3}, {4} and {5}; node 1 runs for leader, retrying if it meets a newer term');
        raft.partition([[1, 2, 3], [4], [5]]);
        s.expect(electWithRetries(raft, 1, 5), 'node 1 to win (votes: itself, 2 and 3)', 'it never won');
        const term = raft.getNode(1).currentTerm;
        s.step(`node 1 (leader of term ${term}) sends a heartbeat: its term-1 entry "b" reaches node 3, so nodes 1, 2 and 3 hold it`);
        raft.broadcastHeartbeat(1);
        s.expectEqual(
          raft.getNode(1).commitIndex,
          1,
          `node 1's commitIndex: "b" is on 3 of 5 nodes but is from term 1, not node 1's term ${term}, so counting copies must not commit it (node 5, whose log ends in term 2, can still win and overwrite it)`,
        );
        s.step('node 1 is cut off; node 5 rejoins nodes 2, 3 and 4 and runs for leader, retrying if it meets a newer term');
        raft.partition([[1], [2, 3, 4, 5]]);
        s.expect(electWithRetries(raft, 5, 5), 'node 5 to win: its last entry (term 2) is newer than theirs (term 1)', 'it never won');
        write(s, raft, 5, 'd', true);
        s.expectEqual(fmtLog(raft.getCommittedEntries(5)), fmtLog([e(1, 1, 'a'), e(2, 2, 'c'), e(3, raft.getNode(5).currentTerm, 'd')]), "node 5's committed entries (\"b\" was rightly never committed)", (x) => x);

        const t = ctx.scenario('the same history up to node 1 winning again; this time it writes a new entry');
        const r = cluster(ctx, 5);
        elect(t, r, 1);
        write(t, r, 1, 'a', true);
        t.step('node 1 writes "b" while cut off from 3, 4 and 5; node 5 wins term 2 with 3 and 4 and writes "c" alone');
        r.partition([[1, 2], [3], [4], [5]]);
        r.appendEntry(1, 'b');
        r.partition([[1, 2], [3, 4, 5]]);
        electWithRetries(r, 5, 1);
        r.partition([[1, 2], [3, 4], [5]]);
        r.appendEntry(5, 'c');
        t.step('the network splits into {1,2,3}, {4} and {5}; node 1 wins an election');
        r.partition([[1, 2, 3], [4], [5]]);
        t.expect(electWithRetries(r, 1, 5), 'node 1 to win', 'it never won');
        const t1 = r.getNode(1).currentTerm;
        write(t, r, 1, 'x', true);
        t.expectEqual(fmtLog(r.getCommittedEntries(1)), fmtLog([e(1, 1, 'a'), e(2, 1, 'b'), e(3, t1, 'x')]), `node 1's committed entries ("b" commits along with "x", an entry of term ${t1} on a majority)`, (x) => x);
      },
    },
    {
      id: 'only-leader-accepts-writes',
      title: 'Only a live leader takes writes and sends heartbeats; a follower or crashed node changes no log and says false',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3)');
        const raft = cluster(ctx, 3);
        elect(s, raft, 1);
        write(s, raft, 1, 'a', true);
        write(s, raft, 2, 'x', false);
        expectLog(s, raft, 2, [e(1, 1, 'a')]);
        s.step('node 2 (a follower) calls broadcastHeartbeat');
        const sent = raft.getMessageCount();
        s.expect(!raft.broadcastHeartbeat(2), 'broadcastHeartbeat to return false: node 2 is not leader', 'it returned true');
        s.expectEqual(raft.getMessageCount() - sent, 0, 'the messages node 2 sent');
        s.step('node 1, the leader, crashes');
        raft.simulateFailure(1);
        write(s, raft, 1, 'y', false);
        expectLog(s, raft, 1, [e(1, 1, 'a')]);
        s.expect(!raft.broadcastHeartbeat(1), 'broadcastHeartbeat from the crashed node 1 to return false', 'it returned true');
        s.step('node 2 wins term 2 with node 3; node 1 recovers');
        s.expect(electWithRetries(raft, 2, 3), 'node 2 to win', 'it never won');
        raft.simulateRecovery(1);
        s.expectEqual(raft.getNode(1).role, 'FOLLOWER', "node 1's role after recovery");
        s.expectEqual(raft.getLeader(), 2, 'getLeader()');
        s.step('node 2 sends a heartbeat');
        s.expect(raft.broadcastHeartbeat(2), 'broadcastHeartbeat to return true: node 2 is still leader', 'it returned false');

        const t = ctx.scenario('5 nodes (1-5)');
        const r = splitHistory(ctx, t);
        t.expectEqual(r.getLeader(), 3, 'getLeader() (nodes 1 and 3 both believe they lead; node 3 is in the higher term)');
        t.step('the network heals; the old leader node 1 sends a heartbeat');
        r.heal();
        t.expect(!r.broadcastHeartbeat(1), 'broadcastHeartbeat to return false: the replies show term 2, so node 1 steps down', 'it returned true');

        const u = ctx.scenario('5 nodes (1-5)');
        const q = cluster(ctx, 5);
        elect(u, q, 4);
        u.step('the network splits into {4,5} and {1,2,3}');
        q.partition([[4, 5], [1, 2, 3]]);
        elect(u, q, 1, ' (term 2)');
        u.expectEqual(q.getLeader(), 1, 'getLeader() (node 4 still believes it leads term 1; node 1 leads the higher term 2)');
      },
    },
    {
      id: 'minority-never-commits',
      title: 'A leader cut off in a minority partition never commits an entry',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5)');
        const raft = splitHistory(ctx, s);
        for (const id of [1, 2]) {
          s.expectEqual(fmtLog(raft.getCommittedEntries(id)), fmtLog([e(1, 1, 'a')]), `node ${id}'s committed entries`, (x) => x);
        }
        s.expectEqual(fmtLog(raft.getCommittedEntries(3)), fmtLog([e(1, 1, 'a'), e(2, 2, 'b'), e(3, 2, 'c')]), "node 3's committed entries", (x) => x);
      },
    },
    {
      id: 'logs-converge-after-heal',
      title: "After a partition heals, the leader's heartbeats repair every follower's log (backing off until the logs match)",
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5)');
        const raft = splitHistory(ctx, s);
        s.step('the network heals; node 5 recovers');
        raft.heal();
        raft.simulateRecovery(5);
        elect(s, raft, 4, ' (its log [a, b, c] is the most up to date)');
        write(s, raft, 4, 'd', true);
        s.step('node 4 sends a heartbeat');
        raft.broadcastHeartbeat(4);
        const want = [e(1, 1, 'a'), e(2, 2, 'b'), e(3, 2, 'c'), e(4, 3, 'd')];
        for (const id of [1, 2, 3, 4, 5]) {
          expectLog(s, raft, id, want);
          s.expectEqual(raft.getNode(id).commitIndex, 4, `node ${id}'s commitIndex`);
        }
      },
    },
    {
      id: 'message-count',
      title: 'Each RequestVote and each AppendEntries attempt counts one message: an election, a write or a heartbeat costs one per reachable other node',
      kind: 'behaviour',
      check: (ctx) => {
        for (const n of [5, 6]) {
          const s = ctx.scenario(`${n} nodes (1-${n}), all up`);
          const raft = cluster(ctx, n);
          let last = 0;
          const expectSent = (want: number, what: string): void => {
            const now = raft.getMessageCount();
            s.expectEqual(now - last, want, `the messages ${what}`);
            last = now;
          };
          elect(s, raft, 1);
          expectSent(n - 1, `of the election (one RequestVote to each of the ${n - 1} other nodes)`);
          write(s, raft, 1, 'a', true);
          expectSent(n - 1, `of the write (one AppendEntries to each follower; their logs already match)`);
          s.step('node 1 sends a heartbeat');
          raft.broadcastHeartbeat(1);
          expectSent(n - 1, 'of the heartbeat');
          s.step(`node ${n} crashes; node 2 starts an election`);
          raft.simulateFailure(n);
          s.expect(raft.startElection(2), 'node 2 to win', 'it lost');
          expectSent(n - 2, `of the election (node ${n} is down and is not asked)`);
          write(s, raft, 2, 'b', true);
          expectSent(n - 2, 'of the write');
        }
      },
    },
    {
      id: 'random-schedules-safe',
      title: "Under random elections, writes, crashes, recoveries and partitions, four of the five safety properties of Raft's Figure 3 hold after every step",
      kind: 'safety',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, schedules, ({ n, steps }) => {
          const s = ctx.scenario(`${n} nodes (1-${n}), all followers in term 0`);
          const raft = cluster(ctx, n);
          const w = new World(n);
          const monitor = new SafetyMonitor(w.ids);
          for (const step of steps) {
            s.step(describeStep(step, raft, w));
            applyStep(step, raft, w, s, () => monitor.check(raft, s));
            monitor.check(raft, s);
          }
        }),
    },
    {
      id: 'random-schedules-live',
      title: 'After any random history, a majority that is alive and connected elects its most up-to-date node and commits a write; after healing, all logs agree',
      kind: 'liveness',
      randomised: true,
      check: (ctx) =>
        checkSchedules(ctx, schedules, ({ n, steps }) => {
          const s = ctx.scenario(`${n} nodes (1-${n}), all followers in term 0`);
          const raft = cluster(ctx, n);
          const w = new World(n);
          for (const step of steps) {
            s.step(describeStep(step, raft, w));
            applyStep(step, raft, w, s);
          }
          const side = w.ids.map((id) => w.reachable(id)).find((g) => g.length >= w.majority);
          if (side) progress(s, raft, side, w.nextCommand(), 'the majority side');
          s.step('the network heals and every node recovers');
          raft.heal();
          w.ids.forEach((id) => raft.simulateRecovery(id));
          const leader = progress(s, raft, w.ids, w.nextCommand(), 'the whole cluster');
          s.step(`node ${leader} sends a heartbeat`);
          raft.broadcastHeartbeat(leader);
          const want = fmtLog(raft.getNode(leader).log);
          for (const id of w.ids) {
            s.expectEqual(fmtLog(raft.getNode(id).log), want, `node ${id}'s log (the leader's)`, (x) => x);
            s.expectEqual(fmtLog(raft.getCommittedEntries(id)), fmtLog(raft.getCommittedEntries(leader)), `node ${id}'s committed entries (the leader's)`, (x) => x);
          }
        }),
    },
  ],
});

function progress(s: Scenario, raft: Raft, group: readonly number[], command: string, where: string): number {
  const id = mostUpToDate(raft, group);
  s.step(`in ${where} {${[...group].sort().join(',')}}, node ${id} (the most up-to-date log there) runs for leader, retrying if it meets a newer term`);
  s.expect(electWithRetries(raft, id), `node ${id} to win an election`, 'it lost every time');
  s.step(`a client writes "${command}" to node ${id}`);
  s.expect(raft.appendEntry(id, command), `"${command}" to commit (appendEntry returns true)`, 'appendEntry returned false');
  return id;
}

export const complexity = {
  operation: 'one client write (appendEntry) to an elected leader, all nodes up',
  measure: (impl: typeof Impl, n: number): number => {
    const raft = new impl.RaftConsensus(Array.from({ length: n }, (_, i) => i + 1));
    raft.startElection(1);
    const before = raft.getMessageCount();
    raft.appendEntry(1, 'SET x=1');
    return raft.getMessageCount() - before;
  },
};
