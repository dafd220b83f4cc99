/**
 * Split-brain detection: a node may act as primary only while it can see a majority of the
 * cluster, counted from heartbeats it really received recently. Fill in every TODO, then run
 *   npm run exercise -- run state/split-brain-detector
 *
 * The document's SplitBrainDetector, with its bug fixed: it adds a node to the visible set on a
 * heartbeat but never records WHEN, so its cleanup has nothing to compare and a node that went
 * silent (because the network split) stays "visible" forever.
 */
import type { Clock } from '#workbook/clock';

export type ElectionResult = 'became-primary' | 'another-primary-exists' | 'insufficient-nodes-visible';

/** Asks another node "are you primary?" (in the document, a network call). */
export type AskIsPrimary = (node: string) => boolean;

export class SplitBrainDetector {
  /** A majority of the whole cluster, this node included. */
  readonly requiredQuorum: number;
  private primary = false;
  /** node -> clock time of the last heartbeat received from it */
  private readonly lastHeartbeat = new Map<string, number>();

  constructor(
    readonly nodeId: string,
    readonly clusterSize: number,
    private readonly clock: Clock,
    /** A node whose last heartbeat is older than this is no longer visible. */
    readonly heartbeatTimeoutMs = 30_000,
  ) {
    // TODO: a strict majority of clusterSize (3 of 5, 3 of 4, 2 of 3).
    this.requiredQuorum = 1;
  }

  /** Records that `fromNode` is reachable right now. A heartbeat from this node itself is ignored. */
  heartbeatReceived(fromNode: string): void {
    // TODO: ignore this node's own id; otherwise record WHEN the heartbeat arrived
    // (this.clock.now()) in this.lastHeartbeat. That timestamp is what cleanup compares.
    void fromNode;
  }

  /** Forgets nodes last heard from more than heartbeatTimeoutMs ago (exactly the timeout is still fresh). */
  cleanupStaleHeartbeats(): void {
    // TODO: delete every node whose last heartbeat is MORE than heartbeatTimeoutMs old.
  }

  /** Other nodes heard from within the timeout, sorted. */
  visibleNodes(): string[] {
    // TODO: clean up first, then the nodes left, sorted.
    return [];
  }

  /** This node plus the visible ones make a majority of the cluster. */
  canBePrimary(): boolean {
    // TODO: visible nodes + 1 (this node) >= requiredQuorum.
    return false;
  }

  /** Becomes primary if it sees a majority and none of the visible nodes says it is primary already. */
  attemptPrimaryElection(askIsPrimary: AskIsPrimary): ElectionResult {
    // TODO:
    //   1. No majority visible: 'insufficient-nodes-visible'.
    //   2. Ask each visible node askIsPrimary(node); if one says yes: 'another-primary-exists'.
    //   3. Otherwise become primary: 'became-primary'.
    void askIsPrimary;
    return 'insufficient-nodes-visible';
  }

  /** Steps down when the majority is no longer visible; returns true if it stepped down just now. */
  handleNetworkPartition(): boolean {
    // TODO: a primary that can no longer see a majority steps down (and returns true).
    return false;
  }

  isPrimary(): boolean {
    return this.primary;
  }

  /** Writes are accepted only by a primary that sees a majority at this very moment. */
  acceptsWrites(): boolean {
    // TODO: primary AND a majority visible right now (a primary that has not yet noticed the
    // partition must not take writes either).
    return false;
  }
}
