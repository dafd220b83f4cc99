import type { ApplyMsg, ClientReply, NodeId, RaftMessage, RaftView } from '#workbook/raft-node';
import type * as Impl from '../../../solutions/raft/raft-node.ts';
import { isScenarioFailure, onSeparateMachines, ScenarioFailure, type GradeContext, type Scenario } from '../../engine/grader.ts';
import { Simulation } from '../../sim/sim.ts';
import { formatEvent, type SimEvent } from '../../sim/events.ts';
import { RELIABLE, describeFault, type NetworkProfile, type TimelineStep } from '../../sim/network.ts';
import { SafetyMonitor } from './monitor.ts';
import { labelMessage } from './messages.ts';

/**
 * A Raft cluster on the simulator, as the raft graders drive it: learner nodes, a service above
 * each node that records what it applies (and asks for snapshots), the safety monitor after every
 * event, and the labs' vocabulary for tests: disconnect, connect, crash, restart, waitForLeader, one.
 */
export type RaftImpl = typeof Impl;
export type Ctx = GradeContext<RaftImpl>;
export type RaftNode = InstanceType<RaftImpl['RaftNode']>;

/** The chapter's timing, and the grader's limits built on it (virtual ms). */
export const TIMING = { tickMs: 10, heartbeatMs: 50, electionMinMs: 150, electionMaxMs: 300, rpcTimeoutMs: 100 } as const;
/** A majority that can talk elects a leader within this long (several election rounds). */
export const ELECTION_LIMIT_MS = 2000;
/** A command submitted to a leader of a connected majority commits within this long. */
export const AGREEMENT_LIMIT_MS = 2000;

export interface ClusterOptions {
  readonly n: number;
  readonly seed: number;
  readonly network?: NetworkProfile;
  /** Persistence is graded: terms and votes must survive restarts. */
  readonly durable?: boolean;
  /** The service asks its node for a snapshot after every this many applied commands. */
  readonly snapshotEvery?: number;
  readonly keepLog?: boolean;
  /** Record every message sent, for `sentOf` (default true; random runs turn it off: it costs memory). */
  readonly recordSent?: boolean;
}

interface Service { incarnation: number; commands: string[] }
export interface Sent { readonly time: number; readonly from: NodeId; readonly to: NodeId; readonly message: RaftMessage }

export class Cluster {
  /** The cluster built last, and the last one whose run failed: traces of a failure are drawn from its event log. */
  static latest: Cluster | undefined;
  static lastFailed: Cluster | undefined;

  /** The event log of the run a failure came from (the smallest failing random run, after shrinking). */
  static failingRunLog(): readonly SimEvent[] | undefined {
    return (Cluster.lastFailed ?? Cluster.latest)?.sim.log;
  }

  /** Call before running a requirement, so a trace never shows an earlier requirement's run. */
  static forget(): void {
    Cluster.latest = undefined;
    Cluster.lastFailed = undefined;
  }

  readonly sim: Simulation<RaftMessage, ApplyMsg, RaftNode>;
  readonly monitor: SafetyMonitor;
  readonly ids: NodeId[];
  readonly sent: Sent[] = [];
  private readonly services = new Map<NodeId, Service>();
  private readonly disconnected = new Set<NodeId>();
  private readonly snapshotsDue: { id: NodeId; index: number; incarnation: number }[] = [];
  private checking = false;
  /** The view `observe` read right after the last handled event (reused by the monitor). */
  private fresh: RaftView | undefined;

