import fc from 'fast-check';
import type { Scenario } from '../../engine/grader.ts';
import type * as Impl from '../../../solutions/consensus/raft.ts';

/**
 * Raft's safety properties, checked from the outside after every step of a schedule, plus the
 * random schedules themselves. The monitor keeps its own history (who led which term, who voted
 * for whom, which entries were ever seen committed), so a property that held a moment ago and is
 * broken now is caught even if the broken state only lasts one step.
 */

export type Raft = InstanceType<typeof Impl.RaftConsensus>;
type Entry = Impl.LogEntry;

export function fmtEntry(e: Entry | undefined): string {
  return e ? `#${e.index} t${e.term} "${e.command}"` : 'nothing';
}

export function fmtLog(log: readonly Entry[]): string {
  return `[${log.map((e) => `t${e.term} "${e.command}"`).join(', ')}]`;
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  return !!a && !!b && a.term === b.term && a.command === b.command && a.index === b.index;
}

interface CommitRecord {
  readonly entry: Entry;
  /** The highest term any node had when the commit was first seen: every leader of a later term must hold it. */
  readonly seenAtTerm: number;
  readonly node: number;
}

export class SafetyMonitor {
  private readonly leaderOfTerm = new Map<number, number>();
  private readonly voteOf = new Map<string, number>();
  private readonly lastTerm = new Map<number, number>();
  private readonly committed = new Map<number, CommitRecord>();

  constructor(private readonly ids: readonly number[]) {}

  check(raft: Raft, s: Scenario): void {
    const views = this.ids.map((id) => raft.getNode(id));
    const maxTerm = Math.max(...views.map((v) => v.currentTerm));

    for (const v of views) {
      const before = this.lastTerm.get(v.id) ?? 0;
      s.expect(v.currentTerm >= before, `node ${v.id}'s term never to go down`, `it went from ${before} to ${v.currentTerm}`);
      this.lastTerm.set(v.id, v.currentTerm);

      if (v.votedFor !== -1) {
        const key = `${v.id}@${v.currentTerm}`;
        const earlier = this.voteOf.get(key);
        s.expect(
          earlier === undefined || earlier === v.votedFor,
          `node ${v.id} to vote at most once in term ${v.currentTerm}`,
          () => `it voted for node ${earlier} and later for node ${v.votedFor} in that same term`,
        );
        this.voteOf.set(key, v.votedFor);
      }

      v.log.forEach((e, i) =>
        s.expect(e.index === i + 1, `entry ${i + 1} of node ${v.id}'s log to have index ${i + 1} (indexes are 1-based, no gaps)`, () =>
          `node ${v.id}'s log is ${fmtLog(v.log)} and entry ${i + 1} says index ${e.index}`,
        ),
      );
      s.expect(v.commitIndex <= v.log.length, `node ${v.id}'s commitIndex to point inside its log`, () =>
        `commitIndex is ${v.commitIndex} but the log has ${v.log.length} entries`,
      );

      // Election safety: at most one leader per term, over the whole run.
      if (v.role === 'LEADER') {
        const other = this.leaderOfTerm.get(v.currentTerm);
        s.expect(
          other === undefined || other === v.id,
          `at most one leader in term ${v.currentTerm} (election safety)`,
          () => `nodes ${other} and ${v.id} were both leader in term ${v.currentTerm}`,
        );
        this.leaderOfTerm.set(v.currentTerm, v.id);
      }
    }

    // Log matching: the same index and term means the same entry and the same history before it.
    for (let a = 0; a < views.length; a++) {
      for (let b = a + 1; b < views.length; b++) {
        const la = views[a]!.log;
        const lb = views[b]!.log;
        for (let i = Math.min(la.length, lb.length) - 1; i >= 0; i--) {
          if (la[i]!.term !== lb[i]!.term) continue;
          const same = la.slice(0, i + 1).every((e, j) => sameEntry(e, lb[j]));
          s.expect(same, `nodes ${views[a]!.id} and ${views[b]!.id}, which agree on the term at index ${i + 1}, to have identical logs up to there (log matching)`, () =>
            `node ${views[a]!.id} has ${fmtLog(la)} and node ${views[b]!.id} has ${fmtLog(lb)}`,
          );
          break;
        }
      }
    }

    // State machine safety: once any node calls an index committed, nobody commits anything else there.
    for (const v of views) {
      for (const e of raft.getCommittedEntries(v.id)) {
        const seen = this.committed.get(e.index);
        if (seen) {
          s.expect(sameEntry(seen.entry, e), `no two nodes to commit different entries at index ${e.index} (state machine safety)`, () =>
            `node ${seen.node} committed ${fmtEntry(seen.entry)} and node ${v.id} committed ${fmtEntry(e)}`,
          );
        } else {
          this.committed.set(e.index, { entry: { term: e.term, command: e.command, index: e.index }, seenAtTerm: maxTerm, node: v.id });
        }
      }
    }

    // Leader completeness: a leader of a later term holds every entry committed before its term.
    for (const v of views) {
      if (v.role !== 'LEADER') continue;
      for (const c of this.committed.values()) {
        if (v.currentTerm <= c.seenAtTerm) continue;
        s.expect(sameEntry(v.log[c.entry.index - 1], c.entry), `node ${v.id}, leader of term ${v.currentTerm}, to hold the committed entry ${fmtEntry(c.entry)} (leader completeness)`, () =>
          `its log is ${fmtLog(v.log)}`,
        );
      }
    }
  }
}

