import type * as Impl from '../../../../solutions/consensus/debugging/incident.ts';
import { createSimClock } from '../../../engine/sim-clock.ts';

/** The incident: a partition, a second leader, and a deposed leader still writing to shared storage. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    const clock = createSimClock(0);
    const cluster = new impl.Cluster([1, 2, 3, 4, 5], { clock, leaseMs: 1000 });
    const stored = (ok: boolean): string => (ok ? 'stored' : 'refused');
    out(`Node 1 runs an election: ${cluster.electLeader(1) ? 'leader' : 'lost'} (term ${cluster.getTerm(1)})`);
    out(`Node 1 writes balance=100: ${stored(cluster.write(1, 'balance', '100'))}`);
    cluster.partition([[1, 2], [3, 4, 5]]);
    out('The network splits into {1, 2} and {3, 4, 5}');
    out(`Node 3 runs an election on the big side: ${cluster.electLeader(3) ? 'leader' : 'lost'} (term ${cluster.getTerm(3)})`);
    out(`Node 3 writes balance=70: ${stored(cluster.write(3, 'balance', '70'))}`);
    const stale = cluster.write(1, 'balance', '150');
    out(`Node 1, cut off, writes balance=150: ${stored(stale)}${stale ? '  <- a deposed leader overwrote the new leader\'s value' : ''}`);
    out('(1.2 s pass; node 3 renews its lease every 600 ms, node 1 cannot reach a majority)');
    await clock.advance(600);
    cluster.renewLease(3);
    cluster.renewLease(1);
    await clock.advance(600);
    cluster.renewLease(3);
    out(`Is node 1 still leader? ${cluster.isLeader(1) ? 'yes  <- no lease: it leads forever without a majority' : 'no: its lease ran out'}`);
    const minority = cluster.electLeader(2);
    out(`Node 2 runs an election on the small side (2 of 5 nodes): ${minority ? 'leader  <- a minority elected its own leader' : 'lost'}`);
    if (minority) out(`Node 2 writes balance=5: ${stored(cluster.write(2, 'balance', '5'))}`);
    cluster.heal();
    out('The network heals');
    const leaders = [1, 2, 3, 4, 5].filter((id) => cluster.isLeader(id));
    out(`Leaders now: ${leaders.join(', ') || 'none'}${leaders.length > 1 ? '  <- split brain' : ''}`);
    const balance = cluster.storage.read('balance');
    out(`Storage holds balance=${balance}${balance === '70' ? ' (the legitimate leader\'s value)' : ': the legitimate leader (node 3) wrote 70, a stale or minority leader overwrote it'}`);
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
