import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/split-brain.ts';
import { checkSchedules, defineGrader, show, type GradeContext, type Scenario, handOver } from '../../../engine/grader.ts';

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
  const cluster = new ctx.impl.MajorityElection(handOver(FIVE));
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
  /** Node ids are 1..size times this: 7 makes two-digit ids, which sort differently as text. */
  readonly idStep: number;
  readonly steps: readonly Step[];
}

/** A side of UNLISTED leaves the node out of the partition call: it then sits alone. */
const UNLISTED = 3;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: UNLISTED }), { minLength: 7, maxLength: 7 }).map((sides) => ({ kind: 'partition' as const, sides })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 5, arbitrary: fc.nat(6).map((pick) => ({ kind: 'elect' as const, pick })) },
);

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  size: fc.integer({ min: 3, max: 7 }),
  idStep: fc.constantFrom(1, 7),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 20 }),
});

/** The groups passed to partition(), and every side of the network (unlisted nodes alone). */
function groupsFor(ids: readonly number[], sides: readonly number[]): { listed: number[][]; all: number[][] } {
  const groups: number[][] = [[], [], []];
  const alone: number[][] = [];
  ids.forEach((id, i) => (sides[i] === UNLISTED ? alone.push([id]) : groups[sides[i]!]!.push(id)));
  const listed = groups.filter((g) => g.length > 0);
  return { listed, all: [...listed, ...alone] };
}

/** After every step: leaders() lists exactly the nodes whose role is leader, lowest id first; no node is left a candidate. */
function expectViewsAgree(s: Scenario, cluster: Cluster, ids: readonly number[]): void {
  const byRole = ids.filter((id) => cluster.getNode(id)?.role === 'leader').sort((a, b) => a - b);
  s.expect(show(cluster.leaders()) === show(byRole), `leaders() to list the nodes whose role is leader, lowest id first: [${byRole.join(', ')}]`,
    () => `it returned [${cluster.leaders().join(', ')}]`);
  for (const id of ids) {
    const role = cluster.getNode(id)?.role;
    s.expect(role === 'leader' || role === 'follower', `node ${id} to be a leader or a follower between elections`, `its role is ${JSON.stringify(role)}`);
  }
}

/**
 * Replays a schedule. Without `liveness`, after every step: no term ever has two different leaders. With `liveness`,
 * every candidate that can reach a majority and whose term is at least as high as every term on its
 * side must win (nobody on its side can have voted in the new term yet).
 */
