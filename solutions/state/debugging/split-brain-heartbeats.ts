/**
 * A split-brain detector: a node may act as primary only while it can see a majority of the cluster
 * (itself included). "Seeing" a node means having had a heartbeat from it recently.
 *
 * The contract (times from the clock you are given, in milliseconds):
 *   - a node counts as visible from a heartbeat at time t until t + heartbeatTimeoutMs inclusive
 *     (default 30 000): heard at 0, still visible at 30 000, gone at 30 001. A later heartbeat
 *     extends that;
 *   - `canBePrimary()` is true while the visible nodes plus this one reach the quorum, floor(N/2) + 1;
 *   - `attemptPrimaryElection(askIsPrimary)` becomes primary only with a quorum in sight and no
 *     visible node answering that it is primary itself;
 *   - `handleNetworkPartition()` is called regularly: a primary that no longer sees a quorum steps down.
 *
 * Reported symptom: a switch failure cut a 5-node database cluster into {db1, db2} and {db3, db4, db5}.
 * db1, the primary, kept accepting writes for the rest of the afternoon, while the larger side elected
 * db3. Every node had been running the detector, and the network had been cut for hours.
 *
 * Run it: npx tsx exercises/state/debugging/split-brain-heartbeats.ts
 * Grade it: npm run exercise -- challenge state/4
 */
import type { Clock } from '#workbook/clock';

export type ElectionResult = 'became_primary' | 'another_primary_exists' | 'insufficient_nodes_visible';

export interface SplitBrainDetectorOptions {
  /** How long a heartbeat keeps its sender visible. Default 30 000 ms. */
  readonly heartbeatTimeoutMs?: number;
}

export class SplitBrainDetector {
  /** Nodes, this one included, that a primary must see: a majority of the cluster. */
  readonly requiredQuorum: number;
  isPrimary = false;
  private readonly heartbeatTimeoutMs: number;
  private readonly visible = new Set<string>();
  /** When each visible node was last heard from. */
  private readonly lastHeartbeat: Record<string, number> = {};

  constructor(
    readonly nodeId: string,
    readonly clusterSize: number,
    private readonly clock: Clock,
    options: SplitBrainDetectorOptions = {},
  ) {
    this.requiredQuorum = Math.floor(clusterSize / 2) + 1;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 30_000;
  }

  /** A heartbeat from another node arrived. */
  heartbeatReceived(from: string): void {
    if (from === this.nodeId) return;
    this.visible.add(from);
    // Without the time of the heartbeat, a node once seen can never become stale.
    this.lastHeartbeat[from] = this.clock.now();
    this.cleanupStaleHeartbeats();
  }

  /** The other nodes this one can currently see, sorted. */
  visibleNodes(): string[] {
    this.cleanupStaleHeartbeats();
    return [...this.visible].sort();
  }

  canBePrimary(): boolean {
    this.cleanupStaleHeartbeats();
    return this.visible.size + 1 >= this.requiredQuorum;
  }

  /** `askIsPrimary(node)` asks a visible node whether it is primary itself. */
  attemptPrimaryElection(askIsPrimary: (node: string) => boolean): ElectionResult {
    if (!this.canBePrimary()) return 'insufficient_nodes_visible';
    for (const node of this.visible) if (askIsPrimary(node)) return 'another_primary_exists';
    this.isPrimary = true;
    return 'became_primary';
  }

  /** Steps down when cut off from the majority. */
  handleNetworkPartition(): void {
    if (this.isPrimary && !this.canBePrimary()) this.isPrimary = false;
  }

  private cleanupStaleHeartbeats(): void {
    const cutoff = this.clock.now() - this.heartbeatTimeoutMs;
    for (const node of [...this.visible]) {
      const last = this.lastHeartbeat[node];
      if (last !== undefined && last < cutoff) this.visible.delete(node);
    }
  }
}

function main(): void {
  let now = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: () => 0, clearTimeout: () => {}, setInterval: () => 0, clearInterval: () => {}, sleep: async () => {},
  };
  const names = ['db1', 'db2', 'db3', 'db4', 'db5'];
  const nodes = names.map((id) => new SplitBrainDetector(id, names.length, clock));
  const side = (id: string): number => (id === 'db1' || id === 'db2' ? 0 : 1);
  const beat = (split: boolean): void => {
    for (const to of nodes) for (const from of nodes) if (from !== to && (!split || side(from.nodeId) === side(to.nodeId))) to.heartbeatReceived(from.nodeId);
  };
  beat(false);
  console.log(`t=0 s: all connected; db1 ${nodes[0]!.attemptPrimaryElection((n) => nodes[names.indexOf(n)]!.isPrimary)}`);
  console.log('the network splits into {db1, db2} | {db3, db4, db5}; heartbeats every 5 s on each side');
  for (let t = 5; t <= 120; t += 5) {
    now = t * 1000;
    beat(true);
    for (const node of nodes) node.handleNetworkPartition();
  }
  const db3 = nodes[2]!;
  console.log(`t=120 s: db3 ${db3.attemptPrimaryElection((n) => side(n) === 1 && nodes[names.indexOf(n)]!.isPrimary)}`);
  for (const node of nodes) console.log(`  ${node.nodeId}: sees ${node.visibleNodes().join(', ')}; primary: ${node.isPrimary}`);
}

if (import.meta.filename === process.argv[1]) main();
