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
 * and that a node's term never goes down, nor its commitIndex while it runs.
 */
export const fmtEntry = (e: Pick<LogEntry, 'index' | 'term' | 'command'>): string => `#${e.index} t${e.term} "${e.command}"`;

interface Committed { readonly term: number; readonly command: string; /** Highest term in the cluster when first applied. */ readonly beforeTerm: number }

/**
 * What the monitor remembers of one node's life (with persistence graded, of the node across its
 * restarts): its last term, its votes by term, and the log it had at its last check, kept as its
 * own copies of each entry's term and command, so that a node whose `inspect` hands out its live
 * entries (and changes them in place later) is still checked entry by entry.
 */
interface Life {
  readonly incarnation: number;
  lastTerm: number;
  readonly voteOf: Map<number, NodeId>;
  checked: boolean;
  base: number;
  baseTerm: number;
  readonly terms: number[];
  readonly commands: string[];
}

export class SafetyMonitor {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly pairs = new Map<string, { command: string; prevTerm: number; node: NodeId }>();
  private readonly lives = new Map<NodeId, Life>();
  readonly committed = new Map<number, Committed>();
  /** The same entries as `committed`, in the order they were first applied, for the leader-completeness scan. */
  private readonly committedInOrder: (Committed & { readonly index: number })[] = [];
  /** Per node: its commitIndex at its last check, in its current incarnation (commitIndex is volatile). */
  private readonly commitOf = new Map<NodeId, { incarnation: number; commit: number }>();
  /** Per node: the index it applied last in its current incarnation, and that incarnation. */
  private readonly applied = new Map<NodeId, { incarnation: number; last: number }>();

  constructor(
    private readonly s: Scenario,
    /** With persistence graded: terms and votes must survive restarts too. */
    private readonly durable: boolean,
  ) {}

  /** Without persistence graded, a restarted node starts again from term 0: compare within one life. */
  private lifeOf(id: NodeId, incarnation: number): Life {
    const known = this.lives.get(id);
    if (known && (this.durable || known.incarnation === incarnation)) return known;
    const life: Life = { incarnation, lastTerm: 0, voteOf: new Map(), checked: false, base: 0, baseTerm: 0, terms: [], commands: [] };
    this.lives.set(id, life);
    return life;
  }

  /**
   * Checks one node's state (the node the last event touched). Runs after every event, so it is
   * written for speed: failure messages are only built on failure, and log entries the same as
   * at the node's last check, behind an entry that is also the same, are not checked again (they
   * were, with the same result: the pairs the monitor keeps only ever grow).
   */
  checkNode(id: NodeId, v: RaftView, incarnation: number): void {
    const s = this.s;
    const life = this.lifeOf(id, incarnation);
    const before = life.lastTerm;
    if (!(v.term >= before)) s.fail(`node ${id}'s term never to go down${this.durable ? ' (not even across a restart: it is persisted)' : ''}`, `it went from ${before} to ${v.term}`);
    life.lastTerm = v.term;
    if (v.votedFor !== null) {
      const earlier = life.voteOf.get(v.term);
      if (!(earlier === undefined || earlier === v.votedFor)) s.fail(`node ${id} to vote at most once in term ${v.term}`, `it voted for node ${earlier} and then for node ${v.votedFor} in term ${v.term}`);
      life.voteOf.set(v.term, v.votedFor);
    }
    if (v.role === 'leader') {
      const other = this.leaderOfTerm.get(v.term);
      if (!(other === undefined || other === id)) s.fail(`at most one leader in term ${v.term} (election safety)`, `nodes ${other} and ${id} were both leader in term ${v.term}`);
      this.leaderOfTerm.set(v.term, id);
    }
    this.checkLog(id, v, life);
    const commit = this.commitOf.get(id);
    if (commit && commit.incarnation === incarnation && !(v.commitIndex >= commit.commit)) s.fail(`node ${id}'s commitIndex never to go down while it runs (what is committed stays committed)`, `it went from ${commit.commit} to ${v.commitIndex}`);
    this.commitOf.set(id, { incarnation, commit: v.commitIndex });
    if (!(v.commitIndex <= v.snapshotIndex + v.log.length)) s.fail(`node ${id}'s commitIndex to point inside its log`, `commitIndex ${v.commitIndex}, last index ${v.snapshotIndex + v.log.length}`);
    if (v.role === 'leader') this.checkLeaderComplete(id, v);
  }

