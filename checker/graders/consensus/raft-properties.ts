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

/** Whether the first `n` entries of `a` and `b` are the same entries (holes in `a` skipped, as `every` skips them). */
function samePrefix(a: readonly Entry[], b: readonly Entry[], n: number): boolean {
  for (let j = 0; j < n; j++) {
    const e = a[j];
    if (e === undefined && !(j in a)) continue;
    if (!sameEntry(e, b[j])) return false;
  }
  return true;
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
  /** Each node's commit index, role and term at the previous check. */
  private readonly before = new Map<number, { commitIndex: number; role: string; term: number }>();

  constructor(private readonly ids: readonly number[]) {}

  /**
   * Runs after every step of every schedule, so failure messages are built only on failure
   * (`if (!holds) s.fail(...)` is `s.expect` without its text made up front).
   */
  check(raft: Raft, s: Scenario): void {
    const views = this.ids.map((id) => raft.getNode(id));
    const maxTerm = Math.max(...views.map((v) => v.currentTerm));

    for (const v of views) {
      const before = this.lastTerm.get(v.id) ?? 0;
      if (!(v.currentTerm >= before)) s.fail(`node ${v.id}'s term never to go down`, `it went from ${before} to ${v.currentTerm}`);
      this.lastTerm.set(v.id, v.currentTerm);

      const prev = this.before.get(v.id);
      const prevCommit = prev?.commitIndex ?? 0;
      if (!(v.commitIndex >= prevCommit)) s.fail(`node ${v.id}'s commitIndex never to go down (a committed entry stays committed)`, `it went from ${prevCommit} to ${v.commitIndex}`);
      // The commit rule for earlier terms (Raft's Figure 8): a leader moves its commit index only
      // by counting copies of an entry of its own term; older entries are committed as its prefix.
      if (prev && prev.role === 'LEADER' && v.role === 'LEADER' && prev.term === v.currentTerm && v.commitIndex > prevCommit) {
        const top = v.log[v.commitIndex - 1];
        if (!(top?.term === v.currentTerm)) {
          s.fail(`node ${v.id}, leader of term ${v.currentTerm}, to raise its commit index only to an entry of its own term (older entries commit along with one)`,
            `it raised commitIndex from ${prevCommit} to ${v.commitIndex}, where the entry is ${fmtEntry(top)}; its log is ${fmtLog(v.log)}`);
        }
      }
      this.before.set(v.id, { commitIndex: v.commitIndex, role: v.role, term: v.currentTerm });

      if (v.votedFor !== -1) {
        const key = `${v.id}@${v.currentTerm}`;
        const earlier = this.voteOf.get(key);
        if (!(earlier === undefined || earlier === v.votedFor)) {
          s.fail(`node ${v.id} to vote at most once in term ${v.currentTerm}`, `it voted for node ${earlier} and later for node ${v.votedFor} in that same term`);
        }
        this.voteOf.set(key, v.votedFor);
      }

      v.log.forEach((e, i) => {
        if (!(e.index === i + 1)) s.fail(`entry ${i + 1} of node ${v.id}'s log to have index ${i + 1} (indexes are 1-based, no gaps)`, `node ${v.id}'s log is ${fmtLog(v.log)} and entry ${i + 1} says index ${e.index}`);
      });
      if (!(v.commitIndex <= v.log.length)) s.fail(`node ${v.id}'s commitIndex to point inside its log`, `commitIndex is ${v.commitIndex} but the log has ${v.log.length} entries`);

      // Election safety: at most one leader per term, over the whole run.
      if (v.role === 'LEADER') {
        const other = this.leaderOfTerm.get(v.currentTerm);
        if (!(other === undefined || other === v.id)) s.fail(`at most one leader in term ${v.currentTerm} (election safety)`, `nodes ${other} and ${v.id} were both leader in term ${v.currentTerm}`);
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
          if (!samePrefix(la, lb, i + 1)) {
            s.fail(`nodes ${views[a]!.id} and ${views[b]!.id}, which agree on the term at index ${i + 1}, to have identical logs up to there (log matching)`,
              `node ${views[a]!.id} has ${fmtLog(la)} and node ${views[b]!.id} has ${fmtLog(lb)}`);
          }
          break;
        }
      }
    }

    // State machine safety: once any node calls an index committed, nobody commits anything else there.
    for (const v of views) {
      for (const e of raft.getCommittedEntries(v.id)) {
        const seen = this.committed.get(e.index);
        if (seen) {
          if (!sameEntry(seen.entry, e)) s.fail(`no two nodes to commit different entries at index ${e.index} (state machine safety)`, `node ${seen.node} committed ${fmtEntry(seen.entry)} and node ${v.id} committed ${fmtEntry(e)}`);
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
        if (!sameEntry(v.log[c.entry.index - 1], c.entry)) s.fail(`node ${v.id}, leader of term ${v.currentTerm}, to hold the committed entry ${fmtEntry(c.entry)} (leader completeness)`, `its log is ${fmtLog(v.log)}`);
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
  | { readonly kind: 'partition'; readonly groupOf: readonly number[] }
  | { readonly kind: 'heal' }
  /** A targeted reign: `node` is elected by itself and `voters`, then writes reach only `writeTo`. */
  | { readonly kind: 'reign'; readonly node: number; readonly voters: readonly number[]; readonly writeTo: readonly number[]; readonly writes: number; readonly heartbeat: boolean };

/** Elections a node tries in one 'elect' step: enough to outrun a term it did not know about. */
const CAMPAIGN = 3;

export interface Schedule {
  readonly n: number;
  readonly steps: readonly Step[];
}

/** Cluster sizes the schedules use: even ones too, where a majority of 4 is 3 and of 6 is 4. */
const SIZES = [3, 4, 5, 5, 6] as const;

/** Short random histories: any mix of steps, partitions into up to three groups. */
const randomSteps: fc.Arbitrary<Schedule> = fc.constantFrom(...SIZES).chain((n) => {
  const node = fc.integer({ min: 1, max: n });
  const target = fc.oneof({ weight: 1, arbitrary: node }, { weight: 3, arbitrary: fc.constant('leader' as const) });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: node.map((node) => ({ kind: 'elect', node }) as const) },
    { weight: 5, arbitrary: target.map((node) => ({ kind: 'write', node }) as const) },
    { weight: 2, arbitrary: target.map((node) => ({ kind: 'heartbeat', node }) as const) },
    { weight: 3, arbitrary: node.map((node) => ({ kind: 'fail', node }) as const) },
    { weight: 3, arbitrary: node.map((node) => ({ kind: 'recover', node }) as const) },
    { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }).map((groupOf) => ({ kind: 'partition', groupOf }) as const) },
    { weight: 2, arbitrary: fc.constant({ kind: 'heal' } as const) },
  );
  return fc.record({ n: fc.constant(n), steps: fc.array(step, { maxLength: 25 }) });
});

