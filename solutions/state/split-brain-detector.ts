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
    this.requiredQuorum = Math.floor(clusterSize / 2) + 1;
  }

  /** Records that `fromNode` is reachable right now. A heartbeat from this node itself is ignored. */
  heartbeatReceived(fromNode: string): void {
    if (fromNode === this.nodeId) return;
    this.lastHeartbeat.set(fromNode, this.clock.now());
    this.cleanupStaleHeartbeats();
  }

  /** Forgets nodes last heard from more than heartbeatTimeoutMs ago (exactly the timeout is still fresh). */
  cleanupStaleHeartbeats(): void {
    const now = this.clock.now();
    for (const [node, at] of this.lastHeartbeat) if (now - at > this.heartbeatTimeoutMs) this.lastHeartbeat.delete(node);
  }

  /** Other nodes heard from within the timeout, sorted. */
  visibleNodes(): string[] {
    this.cleanupStaleHeartbeats();
    return [...this.lastHeartbeat.keys()].sort();
  }

  /** This node plus the visible ones make a majority of the cluster. */
  canBePrimary(): boolean {
    return this.visibleNodes().length + 1 >= this.requiredQuorum;
  }

  /** Becomes primary if it sees a majority and none of the visible nodes says it is primary already. */
  attemptPrimaryElection(askIsPrimary: AskIsPrimary): ElectionResult {
    if (!this.canBePrimary()) return 'insufficient-nodes-visible';
    for (const node of this.visibleNodes()) if (askIsPrimary(node)) return 'another-primary-exists';
    this.primary = true;
    return 'became-primary';
  }

  /** Steps down when the majority is no longer visible; returns true if it stepped down just now. */
  handleNetworkPartition(): boolean {
    if (this.primary && !this.canBePrimary()) {
      this.primary = false;
      return true;
    }
    return false;
  }

  isPrimary(): boolean {
    return this.primary;
  }

  /** Writes are accepted only by a primary that sees a majority at this very moment. */
  acceptsWrites(): boolean {
    return this.primary && this.canBePrimary();
  }
}
