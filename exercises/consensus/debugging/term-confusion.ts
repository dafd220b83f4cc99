/**
 * Challenge 3: Term confusion in RequestVote.
 *
 * What a user reported: "Our leader crashed and the cluster never elected a new one. Every
 * election in the new term ended with the candidate's vote alone, although four nodes were up."
 *
 * This is a complete program: Raft elections reduced to terms and votes. It contains exactly one
 * bug. Run it to see the report reproduced, then find and fix it:
 *
 *   npx tsx exercises/consensus/debugging/term-confusion.ts
 *   npm run exercise -- run consensus/debugging/term-confusion
 */

/** One node's election state. */
export class VoterState {
  currentTerm = 0;
  /** Who this node voted for in `currentTerm`, or null if it has not voted in that term. */
  votedFor: number | null = null;

  constructor(readonly id: number) {}
}

export interface VoterView {
  readonly id: number;
  readonly currentTerm: number;
  readonly votedFor: number | null;
}

export class RaftElections {
  private readonly nodes = new Map<number, VoterState>();
  private readonly nodeActive = new Map<number, boolean>();
  /** The winner of each term that had one. */
  private readonly leaderOfTerm = new Map<number, number>();
  private readonly majoritySize: number;
  private messageCount = 0;

  constructor(nodeIds: readonly number[]) {
    for (const id of nodeIds) {
      this.nodes.set(id, new VoterState(id));
      this.nodeActive.set(id, true);
    }
    this.majoritySize = Math.floor(nodeIds.length / 2) + 1;
  }

  simulateFailure(nodeId: number): void {
    if (this.nodes.has(nodeId)) this.nodeActive.set(nodeId, false);
  }

  simulateRecovery(nodeId: number): void {
    if (this.nodes.has(nodeId)) this.nodeActive.set(nodeId, true);
  }

  /** RequestVote, as handled by the voter. Returns whether the vote is granted. */
  requestVote(voterId: number, candidateId: number, candidateTerm: number): boolean {
    const voter = this.nodes.get(voterId);
    if (!voter) return false;

    if (candidateTerm < voter.currentTerm) {
      return false; // a candidate from an older term
    }

    voter.currentTerm = candidateTerm;

    if (voter.votedFor === null) {
      voter.votedFor = candidateId;
      return true;
    }
    return false;
  }

  /** The candidate starts a new term, votes for itself, and asks every node that is up. */
  startElection(candidateId: number): boolean {
    const candidate = this.nodes.get(candidateId);
    if (!candidate || !this.nodeActive.get(candidateId)) return false;
    candidate.currentTerm++;
    candidate.votedFor = candidateId;
    const term = candidate.currentTerm;

    let votes = 1;
    for (const nodeId of this.nodes.keys()) {
      if (nodeId === candidateId || !this.nodeActive.get(nodeId)) continue;
      this.messageCount++;
      if (this.requestVote(nodeId, candidateId, term)) votes++;
    }
    if (votes >= this.majoritySize) {
      this.leaderOfTerm.set(term, candidateId);
      return true;
    }
    return false;
  }

  /** The leader elected in `term`, if any. */
  leaderOf(term: number): number | undefined {
    return this.leaderOfTerm.get(term);
  }

  /** The leader of the newest term that elected one, if any. */
  currentLeader(): { readonly id: number; readonly term: number } | undefined {
    const terms = [...this.leaderOfTerm.keys()];
    if (terms.length === 0) return undefined;
    const term = Math.max(...terms);
    return { id: this.leaderOfTerm.get(term)!, term };
  }

  getNode(id: number): VoterView | undefined {
    const node = this.nodes.get(id);
    return node && { id: node.id, currentTerm: node.currentTerm, votedFor: node.votedFor };
  }

  getMajoritySize(): number {
    return this.majoritySize;
  }

  getMessageCount(): number {
    return this.messageCount;
  }
}

/** The reported scenario: node 3 voted for node 5 in term 1; node 1 asks it in term 2. */
export function main(): void {
  const cluster = new RaftElections([1, 2, 3, 4, 5]);
  const show = (id: number): string => {
    const n = cluster.getNode(id);
    return `term ${n?.currentTerm}, votedFor ${n?.votedFor ?? 'nobody'}`;
  };
  console.log(`Term 1: node 5 asks node 3 -> ${cluster.requestVote(3, 5, 1) ? 'granted' : 'refused'} (node 3: ${show(3)})`);
  console.log(`Term 2: node 1 asks node 3 -> ${cluster.requestVote(3, 1, 2) ? 'granted' : 'refused'} (node 3: ${show(3)})`);

  // The same trap in a whole election: node 5 wins term 1, then crashes.
  const elections = new RaftElections([1, 2, 3, 4, 5]);
  elections.startElection(5);
  elections.simulateFailure(5);
  console.log('Node 5 won term 1 and then crashed');
  for (const candidate of [1, 2, 3]) {
    const won = elections.startElection(candidate);
    console.log(`Node ${candidate} runs in term ${elections.getNode(candidate)?.currentTerm}: ${won ? 'elected' : 'not elected'}`);
    if (won) break;
  }
  const leader = elections.currentLeader();
  console.log(leader && leader.term > 1 ? `New leader: node ${leader.id} (term ${leader.term})` : 'No new leader: the cluster cannot accept writes');
}

if (import.meta.filename === process.argv[1]) main();
