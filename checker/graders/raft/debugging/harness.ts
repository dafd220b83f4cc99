import type * as Impl from '../../../../solutions/raft/debugging/stale-heartbeat.ts';
import { onSeparateMachines, type GradeContext, type Scenario } from '../../../engine/grader.ts';
import { Simulation } from '../../../sim/sim.ts';
import { RELIABLE, type NetworkProfile } from '../../../sim/network.ts';
import type { MessageLabel, SimEvent } from '../../../sim/events.ts';
import { withTrace } from '../../../sim/traced.ts';

/**
 * The cluster every Raft debugging challenge is graded on: the challenge's own RaftNode class on the
 * seeded simulator, with Raft's safety properties checked after every event. A broken property
 * fails the scenario at the event that broke it, and the failure carries the run's space-time
 * diagram (and its event log, for `trace`).
 */

export type Mod = typeof Impl;
export type Node = Impl.RaftNode;
export type Message = Impl.RaftMessage;
export type Applied = Impl.Applied;
export type Sim = Simulation<Message, Applied, Node>;

/** Challenges 9 and 10 number their AppendEntries and answer with the number instead of a matchIndex. */
const seqOf = (m: Message): string => {
  const seq = (m as { readonly seq?: unknown }).seq;
  return typeof seq === 'number' ? ` #${seq}` : '';
};

export function labelMessage(m: Message): MessageLabel {
  switch (m.type) {
    case 'RequestVote': return { type: m.type, summary: `t${m.term} last=${m.lastLogIndex}/t${m.lastLogTerm}` };
    case 'RequestVoteReply': return { type: m.type, summary: `t${m.term} ${m.voteGranted ? 'granted' : 'refused'}` };
    case 'AppendEntries': return { type: m.type, summary: `t${m.term} prev=${m.prevLogIndex}/t${m.prevLogTerm} +${m.entries.length} commit=${m.leaderCommit}${seqOf(m)}` };
    case 'AppendEntriesReply': {
      const ok = typeof m.matchIndex === 'number' ? `ok match=${m.matchIndex}` : 'ok';
      return { type: m.type, summary: `t${m.term} ${m.success ? ok : 'rejected'}${seqOf(m)}` };
    }
    default: return { type: 'message', summary: '' };
  }
}

const describeLog = (log: readonly Impl.LogEntry[]): string => `[${log.map((e) => `${e.command}(t${e.term})`).join(', ')}]`;

export interface Cluster {
  readonly sim: Sim;
  readonly ids: readonly number[];
  readonly majority: number;
  /** The live, running leader with the highest term, if any. */
  leader(): number | undefined;
  /** Nodes that are up and not paused. */
  running(): number[];
  /** Commands each node has applied in its current incarnation, in order. */
  applied(id: number): readonly string[];
  /** Sends a client write to node `id` (default: the leader); false when it is not accepted there. */
  write(command: string, id?: number): boolean;
  /** Runs until every running node has applied `command`; false if `limitMs` pass first. */
  awaitApplied(command: string, limitMs: number, nodes?: readonly number[]): boolean;
  awaitLeader(limitMs: number, among?: readonly number[]): number | undefined;
  describe(id: number): string;
}

export interface ClusterOptions {
  readonly nodes?: number;
  readonly network?: NetworkProfile;
  /** Seed of the simulation; the requirement's seed by default. */
  readonly seed?: number;
  /** Sees every message sent, as the network will carry it (a copy: read it, do not keep or change it). */
  readonly onSend?: (from: number, to: number, message: Message) => void;
}

/**
 * Builds a cluster whose every event is checked against Raft's safety properties:
 * one leader per term, one vote per node per term, a leader holds a majority of its term's votes,
 * log matching, committed entries stored on a majority, and every node applying each committed
 * command exactly once, in index order, the same command at the same index everywhere.
 */
