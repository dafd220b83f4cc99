import type { LogEntry, NodeId } from '#workbook/raft-node';
import { traceFailures } from '../../sim/traced.ts';
import { defineGrader, type Scenario } from '../../engine/grader.ts';
import { alone, answersTo, cluster, Cluster, type RaftImpl, inject } from './harness.ts';
import { checkRandomRuns } from './schedules.ts';

/**
 * Exercise 4 of the raft module: log compaction with snapshots. The service above each node (the
 * grader) asks for a snapshot every few applied commands; its snapshot data is the JSON list of
 * the commands it applied. Modelled on what the labs' snapshot tests check (the log stays small,
 * a follower far behind gets InstallSnapshot, restarts from a snapshot, all of it under an
 * unreliable network and crashes), plus a late, older InstallSnapshot delivered by hand.
 */

/** Persisted state (JSON characters) allowed once snapshots trim the log: about 20 entries' worth. */
export const MAX_STATE_CHARS = 3000;

const commands = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `c${from + i}`);
const entries = (from: number, to: number, term: number): LogEntry[] => commands(from, to).map((command, i) => ({ index: from + i, term, command }));

function commit(c: Cluster, from: number, to: number, expected: number): void {
  c.s.step(`clients send "c${from}" to "c${to}" to the leader, one after another, each waiting for ${expected} nodes`);
  for (let i = from; i <= to; i++) c.one(`c${i}`, expected);
}

function expectSmall(c: Cluster, s: Scenario, ids: readonly NodeId[]): void {
  for (const id of ids) {
    const size = c.sim.persistedStateSize(id);
    s.expect(size <= MAX_STATE_CHARS, `node ${id}'s persisted state (without the snapshot) to stay under ${MAX_STATE_CHARS} characters of JSON: the log before the snapshot is dropped`, `it is ${size} characters (its log holds ${c.view(id)?.log.length} entries after snapshot index ${c.view(id)?.snapshotIndex})`);
  }
}

