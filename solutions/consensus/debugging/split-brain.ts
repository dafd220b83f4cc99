/**
 * Challenge 1: Split-brain in leader election (reference, fixed).
 *
 * A small cluster that elects leaders by majority vote, with terms, and a switch to cut the
 * network into groups. Nodes in different groups cannot reach each other.
 *
 * Run it: npx tsx solutions/consensus/debugging/split-brain.ts
 */

export type Role = 'follower' | 'candidate' | 'leader';

/** One node's election state. */
export class ElectionNode {
  role: Role = 'follower';
  currentTerm = 0;
  /** Who this node voted for in `currentTerm`, or null if it has not voted in that term. */
  votedFor: number | null = null;

  constructor(readonly id: number) {}
}

/** What a caller may look at: a copy, so nobody changes a node behind the cluster's back. */
export interface NodeView {
  readonly id: number;
  readonly role: Role;
  readonly currentTerm: number;
  readonly votedFor: number | null;
}

export class MajorityElection {
  private readonly nodes = new Map<number, ElectionNode>();
  /** For each node, the index of the group it sits in; every node in group 0 when healed. */
  private readonly groupOf = new Map<number, number>();
  private readonly majoritySize: number;
  private messageCount = 0;

  constructor(nodeIds: readonly number[]) {
    for (const id of nodeIds) {
      this.nodes.set(id, new ElectionNode(id));
      this.groupOf.set(id, 0);
    }
    // A majority of the WHOLE cluster, not of whoever happens to be reachable.
    this.majoritySize = Math.floor(nodeIds.length / 2) + 1;
  }

  /** Cuts the network: nodes talk only to nodes in their own group. Unlisted nodes sit alone. */
  partition(groups: readonly (readonly number[])[]): void {
    let next = groups.length;
    for (const id of this.nodes.keys()) this.groupOf.set(id, next++);
    groups.forEach((group, index) => {
      for (const id of group) if (this.nodes.has(id)) this.groupOf.set(id, index);
    });
  }

  /** Repairs the network: everyone reaches everyone again. */
  heal(): void {
    for (const id of this.nodes.keys()) this.groupOf.set(id, 0);
  }

  canReach(from: number, to: number): boolean {
    return this.nodes.has(from) && this.nodes.has(to) && this.groupOf.get(from) === this.groupOf.get(to);
  }

  /**
   * RequestVote, as handled by the voter: refuse a stale term, adopt a newer one (forgetting the
   * vote of the older term), and grant at most one vote per term.
   */
  requestVote(voterId: number, candidateId: number, candidateTerm: number): boolean {
    const voter = this.nodes.get(voterId);
    if (!voter) return false;
    if (candidateTerm < voter.currentTerm) return false;
    if (candidateTerm > voter.currentTerm) {
      voter.currentTerm = candidateTerm;
      voter.votedFor = null;
      voter.role = 'follower';
    }
    if (voter.votedFor === null || voter.votedFor === candidateId) {
      voter.votedFor = candidateId;
      return true;
    }
    return false;
  }

  /** The candidate asks every other node for its vote and becomes leader on a majority. */
  startElection(candidateId: number): boolean {
    const candidate = this.nodes.get(candidateId);
    if (!candidate) return false;
    candidate.role = 'candidate';
    candidate.currentTerm++;
    candidate.votedFor = candidateId;

    let votesReceived = 1; // its own vote
    for (const nodeId of this.nodes.keys()) {
      if (nodeId === candidateId) continue;
      const voteGranted = this.sendRequestVote(candidateId, nodeId, candidate.currentTerm);
      if (voteGranted) votesReceived++;
    }

    if (votesReceived >= this.majoritySize) {
      this.becomeLeader(candidateId);
      return true;
    }
    candidate.role = 'follower';
    return false;
  }

  /** Ids of the nodes that currently believe they are leader, lowest first. */
  leaders(): number[] {
    return [...this.nodes.values()].filter((n) => n.role === 'leader').map((n) => n.id).sort((a, b) => a - b);
  }

  getNode(id: number): NodeView | undefined {
    const node = this.nodes.get(id);
    return node && { id: node.id, role: node.role, currentTerm: node.currentTerm, votedFor: node.votedFor };
  }

  getMajoritySize(): number {
    return this.majoritySize;
  }

  getMessageCount(): number {
    return this.messageCount;
  }

  /** A vote request over the network: it only arrives if the two nodes can reach each other. */
  private sendRequestVote(candidateId: number, voterId: number, term: number): boolean {
    if (!this.canReach(candidateId, voterId)) return false;
    this.messageCount++;
    return this.requestVote(voterId, candidateId, term);
  }

  private becomeLeader(id: number): void {
    const node = this.nodes.get(id);
    if (node) node.role = 'leader';
  }
}

/** The scenario the user reported: 5 nodes, partition {1,2} | {3,4,5}, nodes 1 and 3 start elections. */
export function main(): void {
  const cluster = new MajorityElection([1, 2, 3, 4, 5]);
  console.log(`5 nodes, majority ${cluster.getMajoritySize()}`);
  cluster.partition([[1, 2], [3, 4, 5]]);
  console.log('Network partition: {1,2} | {3,4,5}');
  console.log(`Node 1 starts an election: ${cluster.startElection(1) ? 'won' : 'lost'}`);
  console.log(`Node 3 starts an election: ${cluster.startElection(3) ? 'won' : 'lost'}`);
  const leaders = cluster.leaders();
  for (const id of leaders) console.log(`  node ${id} is leader of term ${cluster.getNode(id)?.currentTerm}`);
  console.log(leaders.length > 1 ? `SPLIT-BRAIN: ${leaders.length} leaders` : `Leaders: ${leaders.length === 0 ? 'none' : leaders.join(', ')}`);
}

if (import.meta.filename === process.argv[1]) main();
