/**
 * Incident: leader election gone wrong.
 *
 * A five-node service elects one leader, and only the leader writes to the shared storage. During a
 * network partition both sides ran a leader and both wrote "balance" to storage; the small side even
 * elected a leader of its own. When the network healed, two nodes still believed they were leader,
 * and storage held a value that no legitimate leader had chosen.
 * What the design is missing is for you to find (q0 in the brief).
 *
 * Run it: npx tsx exercises/consensus/debugging/incident.ts
 * Grade it: npm run exercise -- run consensus/debugging/incident
 */
import { type Clock, systemClock } from '#workbook/clock';

/** What the nodes see of the shared storage. */
export interface SharedStorage {
  write(key: string, value: string, fencingToken: number): boolean;
  read(key: string): string | undefined;
  getHighestToken(): number;
}

/** Shared storage every node can reach, whatever the network between the nodes does. */
export class Storage implements SharedStorage {
  private readonly data = new Map<string, string>();
  private highestToken = 0;

  /** Stores `value`; `fencingToken` is the writer's token, recorded for auditing. */
  write(key: string, value: string, fencingToken: number): boolean {
    this.highestToken = Math.max(this.highestToken, fencingToken);
    this.data.set(key, value);
    return true;
  }

  read(key: string): string | undefined {
    return this.data.get(key);
  }

  getHighestToken(): number {
    return this.highestToken;
  }
}

interface NodeState {
  readonly id: number;
  role: 'leader' | 'follower';
  leaderId: number | null;
}

export interface ClusterOptions {
  readonly clock?: Clock;
  /** Lease length for leaders (ms); this service does not use leases yet. */
  readonly leaseMs?: number;
}

export class Cluster {
  readonly storage: SharedStorage = new Storage();
  private readonly nodes = new Map<number, NodeState>();
  /** Node id -> partition group number; all 0 when the network is whole. */
  private readonly group = new Map<number, number>();
  private readonly clock: Clock;
  private messageCount = 0;

  constructor(nodeIds: readonly number[], options: ClusterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    for (const id of nodeIds) {
      this.nodes.set(id, { id, role: 'follower', leaderId: null });
      this.group.set(id, 0);
    }
  }

  /** Splits the network: nodes in different groups cannot reach each other. Unlisted nodes are isolated. */
  partition(groups: readonly (readonly number[])[]): void {
    let next = 1;
    for (const id of this.nodes.keys()) this.group.set(id, -id);
    for (const members of groups) {
      for (const id of members) this.group.set(id, next);
      next++;
    }
  }

  heal(): void {
    for (const id of this.nodes.keys()) this.group.set(id, 0);
  }

  canReach(from: number, to: number): boolean {
    return this.group.get(from) === this.group.get(to);
  }

  /** The candidate runs an election among the nodes it can reach; true when it became leader. */
  electLeader(candidateId: number): boolean {
    const candidate = this.node(candidateId);
    const reachable = this.reachableFrom(candidateId);
    let votes = 0;
    for (const voter of reachable) {
      if (voter.id !== candidateId) this.messageCount++;
      votes++;
    }
    if (votes < Math.floor(reachable.length / 2) + 1) return false;
    for (const follower of reachable) {
      follower.role = 'follower';
      follower.leaderId = candidateId;
    }
    candidate.role = 'leader';
    return true;
  }

  /** True while `nodeId` is leader. */
  isLeader(nodeId: number): boolean {
    return this.node(nodeId).role === 'leader';
  }

  /** The leader heartbeats the nodes it can reach so they keep following it. */
  renewLease(nodeId: number): boolean {
    if (!this.isLeader(nodeId)) return false;
    const reachable = this.reachableFrom(nodeId);
    this.messageCount += reachable.length - 1;
    for (const follower of reachable) follower.leaderId = nodeId;
    return true;
  }

  /** A write through `nodeId`; only a leader writes. */
  write(nodeId: number, key: string, value: string): boolean {
    if (!this.isLeader(nodeId)) return false;
    this.messageCount++;
    return this.storage.write(key, value, this.getTerm(nodeId));
  }

  /** The fencing token the node writes with: every node writes with 0, the service has no terms. */
  getTerm(nodeId: number): number {
    this.node(nodeId);
    return 0;
  }

  getLeaderOf(nodeId: number): number | null {
    return this.node(nodeId).leaderId;
  }

  getMessageCount(): number {
    return this.messageCount;
  }

  private reachableFrom(id: number): NodeState[] {
    return [...this.nodes.values()].filter((n) => this.canReach(id, n.id));
  }

  private node(id: number): NodeState {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }
}

/** A clock that only moves when told to, so the story runs instantly. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    setInterval: () => 0,
    clearInterval: () => undefined,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

function main(): void {
  const clock = manualClock();
  const cluster = new Cluster([1, 2, 3, 4, 5], { clock, leaseMs: 1000 });
  const say = (text: string): void => console.log(`${String(clock.now()).padStart(5)} ms  ${text}`);
  const outcome = (ok: boolean): string => (ok ? 'stored' : 'refused');
  say(`node 1 runs an election: ${cluster.electLeader(1) ? 'leader' : 'lost'} (term ${cluster.getTerm(1)})`);
  say(`node 1 writes balance=100: ${outcome(cluster.write(1, 'balance', '100'))}`);
  cluster.partition([[1, 2], [3, 4, 5]]);
  say('the network splits into {1, 2} and {3, 4, 5}');
  say(`node 3 runs an election on the big side: ${cluster.electLeader(3) ? 'leader' : 'lost'} (term ${cluster.getTerm(3)})`);
  say(`node 3 writes balance=70: ${outcome(cluster.write(3, 'balance', '70'))}`);
  say(`node 1, cut off but still leader in its own eyes, writes balance=150: ${outcome(cluster.write(1, 'balance', '150'))}`);
  say(`node 2 runs an election on the small side: ${cluster.electLeader(2) ? 'leader' : 'lost'}`);
  say(`node 2 writes balance=5: ${outcome(cluster.write(2, 'balance', '5'))}`);
  clock.advance(600);
  say(`node 3 renews its lease: ${cluster.renewLease(3) ? 'renewed' : 'failed'}; node 1 renews: ${cluster.renewLease(1) ? 'renewed' : 'failed'}`);
  clock.advance(600);
  say(`node 3 renews its lease: ${cluster.renewLease(3) ? 'renewed' : 'failed'}`);
  cluster.heal();
  say('the network heals');
  say(`node 1 writes balance=999: ${outcome(cluster.write(1, 'balance', '999'))}`);
  const leaders = [1, 2, 3, 4, 5].filter((id) => cluster.isLeader(id));
  say(`leaders now: ${leaders.join(', ') || 'none'}; storage holds balance=${cluster.storage.read('balance')}`);
}

if (import.meta.filename === process.argv[1]) main();