export default defineGrader<RaftImpl>({
  requiredExports: ['RaftNode'],
  // A failing check carries its run, drawn under the verdict and by `trace`.
  requirements: traceFailures([
    {
      id: 'log-trimmed',
      title: `When the service snapshots every 10 commands, each node drops its log up to the snapshot: after 100 commands its saved state stays under ${MAX_STATE_CHARS} characters`,
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network; each node\'s service asks for a snapshot every 10 commands');
        const c = cluster(ctx, s, { n: 3, durable: true, snapshotEvery: 10 });
        c.waitForLeader();
        commit(c, 1, 100, 3);
        c.sim.runFor(100);
        expectSmall(c, s, c.ids);
        for (const id of c.ids) s.expect((c.view(id)?.snapshotIndex ?? 0) >= 90, `node ${id}'s snapshot to cover at least index 90`, `it covers ${c.view(id)?.snapshotIndex}`);
      },
    },
    {
      id: 'install-snapshot',
      title: 'A follower that missed entries the leader has already compacted gets InstallSnapshot, restores it, and then applies new commands',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network; each service asks for a snapshot every 10 commands');
        const c = cluster(ctx, s, { n: 3, durable: true, snapshotEvery: 10 });
        const leader = c.waitForLeader();
        commit(c, 1, 5, 3);
        const f = c.ids.find((id) => id !== leader)!;
        c.disconnect(f);
        commit(c, 6, 50, 2);
        c.connect(f);
        c.one('c51', 3);
        s.expectEqual(c.appliedBy(f), commands(1, 51), `the commands node ${f}'s service holds`);
        s.expect(c.sentOf('InstallSnapshot', { to: f }).length > 0, `node ${f} to have been sent an InstallSnapshot (the entries it missed were compacted)`, 'none was sent');
        expectSmall(c, s, c.ids);
      },
    },
    {
      id: 'restart-from-snapshot',
      title: 'A node restarting after a snapshot hands its service the snapshot first, then applies only the entries after it',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network; each service asks for a snapshot every 10 commands');
        const c = cluster(ctx, s, { n: 3, durable: true, snapshotEvery: 10 });
        c.waitForLeader();
        commit(c, 1, 25, 3);
        for (const id of c.ids) c.crash(id);
        for (const id of c.ids) c.restart(id);
        for (const id of c.ids) {
          const restartedAt = c.sim.log.findLastIndex((e) => e.kind === 'restart' && e.node === id);
          const applied = c.sim.log.slice(restartedAt).filter((e) => e.kind === 'apply' && e.node === id);
          s.expect(applied[0]?.kind === 'apply' && applied[0].summary.startsWith('snapshot through #20'), `node ${id} to hand its service the snapshot through index 20 first`, () => `it applied ${applied.map((e) => (e.kind === 'apply' ? e.summary : '')).join(', ') || 'nothing'} on restart`);
        }
        c.one('c26', 3);
        for (const id of c.ids) s.expectEqual(c.appliedBy(id), commands(1, 26), `the commands node ${id}'s service holds after the restart`);
        c.crash(c.waitForLeader());
        c.one('c27', 2);
      },
    },
    {
      id: 'old-snapshot-ignored',
      title: 'An InstallSnapshot older than what the node has applied (late, or of an older term) changes nothing; a newer one replaces the log it covers',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand; node 3\'s service asks for a snapshot every 3 commands');
        const c = alone(ctx, s, 3, 3, { durable: true, snapshotEvery: 3 });
        inject(c, 1, 3, { type: 'AppendEntries', term: 2, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries(1, 5, 2), leaderCommit: 5 }, 'AppendEntries(term 2, entries c1..c5, leaderCommit 5)');
        s.expectEqual([c.view(3)?.snapshotIndex, c.appliedBy(3)], [3, commands(1, 5)], "node 3's [snapshotIndex, applied commands]");
        inject(c, 1, 3, { type: 'InstallSnapshot', term: 2, leaderId: 1, lastIncludedIndex: 2, lastIncludedTerm: 2, data: JSON.stringify(commands(1, 2)) }, 'a late InstallSnapshot(term 2, through index 2)');
        inject(c, 1, 3, { type: 'InstallSnapshot', term: 2, leaderId: 1, lastIncludedIndex: 4, lastIncludedTerm: 2, data: JSON.stringify(commands(1, 4)) }, 'a late InstallSnapshot(term 2, through index 4): past node 3\'s own snapshot, behind what it applied');
        const refusal = answersTo(c, 1, 3, { type: 'InstallSnapshot', term: 1, leaderId: 1, lastIncludedIndex: 8, lastIncludedTerm: 1, data: JSON.stringify(commands(1, 8)) }, 'an InstallSnapshot of the older term 1 (through index 8)')
          .find((m) => m.to === 1 && m.message.type === 'SnapshotReply')?.message;
        s.expectEqual(refusal?.term, 2, "the term in node 3's SnapshotReply to the term-1 snapshot (its own, so that the old leader learns it is behind)");
        const v = c.view(3)!;
        s.expectEqual([v.term, v.snapshotIndex, v.log.map((e) => e.command), c.appliedBy(3)], [2, 3, ['c4', 'c5'], commands(1, 5)], "node 3's [term, snapshotIndex, log, applied commands]: nothing changed");
        inject(c, 1, 3, { type: 'InstallSnapshot', term: 2, leaderId: 1, lastIncludedIndex: 8, lastIncludedTerm: 2, data: JSON.stringify(commands(1, 8)) }, 'InstallSnapshot(term 2, through index 8)');
        const w = c.view(3)!;
        s.expectEqual([w.snapshotIndex, w.snapshotTerm, w.log.length, w.commitIndex, c.appliedBy(3)], [8, 2, 0, 8, commands(1, 8)], "node 3's [snapshotIndex, snapshotTerm, log length, commitIndex, applied commands]");
        const reply = c.sentOf('SnapshotReply', { from: 3, to: 1 }).at(-1)?.message;
        s.expectEqual(reply && [reply.term, reply.lastIncludedIndex], [2, 8], 'its SnapshotReply [term, lastIncludedIndex]');
        inject(c, 1, 3, { type: 'AppendEntries', term: 2, leaderId: 1, prevLogIndex: 8, prevLogTerm: 2, entries: entries(9, 9, 2), leaderCommit: 9 }, 'AppendEntries(term 2, prevLogIndex 8, prevLogTerm 2, entries [c9], leaderCommit 9)');
        s.expectEqual(c.appliedBy(3), commands(1, 9), 'the commands node 3 applied');
      },
    },
    {
      id: 'append-below-snapshot',
      title: "A follower that snapshotted on its own answers AppendEntries whose prevLogIndex lies inside its snapshot so that replication goes on: a leader following the guide catches it up",
      kind: 'liveness',
      check: (ctx) => {
        const leaderLog = entries(1, 9, 2);
        for (const start of [1, 3]) {
          const s = ctx.scenario(`3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand as if from node 1, leader of term 2 holding c1..c9 with no snapshot; node 3's service asks for a snapshot every 3 commands`);
          const c = alone(ctx, s, 3, 3, { durable: true, snapshotEvery: 3 });
          inject(c, 1, 3, { type: 'AppendEntries', term: 2, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries(1, 5, 2), leaderCommit: 5 }, 'AppendEntries(term 2, entries c1..c5, leaderCommit 5): node 3 applies c1..c5 and snapshots through index 3');
          s.step(`node 1's nextIndex for node 3 is ${start} (say it backed up that far); from then on it follows the guide: on success nextIndex = matchIndex + 1; on a refusal, past its last entry of conflictTerm, or to conflictIndex`);
          let next = start;
          let match = 0;
          for (let round = 1; round <= 3 && match < 9; round++) {
            const prevLogIndex = next - 1;
            const m = { type: 'AppendEntries', term: 2, leaderId: 1, prevLogIndex, prevLogTerm: prevLogIndex > 0 ? 2 : 0, entries: leaderLog.slice(prevLogIndex), leaderCommit: 9 } as const;
            const reply = answersTo(c, 1, 3, m, `AppendEntries(term 2, prevLogIndex ${prevLogIndex}, prevLogTerm ${m.prevLogTerm}, entries c${next}..c9, leaderCommit 9)`)
              .find((x) => x.to === 1 && x.message.type === 'AppendReply')?.message;
            if (reply?.type !== 'AppendReply') return s.fail('node 3 to answer with an AppendReply', 'it sent none');
            if (reply.success) {
              match = Math.max(match, reply.matchIndex);
              next = match + 1;
            } else {
              const lastOfTerm = reply.conflictTerm > 0 ? leaderLog.findLast((x) => x.term === reply.conflictTerm)?.index : undefined;
              next = Math.max(match + 1, Math.min(lastOfTerm !== undefined ? lastOfTerm + 1 : reply.conflictIndex, 10));
            }
            s.step(`node 3 answers ${reply.success ? `success, matchIndex ${reply.matchIndex}` : `refused, conflictTerm ${reply.conflictTerm}, conflictIndex ${reply.conflictIndex}`}: node 1's nextIndex becomes ${next}`);
          }
          s.expect(match >= 9, 'node 3 to acknowledge entry 9 within 3 round trips: its snapshot holds only committed entries, which agree with the leader\'s', `the leader's matchIndex for it is ${match}: replication stalls`);
          s.expectEqual(c.appliedBy(3), commands(1, 9), 'the commands node 3 applied');
        }
      },
    },
    {
      id: 'install-keeps-agreeing-suffix',
      title: 'A follower installing a snapshot keeps the entries after it when its own entry at the snapshot\'s last index has the snapshot\'s term, and drops its whole log when it does not',
      kind: 'safety',
      check: (ctx) => {
        for (const agrees of [true, false]) {
          const term = agrees ? 2 : 1;
          const s = ctx.scenario(`3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand; node 3's entries 1-8 have term ${term}, and its service asks for a snapshot every 3 commands`);
          const c = alone(ctx, s, 3, 3, { durable: true, snapshotEvery: 3 });
          inject(c, 1, 3, { type: 'AppendEntries', term, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries(1, 8, term), leaderCommit: 3 }, `AppendEntries(term ${term}, entries c1..c8, leaderCommit 3): node 3 applies c1..c3 and snapshots through index 3`);
          inject(c, 1, 3, { type: 'InstallSnapshot', term: 2, leaderId: 1, lastIncludedIndex: 5, lastIncludedTerm: 2, data: JSON.stringify(commands(1, 5)) }, 'InstallSnapshot(term 2, through index 5 of term 2)');
          const v = c.view(3)!;
          s.expectEqual(
            [v.snapshotIndex, v.snapshotTerm, v.log.map((e) => `${e.index}:${e.command}`), c.appliedBy(3)],
            [5, 2, agrees ? ['6:c6', '7:c7', '8:c8'] : [], commands(1, 5)],
            `node 3's [snapshotIndex, snapshotTerm, log, applied commands]: its entry 5 has term ${term}, so ${agrees ? 'entries 6-8 agree with the leader and stay' : 'nothing after it can be trusted'}`,
          );
          const reply = c.sentOf('SnapshotReply', { from: 3, to: 1 }).at(-1)?.message;
          s.expectEqual(reply && [reply.term, reply.lastIncludedIndex], [2, 5], 'its SnapshotReply [term, lastIncludedIndex]');
        }
      },
    },
    {
      id: 'late-snapshot-reply-ignored',
      title: 'A SnapshotReply reaching a node that does not lead (a late reply to a leader since deposed) makes it send nothing',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes; nodes 1 and 2 are down, messages to node 3 are delivered by hand');
        const c = alone(ctx, s, 3, 3, { durable: true });
        inject(c, 1, 3, { type: 'AppendEntries', term: 2, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries(1, 8, 2), leaderCommit: 2 }, 'AppendEntries(term 2, entries c1..c8, leaderCommit 2): node 3 follows node 1 in term 2');
        const sent = answersTo(c, 1, 3, { type: 'SnapshotReply', term: 2, lastIncludedIndex: 2 }, 'a SnapshotReply(term 2, lastIncludedIndex 2) from node 1, as if node 3 had sent it a snapshot');
        s.expect(sent.length === 0, 'node 3, a follower, to send nothing in answer: only a leader acts on a SnapshotReply', () => `it sent ${sent.map((m) => `${m.message.type} to node ${m.to}`).join(', ')}`);
        s.expectEqual(c.role(3), 'follower', "node 3's role");
      },
    },
    {
      id: 'snapshot-reply-higher-term',
      title: 'A leader that gets a SnapshotReply of its own term goes on leading; one of a higher term makes it a follower of that term, as any message does',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('3 nodes (1-3), reliable network');
        const c = cluster(ctx, s, { n: 3, durable: true });
        const leader = c.waitForLeader();
        const other = c.ids.find((id) => id !== leader)!;
        const term = c.term(leader);
        inject(c, other, leader, { type: 'SnapshotReply', term, lastIncludedIndex: 0 }, `a SnapshotReply of its own term ${term}`);
        s.expectEqual([c.role(leader), c.term(leader)], ['leader', term], `node ${leader}'s [role, term]`);
        inject(c, other, leader, { type: 'SnapshotReply', term: term + 3, lastIncludedIndex: 0 }, `a SnapshotReply of term ${term + 3}`);
        s.expectEqual([c.role(leader), c.term(leader)], ['follower', term + 3], `node ${leader}'s [role, term]`);
      },
    },
    {
      id: 'random-snapshots-unreliable',
      title: 'With snapshots every 5 commands, under random partitions and an unreliable network: safe after every event, and afterwards a new command commits on every node',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['partitioned', 'unreliable'], { n: 5, durationMs: 3000, writes: true, durable: true, snapshotEvery: 5, checkLiveness: true, agreement: true, maxRuns: 35 }),
    },
    {
      id: 'random-snapshots-churn',
      title: 'With snapshots every 5 commands, under churn (crashes, restarts, pauses, partitions): safe after every event, and afterwards a new command commits on every node',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkRandomRuns(ctx, ['churn'], { n: 5, durationMs: 3000, writes: true, durable: true, snapshotEvery: 5, checkLiveness: true, agreement: true, maxRuns: 35 }),
    },
  ], () => Cluster.failingRunLog(), Cluster.forget),
});