export function startCluster(ctx: GradeContext<Mod>, s: Scenario, options: ClusterOptions = {}): Cluster {
  const ids = Array.from({ length: options.nodes ?? 3 }, (_, i) => i + 1);
  const majority = Math.floor(ids.length / 2) + 1;
  const leaders = new Map<number, number>();
  /** term -> (node -> the node it voted for in that term). */
  const votes = new Map<number, Map<number, number>>();
  const votesIn = (term: number): Map<number, number> => {
    let inTerm = votes.get(term);
    if (!inTerm) votes.set(term, (inTerm = new Map()));
    return inTerm;
  };
  const appliedBy = new Map<number, { incarnation: number; commands: string[] }>();
  const appliedAt = new Map<number, string>();
  let sim!: Sim;

  const logOf = (id: number): readonly Impl.LogEntry[] => {
    const node = sim.node(id);
    if (node) return node.log;
    // Read as stored (a copy per event was most of this check's cost); only read here.
    const saved = sim.storedState(id) as { log?: Impl.LogEntry[] } | undefined;
    return saved?.log ?? [];
  };

  // Checked after every event, so nothing is allocated unless a check fails: arrays reused, no
  // keys built, holders counted rather than listed. Node ids are 1..n.
  const up: Node[] = [];
  const upIds: number[] = [];
  const logsById: (readonly Impl.LogEntry[])[] = [];
  const holdersOf = (c: number, entry: Impl.LogEntry): number[] => ids.filter((h) => {
    const e = logsById[h - 1]![c - 1];
    return e !== undefined && e.term === entry.term && e.command === entry.command;
  });
  const checkInvariants = (): void => {
    up.length = 0;
    upIds.length = 0;
    for (const id of ids) {
      const node = sim.node(id);
      const log = node ? node.log : logOf(id);
      logsById[id - 1] = log;
      if (node) {
        up.push(node);
        upIds.push(id);
      }
    }
    for (let k = 0; k < up.length; k++) {
      const n = up[k]!;
      const id = upIds[k]!;
      if (n.votedFor !== null) {
        const inTerm = votesIn(n.currentTerm);
        const earlier = inTerm.get(id);
        if (earlier === undefined) inTerm.set(id, n.votedFor);
        else if (earlier !== n.votedFor) {
          s.fail(`node ${id} to vote at most once in term ${n.currentTerm}`, `it voted for node ${earlier} and then for node ${n.votedFor} in term ${n.currentTerm}`);
        }
      }
      if (n.role === 'leader') {
        const other = leaders.get(n.currentTerm);
        if (other !== undefined && other !== id) {
          s.fail(`at most one leader in term ${n.currentTerm}`, `nodes ${other} and ${id} were both leader of term ${n.currentTerm}`);
        }
        if (other === undefined) {
          const inTerm = votesIn(n.currentTerm);
          const voters = ids.filter((v) => inTerm.get(v) === id);
          if (voters.length < majority) {
            s.fail(`node ${id} to become leader of term ${n.currentTerm} only with votes of that term from ${majority} of ${ids.length} nodes`,
              `it became leader while only {${voters.join(',')}} had voted for it in term ${n.currentTerm}`);
          }
          leaders.set(n.currentTerm, id);
        }
      }
    }
    for (let i = 0; i < upIds.length; i++) {
      for (let j = i + 1; j < upIds.length; j++) checkLogMatching(s, upIds[i]!, logsById[upIds[i]! - 1]!, upIds[j]!, logsById[upIds[j]! - 1]!);
    }
    for (let k = 0; k < up.length; k++) {
      const c = up[k]!.commitIndex;
      if (c === 0) continue;
      const id = upIds[k]!;
      const entry = logsById[id - 1]![c - 1];
      if (entry === undefined) {
        s.fail(`node ${id} to keep every entry it has committed`, `its commitIndex is ${c} but its log is ${describeLog(logsById[id - 1]!)}`);
      }
      let held = 0;
      for (const log of logsById) {
        const e = log[c - 1];
        if (e !== undefined && e.term === entry.term && e.command === entry.command) held++;
      }
      if (held < majority) {
        s.fail(`the entry node ${id} has committed at index ${c} (${entry.command}(t${entry.term})) to be stored on at least ${majority} of ${ids.length} nodes`,
          `only {${holdersOf(c, entry).join(',')}} hold it; logs: ${ids.map((h) => `${h}:${describeLog(logsById[h - 1]!)}`).join(' ')}`);
      }
    }
  };

  const onApply = (id: number, value: Applied, incarnation: number): void => {
    let record = appliedBy.get(id);
    if (!record || record.incarnation !== incarnation) appliedBy.set(id, (record = { incarnation, commands: [] }));
    const expectedIndex = record.commands.length + 1;
    if (value.index !== expectedIndex) {
      s.fail(`node ${id} to apply each committed entry exactly once, in order: index ${expectedIndex} next`,
        `it applied index ${value.index} (${JSON.stringify(value.command)}) after applying ${record.commands.length} entr${record.commands.length === 1 ? 'y' : 'ies'}${value.index < expectedIndex ? ': that index a second time' : ''}`);
    }
    const agreed = appliedAt.get(value.index);
    if (agreed !== undefined && agreed !== value.command) {
      s.fail(`every node to apply the same command at index ${value.index} (${JSON.stringify(agreed)})`, `node ${id} applied ${JSON.stringify(value.command)} there`);
    }
    appliedAt.set(value.index, value.command);
    record.commands.push(value.command);
  };

  sim = new Simulation<Message, Applied, Node>({
    seed: options.seed ?? ctx.seed,
    nodes: ids,
    network: options.network ?? RELIABLE,
    createNode: onSeparateMachines(ctx, (impl, env) => new impl.RaftNode(env)),
    label: labelMessage,
    observe: (n) => ({ term: n.currentTerm, role: n.role, commitIndex: n.commitIndex }),
    describeApply: (v) => `${v.index}:${v.command}`,
    onApply,
    ...(options.onSend ? { onSend: options.onSend } : {}),
    afterEvent: checkInvariants,
  });

  const running = (): number[] => ids.filter((id) => sim.node(id) && !sim.isPaused(id));
  const leader = (): number | undefined => {
    let best: number | undefined;
    for (const id of running()) {
      const n = sim.node(id)!;
      if (n.role === 'leader' && (best === undefined || n.currentTerm > sim.node(best)!.currentTerm)) best = id;
    }
    return best;
  };
  const applied = (id: number): readonly string[] => (sim.node(id) ? appliedBy.get(id)?.commands ?? [] : []);
  return {
    sim,
    ids,
    majority,
    leader,
    running,
    applied,
    write(command, id = leader()) {
      if (id === undefined) return false;
      const reply = sim.request(id, `a client writes ${JSON.stringify(command)} to node ${id}`, (n) => n.handleClientRequest(command));
      return reply?.ok === true;
    },
    awaitApplied(command, limitMs, nodes) {
      const who = (): number[] => nodes ? [...nodes] : running();
      return sim.runUntil(() => who().every((id) => applied(id).includes(command)), limitMs);
    },
    awaitLeader(limitMs, among) {
      const ok = sim.runUntil(() => {
        const l = leader();
        return l !== undefined && (!among || among.includes(l));
      }, limitMs);
      return ok ? leader() : undefined;
    },
    describe(id) {
      const n = sim.node(id);
      if (!n) return `node ${id} is down`;
      return `node ${id}: ${n.role}, term ${n.currentTerm}, voted for ${n.votedFor ?? 'nobody'}, log ${describeLog(n.log)}, commitIndex ${n.commitIndex}`;
    },
  };
}

function checkLogMatching(s: Scenario, a: number, logA: readonly Impl.LogEntry[], b: number, logB: readonly Impl.LogEntry[]): void {
  for (let i = Math.min(logA.length, logB.length); i >= 1; i--) {
    if (logA[i - 1]!.term !== logB[i - 1]!.term) continue;
    for (let k = 1; k <= i; k++) {
      const x = logA[k - 1]!;
      const y = logB[k - 1]!;
      if (x.term !== y.term || x.command !== y.command) {
        s.fail(`logs that agree on the term at index ${i} to be identical up to it (log matching)`,
          `nodes ${a} and ${b} both hold a term-${logA[i - 1]!.term} entry at index ${i} but differ at index ${k}: ${describeLog(logA)} and ${describeLog(logB)}`);
      }
    }
    return;
  }
}

/** Runs `body` on a cluster; a failing scenario comes back with the run's diagram and events. */
export function traced(cluster: Cluster, body: () => void): void {
  withTrace(cluster.sim, body);
}

export type { SimEvent };
