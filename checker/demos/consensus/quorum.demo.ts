import type * as Impl from '../../../solutions/consensus/quorum.ts';
import { createSimClock } from '../../engine/sim-clock.ts';

/**
 * The chapter's quorum client, narrated: a 5-node cluster with RF = 3, R = 2, W = 2 takes writes
 * and reads while nodes fail and recover. Runs on a simulated clock, so "time passes" is instant.
 */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  const clock = createSimClock(0);
  let cluster: Impl.QuorumConsensus;
  try {
    cluster = new impl.QuorumConsensus(5, 3, 2, 2, { clock });
  } catch (error) {
    out(`Could not build the cluster: ${(error as Error).message}`);
    return;
  }

  const show = (v: Impl.VersionedValue | null) =>
    v ? `"${v.value}" (counter ${v.version.counter}, timestamp ${v.version.timestamp} ms)` : 'nothing (null)';
  const status = () => {
    const st = cluster.getStatus();
    out(`  Cluster: R=${st.readQuorum}, W=${st.writeQuorum}, RF=${st.replicationFactor}`);
    for (const node of st.nodes) {
      out(`    node ${node.id}: ${node.active ? 'up  ' : 'DOWN'}  ${node.keys} keys, ${node.pendingHints} hint(s) waiting`);
    }
  };
  const write = (key: string, value: string) => {
    const ok = cluster.write(key, value);
    out(`  write ${key} = "${value}" -> ${ok ? 'acknowledged by a write quorum' : 'FAILED (fewer than W home acks)'}`);
  };
  const read = (key: string, note = '') => out(`  read ${key}${note} -> ${show(cluster.read(key))}`);
  const section = async (title: string, body: () => void | Promise<void>) => {
    out('');
    out(`--- ${title} ---`);
    try {
      await body();
    } catch (error) {
      out(`  (stopped: ${(error as Error).message})`);
    }
  };

  out('=== Quorum reads and writes: 5 nodes, RF = 3, R = 2, W = 2 ===');
  await section('Setup', () => {
    out(`  R + W = 4 > N = 3, strongly consistent: ${cluster.isStronglyConsistent()}`);
    for (const w of cluster.getWarnings()) out(`  warning: ${w}`);
    for (const key of ['user:1', 'user:5', 'user:6']) out(`  home replicas of ${key}: [${cluster.homeReplicas(key).join(', ')}]`);
    status();
  });

  await section('Test 1: one write, one read', () => {
    write('user:1', 'Alice');
    read('user:1');
  });

  await section('Test 2: a few more keys', () => {
    write('user:2', 'Bob');
    write('user:3', 'Charlie');
    write('user:4', 'Diana');
    for (const key of ['user:2', 'user:3', 'user:4']) read(key);
  });

  await section('Test 3: node 2 fails', () => {
    cluster.simulateFailure(2);
    out('  node 2 is down');
    write('user:5', 'Eve');
    read('user:5');
    status();
  });

  await section('Test 4: node 4 fails too', () => {
    cluster.simulateFailure(4);
    out(`  nodes 2 and 4 are down; home replicas of user:6 are still [${cluster.homeReplicas('user:6').join(', ')}]`);
    write('user:6', 'Frank');
    out('  (the write succeeds only if at least 2 of those 3 home replicas are up; a hint waits for each one that is down)');
    status();
  });

  await section('Test 5: nodes 2 and 4 recover (hints are handed over)', () => {
    cluster.simulateRecovery(2);
    cluster.simulateRecovery(4);
    status();
    write('user:7', 'Grace');
    read('user:7');
    read('user:6');
  });

  await section('Test 6: three updates to one key', () => {
    write('counter', '1');
    clock.advanceSync(10);
    out('  (10 ms pass)');
    write('counter', '2');
    write('counter', '3');
    out('  (no time passed between the last two writes: the version counter still orders them)');
    read('counter', ' (should be "3")');
  });

  await section('Test 7: a stale replica gets repaired by a read', () => {
    const [a, b, c] = cluster.homeReplicas('doc');
    if (a === undefined || b === undefined || c === undefined) {
      out('  homeReplicas returned fewer than 3 nodes');
      return;
    }
    write('doc', 'draft');
    cluster.simulateFailure(b);
    cluster.simulateFailure(c);
    out(`  nodes ${b} and ${c} fail; only node ${a} can take the next write`);
    write('doc', 'final');
    cluster.simulateRecovery(b);
    out(`  node ${b} recovers still holding ${show(cluster.getReplicaValue(b, 'doc'))} (a failed write leaves no hints)`);
    read('doc', ` (replies from nodes ${a} and ${b})`);
    out(`  after read repair node ${b} holds ${show(cluster.getReplicaValue(b, 'doc'))}`);
  });

  out('');
  out(`Messages sent in total: ${cluster.getMessageCount()}`);
  cluster.shutdown();
}
