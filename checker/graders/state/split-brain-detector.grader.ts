import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/split-brain-detector.ts';
import { checkSchedules, defineGrader, sameShown, show, type Scenario } from '../../engine/grader.ts';
import type { SimClock } from '../../engine/sim-clock.ts';

type Module = typeof Impl;
type Detector = Impl.SplitBrainDetector;
const names = (n: number) => Array.from({ length: n }, (_, i) => `db${i + 1}`);

/** Every node hears a heartbeat from every other node on its side of the split. */
function heartbeatRound(detectors: Map<string, Detector>, sides: readonly (readonly string[])[]): void {
  for (const side of sides) for (const to of side) for (const from of side) if (from !== to) detectors.get(to)!.heartbeatReceived(from);
}

function expectVisible(s: Scenario, d: Detector, want: string[], why: string): void {
  const got = d.visibleNodes();
  if (!sameShown(got, want)) s.fail(`${d.nodeId}'s visibleNodes() to be ${show(want)} (${why})`, `it was ${show(got)}`);
}

export default defineGrader<Module>({
  requiredExports: ['SplitBrainDetector'],
  requirements: [
    {
      id: 'majority-size',
      title: 'The quorum is a strict majority of the whole cluster (2 of 3, 3 of 4, 3 of 5, 4 of 6)',
      kind: 'safety',
      check: ({ impl, simClock, scenario }) => {
        for (const [size, quorum] of [[1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [6, 4], [7, 4]] as const) {
          const s = scenario(`a detector for db1 in a cluster of ${size}`);
          s.expectEqual(new impl.SplitBrainDetector('db1', size, simClock()).requiredQuorum, quorum, 'requiredQuorum');
        }
        const s = scenario('a detector for db1 in a cluster of 4; heartbeats from db2 only');
        const d = new impl.SplitBrainDetector('db1', 4, simClock());
        d.heartbeatReceived('db2');
        d.heartbeatReceived('db2');
        d.heartbeatReceived('db1');
        s.step('heartbeats from db2 (twice) and from db1 itself');
        s.expectEqual(d.canBePrimary(), false, 'canBePrimary() (db1 and db2 are 2 of 4: half is not a majority)');
        expectVisible(s, d, ['db2'], 'its own heartbeat does not count, a repeated one counts once');
      },
    },
    {
      id: 'only-majority-side-acts',
      title: 'A 5-node cluster split {db1, db2} | {db3, db4, db5}: only the majority side elects a primary, and only one',
      kind: 'safety',
      check: ({ impl, simClock, scenario }) => {
        const clock = simClock();
        const s = scenario('detectors db1-db5 (cluster of 5, timeout 30000 ms); the network splits into {db1, db2} and {db3, db4, db5}');
        const detectors = new Map(names(5).map((n) => [n, new impl.SplitBrainDetector(n, 5, clock)]));
        heartbeatRound(detectors, [['db1', 'db2'], ['db3', 'db4', 'db5']]);
        s.step('every node receives heartbeats from the nodes on its side');
        const ask = (node: string) => detectors.get(node)!.isPrimary();
        const want: Record<string, Impl.ElectionResult> = { db1: 'insufficient-nodes-visible', db2: 'insufficient-nodes-visible', db3: 'became-primary', db4: 'another-primary-exists', db5: 'another-primary-exists' };
        for (const node of names(5)) {
          s.step(`${node} attempts a primary election (it may ask the nodes it sees whether they are primary)`);
          s.expectEqual(detectors.get(node)!.attemptPrimaryElection(ask), want[node]!, `${node}'s election result`);
        }
        s.expectEqual(names(5).filter((n) => detectors.get(n)!.acceptsWrites()), ['db3'], 'the nodes accepting writes');
      },
    },
    {
      id: 'heartbeat-timeout-boundary',
      title: 'A node stays visible until its last heartbeat is more than the timeout old: visible at the timeout and one ms before, gone one ms after (default 30 s, and a custom timeout)',
      kind: 'safety',
      check: ({ impl, simClock, scenario }) => {
        for (const timeout of [30_000, 1_000, 750] as const) {
          const clock = simClock();
          const custom = timeout !== 30_000;
          const s = scenario(`a detector for db1 in a cluster of 3${custom ? `, heartbeat timeout ${timeout} ms` : ' (default timeout)'}; the clock reads 0`);
          const d = custom ? new impl.SplitBrainDetector('db1', 3, clock, timeout) : new impl.SplitBrainDetector('db1', 3, clock);
          s.step('heartbeat from db2 at 0; the clock moves to 500; heartbeat from db3 at 500');
          d.heartbeatReceived('db2');
          clock.advanceSync(500);
          d.heartbeatReceived('db3');
          const checks: [number, string[]][] = [
            [timeout - 1, ['db2', 'db3']],
            [timeout, ['db2', 'db3']],
            [timeout + 1, ['db3']],
            [timeout + 500, ['db3']],
            [timeout + 501, []],
          ];
          for (const [at, visible] of checks) {
            clock.advanceSync(at - clock.now());
            s.step(`the clock reaches ${at}`);
            expectVisible(s, d, visible, `last heartbeats: db2 at 0, db3 at 500; timeout ${timeout} ms`);
            s.expectEqual(d.canBePrimary(), visible.length > 0, `canBePrimary() with ${visible.length} other node(s) visible (quorum 2 of 3)`);
          }
          s.step('heartbeat from db2 again');
          d.heartbeatReceived('db2');
          expectVisible(s, d, ['db2'], 'a fresh heartbeat makes it visible again');
        }
      },
    },
    {
      id: 'primary-steps-down',
      title: 'A primary whose majority goes silent stops taking writes after the timeout and steps down; one that keeps hearing heartbeats stays primary',
      kind: 'liveness',
      check: ({ impl, simClock, scenario }) => {
        const clock = simClock();
        const s = scenario('detectors db1-db5 (cluster of 5, timeout 30000 ms), all connected');
        const detectors = new Map(names(5).map((n) => [n, new impl.SplitBrainDetector(n, 5, clock)]));
        const ask = (node: string) => detectors.get(node)!.isPrimary();
        heartbeatRound(detectors, [names(5)]);
        const db3 = detectors.get('db3')!;
        s.step('heartbeats everywhere; db3 attempts an election');
        s.expectEqual(db3.attemptPrimaryElection(ask), 'became-primary', "db3's election result");
        s.step('for 5 minutes, heartbeats arrive every 10 s; db3 checks for a partition after each round');
        for (let i = 0; i < 30; i++) {
          clock.advanceSync(10_000);
          heartbeatRound(detectors, [names(5)]);
          if (db3.handleNetworkPartition()) s.fail('db3 to stay primary: it hears from everyone', `handleNetworkPartition() stepped down at ${clock.now()} ms`);
        }
        s.expect(db3.acceptsWrites(), 'db3 to accept writes', 'acceptsWrites() is false');
        s.step('the network splits into {db1, db2, db4, db5} and {db3}: db3 hears nothing more');
        const start = clock.now();
        clock.advanceSync(30_000);
        s.step(`30000 ms after the split (at ${clock.now()}), the last heartbeats are exactly the timeout old`);
        s.expect(db3.acceptsWrites(), 'db3 still to accept writes (heartbeats exactly 30000 ms old are still fresh)', 'acceptsWrites() is false');
        clock.advanceSync(1);
        s.step(`1 ms later (at ${start + 30_001}), before db3 runs its partition check`);
        s.expect(!db3.acceptsWrites(), 'db3 to refuse writes: its majority has been silent for longer than the timeout', 'acceptsWrites() is true');
        s.step('db3 runs handleNetworkPartition() twice');
        s.expectEqual([db3.handleNetworkPartition(), db3.handleNetworkPartition(), db3.isPrimary()], [true, false, false], '[first call, second call, isPrimary()]');
        s.step('a heartbeat round on the majority side {db1, db2, db4, db5}; db1 attempts an election');
        heartbeatRound(detectors, [['db1', 'db2', 'db4', 'db5']]);
        s.expectEqual(detectors.get('db1')!.attemptPrimaryElection(ask), 'became-primary', "db1's election result (db3 is not visible to it and no longer primary)");
      },
    },
    {
      id: 'random-partitions',
      title: 'Under random splits, heartbeat rounds, clock moves, elections and partition checks: visible nodes, canBePrimary, election results, step-downs and acceptsWrites are right after every step',
      kind: 'safety',
      randomised: true,
      check: (ctx) => {
        type Step =
          | { readonly op: 'split'; readonly sides: readonly number[] }
          | { readonly op: 'heartbeats' }
          | { readonly op: 'advance'; readonly ms: number }
          | { readonly op: 'elect'; readonly node: number }
          | { readonly op: 'check' };
        const TIMEOUT = 1_000;
        const stepArb: fc.Arbitrary<Step> = fc.oneof(
          fc.record({ op: fc.constant('split' as const), sides: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 5, maxLength: 5 }) }),
          { arbitrary: fc.record({ op: fc.constant('heartbeats' as const) }), weight: 2 },
          { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1, 400, 999, 1000, 1001) }), weight: 2 },
          { arbitrary: fc.record({ op: fc.constant('elect' as const), node: fc.integer({ min: 0, max: 4 }) }), weight: 2 },
          fc.record({ op: fc.constant('check' as const) }),
        );
        const arb = fc.record({ size: fc.constantFrom(3, 4, 5), steps: fc.array(stepArb, { maxLength: 25 }) });
        return checkSchedules(ctx, arb, ({ size, steps }) => {
          const clock: SimClock = ctx.simClock();
          const all = names(size);
          const s = ctx.scenario(`detectors ${all.join(', ')} (cluster of ${size}, timeout ${TIMEOUT} ms), all connected, no heartbeats yet`);
          const detectors = new Map(all.map((n) => [n, new ctx.impl.SplitBrainDetector(n, size, clock, TIMEOUT)]));
          const heard = new Map(all.map((n) => [n, new Map<string, number>()]));
          const primary = new Set<string>();
          let sides: string[][] = [all];
          const quorum = Math.floor(size / 2) + 1;
          const fresh = (n: string) => [...heard.get(n)!].filter(([, at]) => clock.now() - at <= TIMEOUT).map(([m]) => m).sort();
          const ask = (node: string) => primary.has(node);
          for (const step of steps) {
            if (step.op === 'split') {
              sides = [0, 1].map((side) => all.filter((_, i) => step.sides[i] === side)).filter((g) => g.length > 0);
              s.step(`the network splits into ${sides.map((g) => `{${g.join(', ')}}`).join(' and ')}`);
            } else if (step.op === 'heartbeats') {
              s.step('a heartbeat round: every node hears from the nodes on its side');
              heartbeatRound(detectors, sides);
              for (const side of sides) for (const to of side) for (const from of side) if (from !== to) heard.get(to)!.set(from, clock.now());
            } else if (step.op === 'advance') {
              s.step(`${step.ms} ms pass (the clock reads ${clock.now() + step.ms})`);
              clock.advanceSync(step.ms);
            } else if (step.op === 'elect') {
              const node = all[step.node % size]!;
              const sees = fresh(node);
              const want: Impl.ElectionResult = sees.length + 1 < quorum ? 'insufficient-nodes-visible' : sees.some(ask) ? 'another-primary-exists' : 'became-primary';
              s.step(`${node} attempts an election (it has heard from ${sees.length ? sees.join(', ') : 'nobody'} within the timeout${primary.size ? `; primary: ${[...primary].join(', ')}` : ''})`);
              s.expectEqual(detectors.get(node)!.attemptPrimaryElection(ask), want, `${node}'s election result`);
              if (want === 'became-primary') primary.add(node);
            } else {
              s.step('every node runs handleNetworkPartition()');
              for (const node of all) {
                const stepsDown = primary.has(node) && fresh(node).length + 1 < quorum;
                s.expectEqual(detectors.get(node)!.handleNetworkPartition(), stepsDown, `${node}'s handleNetworkPartition()`);
                if (stepsDown) primary.delete(node);
              }
            }
            for (const node of all) {
              const d = detectors.get(node)!;
              const sees = fresh(node);
              expectVisible(s, d, sees, 'the nodes it heard from within the timeout');
              const can = sees.length + 1 >= quorum;
              s.expectEqual(d.canBePrimary(), can, `${node}'s canBePrimary()`);
              s.expectEqual(d.isPrimary(), primary.has(node), `${node}'s isPrimary()`);
              s.expectEqual(d.acceptsWrites(), primary.has(node) && can, `${node}'s acceptsWrites()`);
            }
          }
        });
      },
    },
  ],
});