  /** `machines.freshImpl` gives each node, and each restart of one, a module of its own. */
  constructor(machines: Pick<Ctx, 'freshImpl'>, readonly s: Scenario, private readonly options: ClusterOptions) {
    this.ids = Array.from({ length: options.n }, (_, i) => i + 1);
    this.monitor = new SafetyMonitor(s, options.durable ?? false);
    this.sim = new Simulation<RaftMessage, ApplyMsg, RaftNode>({
      seed: options.seed,
      nodes: this.ids,
      network: options.network ?? RELIABLE,
      keepLog: options.keepLog ?? true,
      createNode: onSeparateMachines(machines, (impl, env) => new impl.RaftNode(env)),
      label: labelMessage,
      observe: (node) => {
        const v = node.inspect();
        this.fresh = v;
        return { term: v.term, role: v.role, commitIndex: v.commitIndex };
      },
      describeApply: (a) => (a.kind === 'command' ? `#${a.index} "${a.command}"` : `snapshot through #${a.index}`),
      onSend: options.recordSent === false ? undefined : (from, to, message) => { this.sent.push({ time: this.sim.now, from, to, message }); },
      onApply: (id, msg, incarnation) => this.onApply(id, msg, incarnation),
      afterEvent: (e) => this.afterEvent(e),
    });
    Cluster.latest = this;
    // Nodes built in the constructor were not checked yet.
    for (const id of this.ids) this.checkNode(id);
  }

  get now(): number { return this.sim.now; }

  view(id: NodeId): RaftView | undefined {
    return this.sim.node(id)?.inspect();
  }

  role(id: NodeId): string { return this.view(id)?.role ?? 'down'; }
  term(id: NodeId): number { return this.view(id)?.term ?? -1; }

  /** Up and not disconnected. */
  connected(): NodeId[] {
    return this.ids.filter((id) => this.sim.isUp(id) && !this.disconnected.has(id));
  }

  /** The current leader among `among`: a leader whose term is the highest any of them has. */
  leaderAmong(among: readonly NodeId[] = this.connected()): NodeId | undefined {
    const views = among.map((id) => [id, this.view(id)] as const).filter((x): x is readonly [NodeId, RaftView] => !!x[1]);
    const top = Math.max(...views.map(([, v]) => v.term));
    return views.find(([, v]) => v.role === 'leader' && v.term === top)?.[0];
  }

  /** Commands node `id`'s service holds, by index (1-based: [0] is index 1). */
  appliedBy(id: NodeId): readonly string[] {
    const svc = this.services.get(id);
    return svc && svc.incarnation === this.sim.incarnation(id) && this.sim.isUp(id) ? svc.commands : [];
  }

  /** How many up nodes applied `command` at `index`. */
  appliedCount(index: number, command: string): number {
    return this.ids.filter((id) => this.appliedBy(id)[index - 1] === command).length;
  }

  // ---- faults, in the learner's words ----------------------------------------------------------

  disconnect(id: NodeId): void {
    this.s.step(`at ${this.now} ms, node ${id} is cut off from the others`);
    this.disconnected.add(id);
    this.applyLinks();
  }

  connect(id: NodeId): void {
    this.s.step(`at ${this.now} ms, node ${id} is reconnected`);
    this.disconnected.delete(id);
    this.applyLinks();
  }

  crash(id: NodeId): void {
    this.s.step(`at ${this.now} ms, node ${id} crashes`);
    this.sim.crash(id);
  }

  restart(id: NodeId): void {
    this.s.step(`at ${this.now} ms, node ${id} restarts from what it persisted`);
    this.sim.restart(id);
    this.checkNode(id);
  }

  private applyLinks(): void {
    if (this.disconnected.size === 0) return this.sim.heal();
    const rest = this.ids.filter((id) => !this.disconnected.has(id));
    this.sim.partition([rest, ...[...this.disconnected].map((id) => [id])]);
  }

  /** Scripted faults; the disconnect bookkeeping follows partitions and heals. */
  schedule(steps: readonly TimelineStep[]): void {
    this.sim.schedule(steps);
  }

  describe(steps: readonly TimelineStep[]): void {
    for (const st of steps) this.s.step(`at ${st.at} ms, ${describeFault(st.fault)}`);
  }

  // ---- clients ------------------------------------------------------------------------------

  request(id: NodeId, command: string): ClientReply | undefined {
    return this.sim.request(id, `"${command}"`, (node) => node.handleClientRequest(command));
  }

  /** Runs until a leader of the connected nodes exists, or fails the scenario. */
  waitForLeader(limitMs = ELECTION_LIMIT_MS, among?: () => readonly NodeId[]): NodeId {
    const group = among ?? (() => this.connected());
    const start = this.now;
    const ok = this.sim.runUntil(() => this.leaderAmong(group()) !== undefined, limitMs);
    this.s.expect(ok, `a leader among nodes {${group().join(',')}} within ${limitMs} ms`, () =>
      `after ${this.now - start} ms there is none (roles: ${group().map((id) => `${id}: ${this.role(id)} t${this.term(id)}`).join(', ')})`);
    return this.leaderAmong(group())!;
  }

