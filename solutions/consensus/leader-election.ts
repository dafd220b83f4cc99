/**
 * Leader election with the Bully algorithm (reference solution).
 *
 * Every node knows every id. The live node with the highest id is the leader: a node that
 * starts an election asks every higher node "are you there?"; any live higher node answers and
 * takes the election over; the node that hears no answer from above declares victory. The leader
 * then sends heartbeats, and a follower that hears none for longer than the timeout starts a new
 * election.
 *
 * The cluster is simulated in one process: "sending" a message means updating the recipient's
 * record, and a crashed node neither answers nor receives anything.
 */
import { systemClock, type Clock, type TimerHandle } from '#workbook/clock';

export const NodeState = {
  FOLLOWER: 'FOLLOWER',
  CANDIDATE: 'CANDIDATE',
  LEADER: 'LEADER',
} as const;
export type NodeState = (typeof NodeState)[keyof typeof NodeState];

interface ClusterNode {
  readonly id: number;
  state: NodeState;
  /** The leader this node believes in, -1 while it knows of none. */
  leaderId: number;
  /** When this node last heard from a leader (victory message or heartbeat). */
  lastHeartbeat: number;
  /** Every id above this one, ascending: the nodes that would bully it. */
  readonly higherNodes: readonly number[];
}

export class LeaderElection {
  private readonly nodes = new Map<number, ClusterNode>();
  private readonly alive = new Set<number>();
  private readonly clock: Clock;
  private messageCount = 0;
  /** The interval of the one node currently sending heartbeats. */
  private heartbeat: { readonly leaderId: number; readonly handle: TimerHandle } | null = null;

  constructor(
    nodeIds: Iterable<number>,
    private readonly heartbeatTimeoutMs: number,
    options: { clock?: Clock } = {},
  ) {
    if (!(heartbeatTimeoutMs > 0)) throw new RangeError(`heartbeat timeout must be positive, got ${heartbeatTimeoutMs}`);
    this.clock = options.clock ?? systemClock;
    const ids = [...new Set(nodeIds)];
    for (const id of ids) {
      this.nodes.set(id, {
        id,
        state: NodeState.FOLLOWER,
        leaderId: -1,
        lastHeartbeat: this.clock.now(),
        higherNodes: ids.filter((other) => other > id).sort((a, b) => a - b),
      });
      this.alive.add(id);
    }
  }

  /** Starts a Bully election from `nodeId`. A crashed node cannot start anything. */
  startElection(nodeId: number): void {
    this.node(nodeId);
    if (!this.alive.has(nodeId)) return;
    // One election round: every node that joins it runs its own election once. Without this
    // set, node 1 would wake 2, 3, 4, 5; node 2 would wake 3, 4, 5 again, and so on: 2^n runs.
    this.runElection(nodeId, new Set<number>());
  }

  private runElection(nodeId: number, started: Set<number>): void {
    if (started.has(nodeId)) return;
    started.add(nodeId);
    const node = this.node(nodeId);
    node.state = NodeState.CANDIDATE;

    let answered = false;
    for (const higherId of node.higherNodes) {
      this.messageCount++; // ELECTION to a higher node, sent whether or not it is up
      if (!this.alive.has(higherId)) continue; // a crashed node never answers
      this.messageCount++; // ANSWER: "I am here, I take over"
      answered = true;
      this.runElection(higherId, started);
    }

    // Nobody above answered: this node is the highest live id and wins.
    if (!answered) this.becomeLeader(nodeId);
  }

  private becomeLeader(nodeId: number): void {
    const leader = this.node(nodeId);
    const now = this.clock.now();
    leader.state = NodeState.LEADER;
    leader.leaderId = nodeId;
    leader.lastHeartbeat = now;

    // VICTORY to everyone else. Live nodes, including a lower node that led until now, become
    // followers of the new leader; a crashed node misses the message and learns on recovery.
    for (const other of this.nodes.values()) {
      if (other.id === nodeId) continue;
      this.messageCount++;
      if (!this.alive.has(other.id)) continue;
      other.state = NodeState.FOLLOWER;
      other.leaderId = nodeId;
      other.lastHeartbeat = now;
    }
    this.startHeartbeat(nodeId);
  }

  private startHeartbeat(leaderId: number): void {
    this.stopHeartbeat(); // only the current leader beats
    // Half the timeout: a follower hears at least one beat per timeout even if one is late.
    const periodMs = Math.max(1, Math.floor(this.heartbeatTimeoutMs / 2));
    const handle = this.clock.setInterval(() => {
      const leader = this.nodes.get(leaderId);
      if (!leader || !this.alive.has(leaderId) || leader.state !== NodeState.LEADER) {
        this.stopHeartbeat();
        return;
      }
      const now = this.clock.now();
      for (const other of this.nodes.values()) {
        if (other.id === leaderId) continue;
        this.messageCount++;
        if (this.alive.has(other.id)) other.lastHeartbeat = now;
      }
    }, periodMs);
    this.heartbeat = { leaderId, handle };
  }

  private stopHeartbeat(): void {
    if (this.heartbeat === null) return;
    this.clock.clearInterval(this.heartbeat.handle);
    this.heartbeat = null;
  }

  /** Called by a follower now and then: starts an election once the leader has been silent too long. */
  checkLeaderHealth(nodeId: number): void {
    const node = this.node(nodeId);
    if (!this.alive.has(nodeId) || node.state === NodeState.LEADER) return;
    // Silence for exactly the timeout is still tolerated; only longer silence means failure.
    if (this.clock.now() - node.lastHeartbeat > this.heartbeatTimeoutMs) {
      this.startElection(nodeId);
    }
  }

  simulateFailure(nodeId: number): void {
    const node = this.node(nodeId);
    if (!this.alive.delete(nodeId)) return;
    // A crashed process sends nothing more, heartbeats included.
    if (this.heartbeat?.leaderId === nodeId) this.stopHeartbeat();
    if (node.state === NodeState.LEADER) {
      // The followers cannot see the crash; they check, and only the timeout will tell them.
      for (const other of this.nodes.values()) {
        if (this.alive.has(other.id)) this.checkLeaderHealth(other.id);
      }
    }
  }

  /** The node restarts as a follower that knows no leader and bullies its way in if it is highest. */
  simulateRecovery(nodeId: number): void {
    const node = this.node(nodeId);
    if (this.alive.has(nodeId)) return;
    this.alive.add(nodeId);
    node.state = NodeState.FOLLOWER;
    node.leaderId = -1;
    node.lastHeartbeat = this.clock.now();
    this.startElection(nodeId);
  }

  /** The live node in the LEADER state, or -1. */
  getLeader(): number {
    for (const node of this.nodes.values()) {
      if (node.state === NodeState.LEADER && this.alive.has(node.id)) return node.id;
    }
    return -1;
  }

  getNodeState(nodeId: number): NodeState {
    return this.node(nodeId).state;
  }

  getLeaderSeenBy(nodeId: number): number {
    return this.node(nodeId).leaderId;
  }

  getMessageCount(): number {
    return this.messageCount;
  }

  shutdown(): void {
    this.stopHeartbeat();
  }

  private node(nodeId: number): ClusterNode {
    const node = this.nodes.get(nodeId);
    if (!node) throw new RangeError(`unknown node ${nodeId}`);
    return node;
  }
}
