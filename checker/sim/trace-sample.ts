import { RaftNode, type Applied, type RaftMessage } from '../../solutions/raft/debugging/stale-heartbeat.ts';
import { labelMessage } from '../graders/raft/debugging/harness.ts';
import { Simulation } from './sim.ts';
import { UNRELIABLE } from './network.ts';
import { traceOf, type Trace } from './trace-text.ts';

/**
 * A short, fixed run with every kind of thing a trace draws: an election, client writes and
 * applies, lost and late messages, a partition and its healing, a crash and a restart. The trace
 * tests and the browser check (trace-browser-check.ts) draw it; the same seed gives the same trace.
 */
export function sampleTrace(seed = 11): Trace {
  const ids = [1, 2, 3];
  const sim = new Simulation<RaftMessage, Applied, RaftNode>({
    seed,
    nodes: ids,
    network: UNRELIABLE,
    createNode: (env) => new RaftNode(env),
    label: labelMessage,
    observe: (n) => ({ term: n.currentTerm, role: n.role, commitIndex: n.commitIndex }),
    describeApply: (v) => `${v.index}:${v.command}`,
  });
  const leader = (): number | undefined => ids.find((id) => sim.node(id)?.role === 'leader');
  sim.runUntil(() => leader() !== undefined, 2000);
  sim.request(leader()!, 'a client writes "x"', (n) => n.handleClientRequest('x'));
  sim.runFor(150);
  const first = leader()!;
  sim.note(`node ${first} is cut off`);
  sim.partition([[first], ids.filter((id) => id !== first)]);
  sim.runFor(600);
  sim.heal();
  sim.crash(first);
  sim.runFor(100);
  sim.restart(first);
  const now = leader();
  if (now !== undefined) sim.request(now, 'a client writes "y"', (n) => n.handleClientRequest('y'));
  sim.runFor(300);
  return traceOf(sim.log, ids);
}