/** A step of a random schedule: plain data, so a shrunk schedule reads as a story. */
export type Step =
  | { readonly kind: 'elect'; readonly node: number }
  | { readonly kind: 'write'; readonly node: number | 'leader' }
  | { readonly kind: 'heartbeat'; readonly node: number | 'leader' }
  | { readonly kind: 'fail'; readonly node: number }
  | { readonly kind: 'recover'; readonly node: number }
  | { readonly kind: 'partition'; readonly side: readonly boolean[] }
  | { readonly kind: 'heal' };

/** Elections a node tries in one 'elect' step: enough to outrun a term it did not know about. */
const CAMPAIGN = 3;

export interface Schedule {
  readonly n: number;
  readonly steps: readonly Step[];
}

export const schedules: fc.Arbitrary<Schedule> = fc.constantFrom(3, 3, 5).chain((n) => {
  const node = fc.integer({ min: 1, max: n });
  const target = fc.oneof({ weight: 1, arbitrary: node }, { weight: 3, arbitrary: fc.constant('leader' as const) });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: node.map((node) => ({ kind: 'elect', node }) as const) },
    { weight: 5, arbitrary: target.map((node) => ({ kind: 'write', node }) as const) },
    { weight: 2, arbitrary: target.map((node) => ({ kind: 'heartbeat', node }) as const) },
    { weight: 3, arbitrary: node.map((node) => ({ kind: 'fail', node }) as const) },
    { weight: 3, arbitrary: node.map((node) => ({ kind: 'recover', node }) as const) },
    { weight: 2, arbitrary: fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((side) => ({ kind: 'partition', side }) as const) },
    { weight: 2, arbitrary: fc.constant({ kind: 'heal' } as const) },
  );
  return fc.record({ n: fc.constant(n), steps: fc.array(step, { maxLength: 25 }) });
});

/** The grader's own picture of the network, to know which nodes can reach which. */
export class World {
  readonly ids: number[];
  readonly failed = new Set<number>();
  groups: number[][] | null = null;
  private writes = 0;

  constructor(readonly n: number) {
    this.ids = Array.from({ length: n }, (_, i) => i + 1);
  }

  get majority(): number {
    return Math.floor(this.n / 2) + 1;
  }

  nextCommand(): string {
    this.writes += 1;
    return `w${this.writes}`;
  }

  /** The alive nodes that can reach `id` (itself included). */
  reachable(id: number): number[] {
    const group = this.groups ? (this.groups.find((g) => g.includes(id)) ?? [id]) : this.ids;
    return group.filter((x) => !this.failed.has(x));
  }
}

