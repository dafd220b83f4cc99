import type { ApplyMsg, LogEntry, NodeId, RaftView } from '#workbook/raft-node';
import type { Scenario } from '../../engine/grader.ts';

/**
 * Raft's safety properties, checked from the outside after every simulator event. The monitor
 * keeps its own history (who led which term, which (index, term) pairs ever existed, what was
 * committed when), so a property broken for a single event is caught.
 *
 *   election safety       at most one leader per term, over the whole run
 *   log matching          an (index, term) pair names one command and one previous term, forever
 *   leader completeness   a leader of term T holds every entry committed before T began
 *   state machine safety  every node applies each index once, in order, and all agree on it
 */
export const fmtEntry = (e: Pick<LogEntry, 'index' | 'term' | 'command'>): string => `#${e.index} t${e.term} "${e.command}"`;

interface Committed { readonly term: number; readonly command: string; /** Highest term in the cluster when first applied. */ readonly beforeTerm: number }

export class SafetyMonitor {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly pairs = new Map<string, { command: string; prevTerm: number; node: NodeId }>();
  private readonly lastTerm = new Map<string, number>();
  private readonly lastLog = new Map<string, { base: number; log: readonly LogEntry[] }>();
  private readonly voteOf = new Map<string, NodeId>();
  readonly committed = new Map<number, Committed>();
  /** Per node: the index it applied last in its current incarnation, and that incarnation. */
  private readonly applied = new Map<NodeId, { incarnation: number; last: number }>();

  constructor(
    private readonly s: Scenario,
    /** With persistence graded: terms and votes must survive restarts too. */
    private readonly durable: boolean,
  ) {}

  /** Checks one node's state (the node the last event touched). `maxTerm` is the cluster's highest term now. */
  checkNode(id: NodeId, v: RaftView, incarnation: number): void {
    const s = this.s;
    // Without persistence graded, a restarted node starts again from term 0: compare within one life.
    const life = this.durable ? `${id}` : `${id}@${incarnation}`;
    const before = this.lastTerm.get(life) ?? 0;
    s.expect(v.term >= before, `node ${id}'s term never to go down${this.durable ? ' (not even across a restart: it is persisted)' : ''}`, `it went from ${before} to ${v.term}`);
    this.lastTerm.set(life, v.term);
    if (v.votedFor !== null) {
      const key = `${life}@t${v.term}`;
      const earlier = this.voteOf.get(key);
      s.expect(earlier === undefined || earlier === v.votedFor, `node ${id} to vote at most once in term ${v.term}`, () => `it voted for node ${earlier} and then for node ${v.votedFor} in term ${v.term}`);
      this.voteOf.set(key, v.votedFor);
    }
    if (v.role === 'leader') {
      const other = this.leaderOfTerm.get(v.term);
      s.expect(other === undefined || other === id, `at most one leader in term ${v.term} (election safety)`, () => `nodes ${other} and ${id} were both leader in term ${v.term}`);
      this.leaderOfTerm.set(v.term, id);
    }
    let prevTerm = v.snapshotTerm;
    // Entries unchanged since this node's last check were checked then: skip them (the hot path).
    const last = this.lastLog.get(life);
    this.lastLog.set(life, { base: v.snapshotIndex, log: v.log });
    const sameBase = last !== undefined && last.base === v.snapshotIndex;
    v.log.forEach((e, i) => {
      if (sameBase && i < last.log.length) {
        const old = last.log[i]!;
        if (old.index === e.index && old.term === e.term && old.command === e.command) { prevTerm = e.term; return; }
      }
      const want = v.snapshotIndex + i + 1;
      s.expect(e.index === want, `entry ${i + 1} after node ${id}'s snapshot (through ${v.snapshotIndex}) to have index ${want}: indexes are 1-based and have no gaps`, () => `it has index ${e.index}`);
      const key = `${e.index}/${e.term}`;
      const seen = this.pairs.get(key);
      if (!seen) this.pairs.set(key, { command: e.command, prevTerm, node: id });
      else {
        s.expect(seen.command === e.command, `every log holding an entry at index ${e.index} with term ${e.term} to hold the same command (log matching)`, () => `node ${seen.node} had "${seen.command}" there and node ${id} has "${e.command}"`);
        s.expect(seen.prevTerm === prevTerm, `logs that agree at index ${e.index} (term ${e.term}) to agree on everything before it (log matching)`, () => `node ${seen.node}'s entry ${e.index - 1} has term ${seen.prevTerm}, node ${id}'s has term ${prevTerm}`);
      }
      prevTerm = e.term;
    });
    s.expect(v.commitIndex <= v.snapshotIndex + v.log.length, `node ${id}'s commitIndex to point inside its log`, () => `commitIndex ${v.commitIndex}, last index ${v.snapshotIndex + v.log.length}`);
    if (v.role === 'leader') this.checkLeaderComplete(id, v);
  }

  private checkLeaderComplete(id: NodeId, v: RaftView): void {
    for (const [index, c] of this.committed) {
      if (c.beforeTerm >= v.term || index <= v.snapshotIndex) continue;
      const mine = v.log[index - v.snapshotIndex - 1];
      this.s.expect(
        mine !== undefined && mine.term === c.term && mine.command === c.command,
        `leader ${id} of term ${v.term} to hold ${fmtEntry({ index, ...c })}, committed before its term (leader completeness)`,
        () => `its entry ${index} is ${mine ? fmtEntry(mine) : 'missing'}`,
      );
    }
  }

  /** Checks one value a node applied; `service` is that node's applied commands by index. */
  checkApply(id: NodeId, msg: ApplyMsg, incarnation: number, maxTerm: () => number): void {
    const s = this.s;
    const mine = this.applied.get(id);
    const last = mine && mine.incarnation === incarnation ? mine.last : 0;
    if (msg.kind === 'snapshot') {
      s.expect(msg.index > last, `node ${id} to hand its service a snapshot only ahead of what it applied (through ${last})`, `it handed a snapshot through ${msg.index}`);
      this.applied.set(id, { incarnation, last: msg.index });
      return;
    }
    s.expect(msg.index === last + 1, `node ${id} to apply index ${last + 1} next: each committed entry once, in order`, () =>
      msg.index <= last ? `it applied index ${msg.index} again ("${msg.command}")` : `it applied index ${msg.index}, skipping ${last + 1}`);
    this.applied.set(id, { incarnation, last: msg.index });
    const c = this.committed.get(msg.index);
    if (!c) this.committed.set(msg.index, { term: msg.term, command: msg.command, beforeTerm: maxTerm() });
    else {
      s.expect(c.command === msg.command && c.term === msg.term, `every node to apply the same command at index ${msg.index} (state machine safety)`, () =>
        `one node applied t${c.term} "${c.command}" there and node ${id} applied t${msg.term} "${msg.command}"`);
    }
  }

  lastApplied(id: NodeId, incarnation: number): number {
    const mine = this.applied.get(id);
    return mine && mine.incarnation === incarnation ? mine.last : 0;
  }
}
