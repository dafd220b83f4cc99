import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/split-brain.ts';
import { checkSchedules, defineGrader, type GradeContext, type Scenario } from '../../../engine/grader.ts';

type Module = typeof Impl;
type Cluster = Impl.MajorityElection;

const FIVE = [1, 2, 3, 4, 5];

function groupsText(groups: readonly (readonly number[])[]): string {
  return groups.map((g) => `{${g.join(',')}}`).join(' | ');
}

function leadersText(cluster: Cluster): string {
  const leaders = cluster.leaders();
  if (leaders.length === 0) return 'no node is leader';
  const each = leaders.map((id) => `node ${id} (term ${cluster.getNode(id)?.currentTerm ?? '?'})`);
  return leaders.length === 1 ? `${each[0]} is the only leader` : `${leaders.length} leaders: ${each.join(' and ')}`;
}

/** The chapter's setting: 5 nodes, majority 3, network cut into {1,2} | {3,4,5}. */
function partitionedFive(ctx: GradeContext<Module>): { s: Scenario; cluster: Cluster } {
  const s = ctx.scenario('5 nodes (1-5), a majority is 3 votes');
  const cluster = new ctx.impl.MajorityElection(FIVE);
  s.step('the network splits into {1,2} | {3,4,5}');
  cluster.partition([[1, 2], [3, 4, 5]]);
  return { s, cluster };
}

// ---- random schedules: partitions of 3-7 nodes and elections by random candidates ----

type Step =
  | { readonly kind: 'partition'; readonly sides: readonly number[] } // sides[i] = group of node i+1
  | { readonly kind: 'heal' }
  | { readonly kind: 'elect'; readonly pick: number };

interface Schedule {
  readonly size: number;
  readonly steps: readonly Step[];
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 7, maxLength: 7 }).map((sides) => ({ kind: 'partition' as const, sides })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 5, arbitrary: fc.nat(6).map((pick) => ({ kind: 'elect' as const, pick })) },
);

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  size: fc.integer({ min: 3, max: 7 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 20 }),
});

function groupsFor(size: number, sides: readonly number[]): number[][] {
  const groups: number[][] = [[], [], []];
  for (let id = 1; id <= size; id++) groups[sides[id - 1]!]!.push(id);
  return groups.filter((g) => g.length > 0);
}

/**
 * Replays a schedule. Without `liveness`, after every step: no term ever has two different leaders. With `liveness`,
 * every candidate that can reach a majority and whose term is at least as high as every term on its
 * side must win (nobody on its side can have voted in the new term yet).
 */
function runSchedule(ctx: GradeContext<Module>, schedule: Schedule, liveness: boolean): void {
  const ids = Array.from({ length: schedule.size }, (_, i) => i + 1);
  const majority = Math.floor(schedule.size / 2) + 1;
  const s = ctx.scenario(`${schedule.size} nodes (1-${schedule.size}), a majority is ${majority} votes`);
  const cluster = new ctx.impl.MajorityElection(ids);
  let groups: number[][] = [ids];
  const leaderOfTerm = new Map<number, number>();

  for (const step of schedule.steps) {
    if (step.kind === 'partition') {
      groups = groupsFor(schedule.size, step.sides);
      s.step(`the network splits into ${groupsText(groups)}`);
      cluster.partition(groups);
    } else if (step.kind === 'heal') {
      groups = [ids];
      s.step('the network heals');
      cluster.heal();
    } else {
      const candidate = (step.pick % schedule.size) + 1;
      const side = groups.find((g) => g.includes(candidate)) ?? [candidate];
      const term = cluster.getNode(candidate)?.currentTerm ?? 0;
      const highest = Math.max(...side.map((id) => cluster.getNode(id)?.currentTerm ?? 0));
      s.step(`node ${candidate} (term ${term}, side {${side.join(',')}}) starts an election`);
      const won = cluster.startElection(candidate);
      if (liveness && side.length >= majority && term >= highest) {
        s.expect(
          won && cluster.getNode(candidate)?.role === 'leader',
          `node ${candidate} to win: its side holds ${side.length} of ${schedule.size} nodes and nobody there has voted in its new term`,
          `it did not become leader (${leadersText(cluster)})`,
        );
      }
    }
    // Election safety is the safety requirement's to report; the liveness one says only what it expects.
    for (const id of liveness ? [] : cluster.leaders()) {
      const term = cluster.getNode(id)?.currentTerm ?? -1;
      const earlier = leaderOfTerm.get(term);
      s.expect(
        earlier === undefined || earlier === id,
        `at most one leader per term`,
        `nodes ${earlier} and ${id} were both leader of term ${term}`,
      );
      leaderOfTerm.set(term, id);
    }
  }
}

export default defineGrader<Module>({
  requiredExports: ['MajorityElection'],
  requirements: [
    {
      id: 'minority-side-cannot-elect',
      title: 'A candidate that can reach only a minority of the cluster does not become leader',
      kind: 'safety',
      check: (ctx) => {
        const { s, cluster } = partitionedFive(ctx);
        s.step('node 1 starts an election (it can reach only node 2: at most 2 votes of the 3 needed)');
        const won = cluster.startElection(1);
        s.expect(!won && cluster.leaders().length === 0, 'node 1 to lose: 2 votes are not a majority of 5', () => `${won ? 'startElection returned true; ' : ''}${leadersText(cluster)}`);
      },
    },
    {
      id: 'majority-side-elects',
      title: 'A candidate that gets exactly a majority of votes (3 of 5) becomes leader',
      kind: 'liveness',
      check: (ctx) => {
        const { s, cluster } = partitionedFive(ctx);
        s.step('node 3 starts an election (nodes 4 and 5 can vote for it: 3 votes of 5)');
        const won = cluster.startElection(3);
        s.expect(won && cluster.getNode(3)?.role === 'leader', 'node 3 to become leader with 3 of 5 votes', () => `${won ? 'startElection returned true but ' : ''}${leadersText(cluster)}`);
      },
    },
    {
      id: 'one-leader-after-partition',
      title: 'After the partition {1,2} | {3,4,5}, only node 3 is leader',
      kind: 'safety',
      check: (ctx) => {
        const { s, cluster } = partitionedFive(ctx);
        s.step('node 1 starts an election on side {1,2}');
        cluster.startElection(1);
        s.step('node 3 starts an election on side {3,4,5}');
        cluster.startElection(3);
        s.expect(
          cluster.leaders().length === 1 && cluster.leaders()[0] === 3,
          'exactly one leader, node 3, on the side that holds the majority',
          () => leadersText(cluster),
        );
      },
    },
    {
      id: 'healthy-cluster-elects',
      title: 'With no partition, the first candidate is elected',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), no partition');
        const cluster = new ctx.impl.MajorityElection(FIVE);
        s.step('node 2 starts an election');
        const won = cluster.startElection(2);
        s.expect(won && cluster.leaders().join() === '2', 'node 2 to become the only leader', () => leadersText(cluster));
      },
    },
    {
      id: 'never-two-leaders-per-term',
      title: 'Under random partitions of 3-7 nodes, no term ever has two leaders',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (schedule) => runSchedule(ctx, schedule, false)),
    },
    {
      id: 'majority-candidate-wins',
      title: 'Under random partitions, a candidate whose side holds a majority and asks first is elected',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (schedule) => runSchedule(ctx, schedule, true)),
    },
  ],
});