/**
 * Long targeted histories: several leaders in a row, each elected by a chosen set of voters and
 * then writing to a different subset. These reach the shapes short random mixes rarely do, such
 * as the Raft paper's Figure 8 (an old entry re-replicated to a majority by a later leader).
 */
const reigns: fc.Arbitrary<Schedule> = fc.constantFrom(...SIZES).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const majority = Math.floor(n / 2) + 1;
  const reign: fc.Arbitrary<Step> = fc.integer({ min: 1, max: n }).chain((node) => {
    const others = ids.filter((id) => id !== node);
    return fc.record({
      kind: fc.constant('reign' as const),
      node: fc.constant(node),
      // Just enough voters to win: who is left out decides which logs the next leader may lack.
      voters: fc.shuffledSubarray(others, { minLength: majority - 1, maxLength: majority - 1 }).map(sorted),
      writeTo: fc.subarray(others).map(sorted),
      writes: fc.integer({ min: 0, max: 2 }),
      heartbeat: fc.boolean(),
    });
  });
  return fc.record({ n: fc.constant(n), steps: fc.array(reign, { minLength: 3, maxLength: 8 }) });
});

function sorted(ids: readonly number[]): number[] {
  return [...ids].sort((a, b) => a - b);
}

export const schedules: fc.Arbitrary<Schedule> = fc.oneof(randomSteps, reigns);

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
    case 'partition':
      return `the network splits into ${fmtGroups(split(step.groupOf, w.ids))}`;
    case 'heal':
      return 'the network heals';
    case 'reign': {
      const voters = step.voters.length ? `{${step.voters.join(',')}}` : 'nobody else';
      const to = step.writeTo.length ? `{${step.writeTo.join(',')}}` : 'no other node';
      const what = [step.writes ? `${step.writes} client write${step.writes > 1 ? 's' : ''}` : '', step.heartbeat ? 'a heartbeat' : ''].filter(Boolean).join(' and ');
      const then = what ? `if it wins, it then reaches only ${to} and sends ${what}` : 'if it wins, it sends nothing';
      return `node ${step.node} runs for leader reaching only ${voters}; ${then}`;
    }
  }
}