  /**
   * The labs' `one`: submit `command` to whoever leads, retrying on a new leader, until at least
   * `expected` nodes applied it at one index; returns that index, or fails after `limitMs`.
   */
  one(command: string, expected: number, limitMs = 10_000): number {
    this.s.step(`at ${this.now} ms, a client submits "${command}" to the leader and waits for ${expected} nodes to apply it`);
    const end = this.now + limitMs;
    let index = 0;
    while (this.now < end) {
      const leader = this.leaderAmong();
      const reply = leader !== undefined ? this.request(leader, command) : undefined;
      if (reply?.ok) {
        index = reply.index;
        const done = () => this.appliedCount(index, command) >= expected;
        if (this.sim.runUntil(done, Math.min(AGREEMENT_LIMIT_MS, end - this.now))) return index;
      } else {
        this.sim.runFor(TIMING.heartbeatMs);
      }
    }
    const where = index ? ` (last accepted at index ${index}, applied by ${this.appliedCount(index, command)})` : '';
    return this.s.fail(`"${command}" to be applied by ${expected} nodes within ${limitMs} ms`, `it was not${where}`);
  }

  /** Checks that every up node's service holds the same commands where they overlap, and at least `upTo` of them. */
  expectAllApplied(upTo: number, nodes: readonly NodeId[] = this.connected()): void {
    for (const id of nodes) {
      const mine = this.appliedBy(id);
      this.s.expect(mine.length >= upTo, `node ${id} to have applied at least ${upTo} commands`, `it applied ${mine.length}`);
    }
  }

  // ---- the service and the monitor -----------------------------------------------------------

  private onApply(id: NodeId, msg: ApplyMsg, incarnation: number): void {
    let svc = this.services.get(id);
    if (!svc || svc.incarnation !== incarnation) this.services.set(id, (svc = { incarnation, commands: [] }));
    this.s.expect(msg.kind === 'command' || msg.kind === 'snapshot', `node ${id} to hand its service {kind: 'command', ...} or {kind: 'snapshot', ...}`, () => `it handed kind ${JSON.stringify(msg.kind)}`);
    this.monitor.checkApply(id, msg, incarnation, () => Math.max(0, ...this.ids.map((x) => this.view(x)?.term ?? 0)));
    if (msg.kind === 'snapshot') {
      let commands: unknown;
      try { commands = JSON.parse(msg.data); } catch { commands = undefined; }
      this.s.expect(Array.isArray(commands) && commands.length === msg.index, `the snapshot node ${id} hands its service to be one the service made, through index ${msg.index}`, () => `its data is ${JSON.stringify(msg.data).slice(0, 80)}`);
      svc.commands = commands as string[];
      svc.commands.forEach((command, i) => {
        const c = this.monitor.committed.get(i + 1);
        this.s.expect(!c || c.command === command, `the snapshot node ${id} restores to agree with what was committed at index ${i + 1}`, () => `it holds "${command}" there, committed was "${c!.command}"`);
      });
      return;
    }
    svc.commands[msg.index - 1] = msg.command;
    const every = this.options.snapshotEvery;
    if (every && msg.index % every === 0) this.snapshotsDue.push({ id, index: msg.index, incarnation });
  }

  private afterEvent(e: SimEvent | undefined): void {
    if (this.checking || !e) return;
    try {
      this.checkAfter(e);
    } catch (error) {
      // Name the event after which a property broke: the steps alone stop at the last fault.
      if (!isScenarioFailure(error)) throw error;
      throw new ScenarioFailure({ ...error.report, steps: [...error.report.steps, `the check failed right after this event: ${formatEvent(e).trim()}`] });
    }
  }