  /** Indexes without gaps, and log matching for every entry that is new or whose predecessor is. */
  private checkLog(id: NodeId, v: RaftView, life: Life): void {
    const s = this.s;
    const log = v.log;
    const n = log.length;
    const { terms, commands } = life;
    const sameBase = life.checked && life.base === v.snapshotIndex && life.baseTerm === v.snapshotTerm;
    const known = sameBase ? terms.length : 0;
    life.checked = true;
    life.base = v.snapshotIndex;
    life.baseTerm = v.snapshotTerm;
    let prevTerm = v.snapshotTerm;
    // Whether the entry before this one is the same as at the last check (the snapshot, for the first).
    let prevSame = sameBase;
    for (let i = 0; i < n; i++) {
      const e = log[i];
      if (e === undefined && !(i in log)) {
        // A hole in a sparse log: skipped, as forEach would; the entry after it is checked again.
        terms[i] = NaN;
        prevSame = false;
        continue;
      }
      const want = v.snapshotIndex + i + 1;
      const same = i < known && e.index === want && e.term === terms[i] && e.command === commands[i];
      if (!(same && prevSame)) {
        if (!(e.index === want)) s.fail(`entry ${i + 1} after node ${id}'s snapshot (through ${v.snapshotIndex}) to have index ${want}: indexes are 1-based and have no gaps`, `it has index ${e.index}`);
        const key = `${e.index}/${e.term}`;
        const seen = this.pairs.get(key);
        if (!seen) this.pairs.set(key, { command: e.command, prevTerm, node: id });
        else {
          if (!(seen.command === e.command)) s.fail(`every log holding an entry at index ${e.index} with term ${e.term} to hold the same command (log matching)`, `node ${seen.node} had "${seen.command}" there and node ${id} has "${e.command}"`);
          if (!(seen.prevTerm === prevTerm)) s.fail(`logs that agree at index ${e.index} (term ${e.term}) to agree on everything before it (log matching)`, `node ${seen.node}'s entry ${e.index - 1} has term ${seen.prevTerm}, node ${id}'s has term ${prevTerm}`);
        }
      }
      if (!same) {
        terms[i] = e.term;
        commands[i] = e.command;
      }
      prevSame = same;
      prevTerm = e.term;
    }
    terms.length = n;
    commands.length = n;
  }

  private checkLeaderComplete(id: NodeId, v: RaftView): void {
    for (const c of this.committedInOrder) {
      const index = c.index;
      if (c.beforeTerm >= v.term || index <= v.snapshotIndex) continue;
      const mine = v.log[index - v.snapshotIndex - 1];
      if (!(mine !== undefined && mine.term === c.term && mine.command === c.command)) {
        this.s.fail(`leader ${id} of term ${v.term} to hold ${fmtEntry(c)}, committed before its term (leader completeness)`, `its entry ${index} is ${mine ? fmtEntry(mine) : 'missing'}`);
      }
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
    if (!c) {
      const committed = { term: msg.term, command: msg.command, beforeTerm: maxTerm() };
      this.committed.set(msg.index, committed);
      this.committedInOrder.push({ index: msg.index, ...committed });
    } else {
      s.expect(c.command === msg.command && c.term === msg.term, `every node to apply the same command at index ${msg.index} (state machine safety)`, () =>
        `one node applied t${c.term} "${c.command}" there and node ${id} applied t${msg.term} "${msg.command}"`);
    }
  }

  lastApplied(id: NodeId, incarnation: number): number {
    const mine = this.applied.get(id);
    return mine && mine.incarnation === incarnation ? mine.last : 0;
  }
}
