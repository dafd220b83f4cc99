/**
 * Exercise: leader election with the Bully algorithm.
 *
 * Implement the methods marked TODO so that the live node with the highest id becomes leader,
 * followers notice a dead leader only once its heartbeats have been missing for longer than the
 * timeout, and a recovered higher node takes over again.
 *
 * The cluster is simulated in one process: "sending" a message means updating the recipient's
 * record, and a crashed node neither answers nor receives anything. Count every message you send
 * (election, answer, victory, heartbeat) in `messageCount`.
 *
 * Use `this.clock` for time and timers (never Date.now or setInterval): the grader drives a
 * simulated clock.
 *
 * Check your work: npm run exercise -- run consensus/leader-election
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
    // TODO:
    // 1. A node that is down does nothing.
    // 2. The node becomes a CANDIDATE and sends an ELECTION message to every higher id.
    // 3. Each live higher node answers (another message) and runs its own election in turn.
    //    Make sure each node runs at most once per round, or the messages grow as 2^n.
    // 4. A candidate that got no answer from above is the highest live node: becomeLeader.
  }

  private becomeLeader(nodeId: number): void {
    // TODO:
    // 1. Mark the node LEADER; it believes in itself.
    // 2. Send VICTORY to every other node: each live one becomes a FOLLOWER of this leader
    //    (even one that was leader before) and counts this as hearing from the leader now.
    // 3. Start the heartbeats.
  }

  private startHeartbeat(leaderId: number): void {
    // TODO:
    // 1. Stop any heartbeat still running for a previous leader.
    // 2. Every heartbeatTimeoutMs / 2 on this.clock, if the leader is still up and still LEADER,
    //    send a heartbeat to each other node: live ones note the current time.
    // 3. Keep the handle so shutdown (and a crash of the leader) can stop it.
  }

  private stopHeartbeat(): void {
    // TODO: clear the heartbeat interval, if one is running, and forget its handle.
  }

  /** Called by a follower now and then: starts an election once the leader has been silent too long. */
  checkLeaderHealth(nodeId: number): void {
    // TODO:
    // 1. A node that is down, or the leader itself, does nothing.
    // 2. If more than heartbeatTimeoutMs have passed since this node last heard from a leader,
    //    it starts an election. Not before: a slow heartbeat is not a dead leader.
    this.node(nodeId);
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
    // TODO: stop the heartbeats so no timer is left running.
  }

  private node(nodeId: number): ClusterNode {
    const node = this.nodes.get(nodeId);
    if (!node) throw new RangeError(`unknown node ${nodeId}`);
    return node;
  }
}