function fmtGroups(groups: readonly (readonly number[])[]): string {
  const parts = groups.map((g) => `{${g.join(',')}}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
}

function split(groupOf: readonly number[], ids: readonly number[]): number[][] {
  return [0, 1, 2].map((g) => ids.filter((_, i) => groupOf[i] === g)).filter((group) => group.length > 0);
}

/** `inside` in one group, every other node alone. */
function isolateAllBut(inside: readonly number[], ids: readonly number[]): number[][] {
  return [[...inside], ...ids.filter((id) => !inside.includes(id)).map((id) => [id])];
}

function setGroups(raft: Raft, w: World, groups: number[][]): void {
  w.groups = groups;
  raft.partition(groups);
}

/** An 'elect' step, with the check that a win had a majority of the cluster voting for the winner. */
function campaign(node: number, raft: Raft, w: World, s: Scenario): boolean {
  let won = false;
  for (let i = 0; i < CAMPAIGN && !won; i++) won = raft.startElection(node);
  if (!won) return false;
  const me = raft.getNode(node);
  const voters = w.ids.filter((id) => {
    const v = raft.getNode(id);
    return v.currentTerm === me.currentTerm && v.votedFor === node;
  });
  s.expect(voters.length >= w.majority, `node ${node} to win only with votes from ${w.majority} of ${w.n} nodes in term ${me.currentTerm}`, () =>
    `startElection returned true, but only nodes {${voters.join(',')}} voted for it in that term`,
  );
  return true;
}

/** A client write to `node`; an acknowledged one must sit on a majority of the cluster's logs. */
function clientWrite(node: number, raft: Raft, w: World, s: Scenario): void {
  const command = w.nextCommand();
  const ok = raft.appendEntry(node, command);
  if (!ok) return;
  const holders = w.ids.filter((id) => raft.getNode(id).log.some((e) => e.command === command));
  s.expect(holders.length >= w.majority, `a write acknowledged by node ${node} ("${command}") to be on at least ${w.majority} of ${w.n} logs`, () =>
    `appendEntry returned true but only nodes {${holders.join(',')}} have it`,
  );
}

/**
 * Applies one step. Writes and elections that report success are checked on the spot: a won
 * election needs a majority of the cluster voting for the winner in its term, and an acknowledged
 * write must sit on a majority of the cluster's logs. A reign calls `afterEach` after its election
 * and after each write, so a monitor sees every action in it, not only the end of the reign.
 */
export function applyStep(step: Step, raft: Raft, w: World, s: Scenario, afterEach: () => void = () => {}): void {
  switch (step.kind) {
    case 'elect':
      campaign(step.node, raft, w, s);
      return;
    case 'write': {
      const node = step.node === 'leader' ? raft.getLeader() : step.node;
      if (node !== -1) clientWrite(node, raft, w, s);
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
      setGroups(raft, w, split(step.groupOf, w.ids));
      return;
    case 'heal':
      w.groups = null;
      raft.heal();
      return;
    case 'reign': {
      setGroups(raft, w, isolateAllBut([step.node, ...step.voters], w.ids));
      const won = campaign(step.node, raft, w, s);
      afterEach();
      if (!won) return;
      setGroups(raft, w, isolateAllBut([step.node, ...step.writeTo], w.ids));
      for (let i = 0; i < step.writes; i++) {
        clientWrite(step.node, raft, w, s);
        afterEach();
      }
      if (step.heartbeat) raft.broadcastHeartbeat(step.node);
      return;
    }
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