  private checkAfter(e: SimEvent): void {
    const touched = e.kind === 'deliver' || e.kind === 'duplicate' ? e.to
      : e.kind === 'timer' || e.kind === 'client-request' || e.kind === 'restart' ? e.node : undefined;
    if (touched !== undefined) {
      const v = this.fresh;
      this.fresh = undefined;
      if (v && this.sim.isUp(touched)) this.monitor.checkNode(touched, v, this.sim.incarnation(touched));
      else this.checkNode(touched);
    }
    // The service asks for snapshots between events, never from inside the node's own apply call.
    this.checking = true;
    try {
      while (this.snapshotsDue.length > 0) {
        const due = this.snapshotsDue.shift()!;
        if (this.sim.incarnation(due.id) !== due.incarnation) continue;
        const data = JSON.stringify(this.appliedBy(due.id).slice(0, due.index));
        this.sim.request(due.id, `snapshot through #${due.index}`, (node) => node.snapshot(due.index, data));
        this.checkNode(due.id);
      }
    } finally {
      this.checking = false;
    }
  }

  private checkNode(id: NodeId): void {
    const v = this.view(id);
    if (v) this.monitor.checkNode(id, v, this.sim.incarnation(id));
  }

  // ---- messages -----------------------------------------------------------------------------

  /** Messages of one type sent since `since` (virtual ms), optionally from/to given nodes. */
  sentOf<T extends RaftMessage['type']>(type: T, filter: { since?: number; from?: NodeId; to?: NodeId } = {}): (Sent & { message: Extract<RaftMessage, { type: T }> })[] {
    return this.sent.filter((m) => m.message.type === type && m.time >= (filter.since ?? 0) && (filter.from === undefined || m.from === filter.from) && (filter.to === undefined || m.to === filter.to)) as never;
  }

  countSince(since: number): number {
    return this.sent.filter((m) => m.time >= since).length;
  }
}

export function cluster(ctx: Ctx, s: Scenario, options: Omit<ClusterOptions, 'seed'> & { seed?: number }): Cluster {
  return new Cluster(ctx, s, { ...options, seed: options.seed ?? ctx.seed });
}

/**
 * A single live node (the others crashed at time 0), so only the messages a scenario injects reach
 * it. Time does not move: nothing has happened yet but the nodes' start.
 */
export function alone(ctx: Ctx, s: Scenario, n: number, id: NodeId, options: Omit<ClusterOptions, 'seed' | 'n'> = {}): Cluster {
  const c = cluster(ctx, s, { ...options, n });
  for (const other of c.ids) if (other !== id) c.sim.crash(other);
  return c;
}

/** Runs until node `id` (its peers down) times out and stands for election; returns the term it runs in. */
export function untilCandidate(c: Cluster, id: NodeId): number {
  c.sim.runUntil(() => c.role(id) === 'candidate', 1000);
  const term = c.term(id);
  c.s.step(`at ${c.now} ms node ${id} times out and runs for term ${term}`);
  return term;
}

/** Hands candidate `id` the granted votes of `voters` in `term`, and expects it to lead. */
export function electByHand(c: Cluster, id: NodeId, term: number, voters: readonly NodeId[]): void {
  for (const from of voters) inject(c, from, id, { type: 'VoteReply', term, voteGranted: true }, `node ${from}'s VoteReply granting its vote in term ${term}`);
  c.s.expectEqual(c.role(id), 'leader', `node ${id}'s role (${voters.length + 1} of ${c.ids.length} votes, its own included)`);
}

/**
 * Delivers a message by hand, told as a step of the scenario: node `to` has handled it when this
 * returns, and nothing else has happened (`Simulation.inject`); an event due at the same
 * millisecond waits for the scenario to move time.
 */
export function inject(c: Cluster, from: NodeId, to: NodeId, m: RaftMessage, words: string): void {
  c.s.step(`at ${c.now} ms, node ${to} receives from node ${from}: ${words}`);
  c.sim.inject(from, to, m);
}

/**
 * Delivers a message by hand (as `inject`) and returns what node `to` sent in answer: exactly the
 * messages it sent while handling it, nothing from a timer or a delivery due at the same time.
 */
export function answersTo(c: Cluster, from: NodeId, to: NodeId, m: RaftMessage, words: string): Sent[] {
  const before = c.sent.length;
  inject(c, from, to, m, words);
  return c.sent.slice(before).filter((x) => x.from === to);
}