function runSchedule(ctx: GradeContext<Module>, schedule: Schedule, liveness: boolean): void {
  const ids = Array.from({ length: schedule.size }, (_, i) => (i + 1) * schedule.idStep);
  const majority = Math.floor(schedule.size / 2) + 1;
  const s = ctx.scenario(`${schedule.size} nodes (${ids.join(', ')}), a majority is ${majority} votes`);
  // Two-digit ids are also given highest first, so "lowest id first" is the cluster's doing.
  const cluster = new ctx.impl.MajorityElection(handOver(schedule.idStep === 1 ? ids : [...ids].reverse()));
  s.expect(cluster.getMajoritySize() === majority, `getMajoritySize() to be ${majority}`, () => `it was ${cluster.getMajoritySize()}`);
  let groups: number[][] = [ids];
  const leaderOfTerm = new Map<number, number>();
  let messages = 0;

  for (const step of schedule.steps) {
    if (step.kind === 'partition') {
      const { listed, all } = groupsFor(ids, step.sides);
      groups = all;
      const alone = all.length - listed.length;
      s.step(`the network splits: partition(${groupsText(listed)})${alone > 0 ? `, so ${all.slice(listed.length).map((g) => g[0]).join(', ')} (not listed) sit${alone === 1 ? 's' : ''} alone` : ''}`);
      cluster.partition(handOver(listed));
    } else if (step.kind === 'heal') {
      groups = [ids];
      s.step('the network heals');
      cluster.heal();
    } else {
      const candidate = ids[step.pick % schedule.size]!;
      const side = groups.find((g) => g.includes(candidate)) ?? [candidate];
      const term = cluster.getNode(candidate)?.currentTerm ?? 0;
      const highest = Math.max(...side.map((id) => cluster.getNode(id)?.currentTerm ?? 0));
      s.step(`node ${candidate} (term ${term}, side {${side.join(',')}}) starts an election`);
      const won = cluster.startElection(candidate);
      messages += side.length - 1;
      s.expect(cluster.getMessageCount() === messages, `getMessageCount() to be ${messages}: one vote request per node the candidate reaches`,
        () => `it was ${cluster.getMessageCount()}`);
      if (liveness && side.length >= majority && term >= highest) {
        s.expect(
          won && cluster.getNode(candidate)?.role === 'leader',
          `node ${candidate} to win: its side holds ${side.length} of ${schedule.size} nodes and nobody there has voted in its new term`,
          `it did not become leader (${leadersText(cluster)})`,
        );
      }
      if (!liveness && side.length < majority) {
        s.expect(!won, `node ${candidate} to lose: its side holds only ${side.length} of ${schedule.size} nodes, fewer than ${majority}`,
          () => `it won (${leadersText(cluster)})`);
      }
      if (!liveness && !won) {
        s.expect(cluster.getNode(candidate)?.role === 'follower', `node ${candidate} to be a follower again after losing`,
          () => `its role is ${JSON.stringify(cluster.getNode(candidate)?.role)}`);
      }
    }
    // The liveness requirement judges liveness only; these are the safety requirement's findings.
    if (liveness) continue;
    expectViewsAgree(s, cluster, ids);
    for (const id of cluster.leaders()) {
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
        const cluster = new ctx.impl.MajorityElection(handOver(FIVE));
        s.step('node 2 starts an election');
        const won = cluster.startElection(2);
        s.expect(won && cluster.leaders().join() === '2', 'node 2 to become the only leader', () => leadersText(cluster));
      },
    },
    {
      id: 'request-vote-rules',
      title: 'requestVote refuses an older term, adopts a newer one (a leader steps down), and grants one vote per term: again to the same candidate, never to another',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5); requestVote(voter, candidate, term) called directly');
        const cluster = new ctx.impl.MajorityElection(handOver(FIVE));
        const ask = (voter: number, candidate: number, term: number, granted: boolean, why: string): void => {
          s.step(`node ${candidate} asks node ${voter} for its vote in term ${term}`);
          const answer = cluster.requestVote(voter, candidate, term);
          s.expect(answer === granted, `the vote to be ${granted ? 'granted' : 'refused'}: ${why}`, `it was ${answer ? 'granted' : 'refused'}`);
        };
        const expectNode = (id: number, term: number, votedFor: number | null): void => {
          const node = cluster.getNode(id);
          s.expect(node?.currentTerm === term && node.votedFor === votedFor, `node ${id} to be in term ${term}, having voted for ${votedFor ?? 'nobody'}`,
            () => `it is in term ${node?.currentTerm}, having voted for ${node?.votedFor ?? 'nobody'}`);
        };
        ask(3, 4, 5, true, 'node 3 has not voted in term 5');
        expectNode(3, 5, 4);
        ask(3, 4, 5, true, 'node 3 already voted for node 4 in term 5: the same request may arrive twice');
        ask(3, 2, 5, false, 'node 3 already voted for node 4 in term 5');
        ask(3, 4, 2, false, 'term 2 is older than node 3\'s term 5, whoever asks');
        expectNode(3, 5, 4);
        ask(3, 2, 6, true, 'term 6 is newer: node 3 moves to it, where it has not voted yet');
        expectNode(3, 6, 2);
        s.step('node 1 wins an election (term 1)');
        cluster.startElection(1);
        ask(1, 2, 7, true, 'term 7 is newer than node 1\'s term');
        s.expect(cluster.getNode(1)?.role === 'follower' && cluster.leaders().length === 0, 'node 1 to step down to follower on seeing term 7',
          () => `its role is ${JSON.stringify(cluster.getNode(1)?.role)}`);
      },
    },
    {
      id: 'unknown-nodes-are-refused',
      title: 'Ids that are not in the cluster are refused without a crash: no vote, no election, no route, no view',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5)');
        const cluster = new ctx.impl.MajorityElection(handOver(FIVE));
        s.step('node 99 (not in the cluster) is asked for a vote, starts an election, and is looked up');
        s.expect(cluster.requestVote(99, 1, 1) === false, 'requestVote(99, 1, 1) to be refused', 'it was granted');
        s.expect(cluster.startElection(99) === false && cluster.leaders().length === 0, 'startElection(99) to fail', () => leadersText(cluster));
        s.expect(cluster.canReach(1, 99) === false && cluster.canReach(99, 1) === false, 'node 99 to be unreachable', 'canReach said it is reachable');
        s.expect(cluster.getNode(99) === undefined, 'getNode(99) to be undefined', () => `it was ${show(cluster.getNode(99))}`);
      },
    },
    {
      id: 'leaders-lowest-id-first',
      title: 'leaders() lists every node that believes it leads, a cut-off old leader included, lowest id first',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes created in the order 100, 4, 12, 7, 30');
        const cluster = new ctx.impl.MajorityElection([100, 4, 12, 7, 30]);
        s.step('node 100 wins an election; then the network splits into {100,4} | {12,7,30} and node 30 wins an election');
        cluster.startElection(100);
        cluster.partition([[100, 4], [12, 7, 30]]);
        cluster.startElection(30);
        s.expect(show(cluster.leaders()) === show([30, 100]), 'leaders() to be [30, 100]: node 100 has not heard of the newer term', () => `it was ${show(cluster.leaders())}`);
      },
    },
    {
      id: 'never-two-leaders-per-term',
      title: 'Under random partitions of 3-7 nodes (some left out of the partition call, so alone), no term ever has two leaders; leaders(), roles and the message count agree after every step',
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