export function describeStep(step: Step, raft: Raft, w: World): string {
  switch (step.kind) {
    case 'elect':
      return `node ${step.node} runs for leader (up to ${CAMPAIGN} elections in a row, stopping when it wins)`;
    case 'write':
      return step.node === 'leader' ? `a client writes to getLeader() (node ${raft.getLeader()})` : `a client writes to node ${step.node}`;
    case 'heartbeat':
      return step.node === 'leader' ? `getLeader() (node ${raft.getLeader()}) sends a heartbeat` : `node ${step.node} sends a heartbeat`;
    case 'fail':
      return `node ${step.node} crashes`;
    case 'recover':
      return `node ${step.node} recovers`;
    case 'partition': {
      const groups = split(step.side, w.ids);
      return `the network splits into ${groups.map((g) => `{${g.join(',')}}`).join(' and ')}`;
    }
    case 'heal':
      return 'the network heals';
  }
}

function split(side: readonly boolean[], ids: readonly number[]): number[][] {
  const a = ids.filter((_, i) => side[i]);
  const b = ids.filter((_, i) => !side[i]);
  return [a, b].filter((g) => g.length > 0);
}

/**
 * Applies one step. Writes and elections that report success are checked on the spot: a won
 * election needs a majority of the cluster voting for the winner in its term, and an acknowledged
 * write must sit on a majority of the cluster's logs.
 */
export function applyStep(step: Step, raft: Raft, w: World, s: Scenario): void {
  switch (step.kind) {
    case 'elect': {
      let won = false;
      for (let i = 0; i < CAMPAIGN && !won; i++) won = raft.startElection(step.node);
      if (!won) return;
      const me = raft.getNode(step.node);
      const voters = w.ids.filter((id) => {
        const v = raft.getNode(id);
        return v.currentTerm === me.currentTerm && v.votedFor === step.node;
      });
      s.expect(voters.length >= w.majority, `node ${step.node} to win only with votes from ${w.majority} of ${w.n} nodes in term ${me.currentTerm}`, () =>
        `startElection returned true, but only nodes {${voters.join(',')}} voted for it in that term`,
      );
      return;
    }
    case 'write': {
      const node = step.node === 'leader' ? raft.getLeader() : step.node;
      if (node === -1) return;
      const command = w.nextCommand();
      const ok = raft.appendEntry(node, command);
      if (!ok) return;
      const holders = w.ids.filter((id) => raft.getNode(id).log.some((e) => e.command === command));
      s.expect(holders.length >= w.majority, `a write acknowledged by node ${node} ("${command}") to be on at least ${w.majority} of ${w.n} logs`, () =>
        `appendEntry returned true but only nodes {${holders.join(',')}} have it`,
      );
      return;
    }
    case 'heartbeat': {
      const node = step.node === 'leader' ? raft.getLeader() : step.node;
      if (node !== -1) raft.broadcastHeartbeat(node);
      return;
    }
    case 'fail':
      w.failed.add(step.node);
      raft.simulateFailure(step.node);
      return;
    case 'recover':
      w.failed.delete(step.node);
      raft.simulateRecovery(step.node);
      return;
    case 'partition':
      w.groups = split(step.side, w.ids);
      raft.partition(w.groups);
      return;
    case 'heal':
      w.groups = null;
      raft.heal();
      return;
  }
}

/** The node whose log is most up to date (last term, then length) among `ids`. */
export function mostUpToDate(raft: Raft, ids: readonly number[]): number {
  let best = ids[0]!;
  let bestKey = [-1, -1];
  for (const id of ids) {
    const log = raft.getNode(id).log;
    const key = [log.length ? log[log.length - 1]!.term : 0, log.length];
    if (key[0]! > bestKey[0]! || (key[0] === bestKey[0] && key[1]! > bestKey[1]!)) {
      best = id;
      bestKey = key;
    }
  }
  return best;
}

/** Elections by `id`, retried while it meets newer terms; true once it wins. */
export function electWithRetries(raft: Raft, id: number, tries = 40): boolean {
  for (let i = 0; i < tries; i++) if (raft.startElection(id)) return true;
  return false;
}
