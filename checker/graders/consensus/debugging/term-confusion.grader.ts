import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/term-confusion.ts';
import { checkSchedules, defineGrader, type GradeContext } from '../../../engine/grader.ts';

type Module = typeof Impl;
type Cluster = Impl.RaftElections;

const FIVE = [1, 2, 3, 4, 5];

function state(cluster: Cluster, id: number): string {
  const n = cluster.getNode(id);
  return n ? `node ${id} is in term ${n.currentTerm} with votedFor ${n.votedFor ?? 'nobody'}` : `node ${id} is missing`;
}

function answer(granted: boolean): string {
  return granted ? 'granted' : 'refused';
}

// ---- random schedules: direct vote requests with terms 1-5, and whole elections ----

type Step =
  | { readonly kind: 'ask'; readonly voter: number; readonly candidate: number; readonly term: number }
  | { readonly kind: 'elect'; readonly candidate: number }
  | { readonly kind: 'fail'; readonly node: number }
  | { readonly kind: 'recover'; readonly node: number };

const node = fc.integer({ min: 1, max: 5 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('ask' as const), voter: node, candidate: node, term: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('elect' as const), candidate: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recover' as const), node }) },
);
const scheduleArb = fc.array(stepArb, { minLength: 1, maxLength: 20 });

/**
 * Replays a schedule on 5 nodes. Safety: a node never votes for two candidates in one term, never
 * for a candidate older than its term, and no term has two leaders. Liveness: a node asked in a term
 * newer than its own always grants (it cannot have voted in that term yet).
 */
function runSchedule(ctx: GradeContext<Module>, steps: readonly Step[], mustHold: 'safety' | 'liveness'): void {
  const s = ctx.scenario('5 nodes (1-5), all in term 0, nobody has voted');
  const cluster = new ctx.impl.RaftElections(FIVE);
  const votes = new Map<string, number>(); // "voter@term" -> candidate
  const down = new Set<number>();
  const winners = new Map<number, number>(); // term -> elected candidate
  const recordVote = (voter: number, term: number, candidate: number): void => {
    const earlier = votes.get(`${voter}@${term}`);
    s.expect(
      earlier === undefined || earlier === candidate,
      `node ${voter} to vote at most once in term ${term}`,
      `it voted for node ${earlier} and then for node ${candidate}`,
    );
    votes.set(`${voter}@${term}`, candidate);
  };

  for (const step of steps) {
    if (step.kind === 'fail' || step.kind === 'recover') {
      s.step(`node ${step.node} ${step.kind === 'fail' ? 'goes down' : 'comes back up'}`);
      if (step.kind === 'fail') {
        cluster.simulateFailure(step.node);
        down.add(step.node);
      } else {
        cluster.simulateRecovery(step.node);
        down.delete(step.node);
      }
    } else if (step.kind === 'ask') {
      if (step.voter === step.candidate) continue;
      const before = cluster.getNode(step.voter);
      const termBefore = before?.currentTerm ?? 0;
      s.step(`node ${step.candidate} asks node ${step.voter} (term ${termBefore}, votedFor ${before?.votedFor ?? 'nobody'}) for its vote in term ${step.term}`);
      const granted = cluster.requestVote(step.voter, step.candidate, step.term);
      if (mustHold === 'safety') {
        s.expect(!granted || step.term >= termBefore, `node ${step.voter} to refuse a candidate from term ${step.term} < ${termBefore}`, 'it granted the vote');
        if (granted) recordVote(step.voter, step.term, step.candidate);
      } else if (step.term > termBefore) {
        s.expect(granted, `node ${step.voter} to grant: it has not voted in term ${step.term} yet`, () => `it refused (${state(cluster, step.voter)})`);
      }
    } else {
      const term = (cluster.getNode(step.candidate)?.currentTerm ?? 0) + 1;
      s.step(`node ${step.candidate} starts an election for term ${term}${down.has(step.candidate) ? ' (it is down)' : ''}`);
      const won = cluster.startElection(step.candidate);
      if (mustHold === 'safety') {
        if (!down.has(step.candidate)) recordVote(step.candidate, term, step.candidate);
        const earlier = winners.get(term);
        s.expect(!won || earlier === undefined, `at most one leader in term ${term}`, `nodes ${earlier} and ${step.candidate} both won it`);
        if (won) winners.set(term, step.candidate);
      }
    }
  }
}

export default defineGrader<Module>({
  requiredExports: ['RaftElections'],
  requirements: [
    {
      id: 'new-term-vote-granted',
      title: 'A node that voted in term 1 can vote again in term 2',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all in term 0');
        const cluster = new ctx.impl.RaftElections(FIVE);
        s.step('term 1: node 5 asks node 3 for its vote');
        const first = cluster.requestVote(3, 5, 1);
        s.expect(first, 'node 3 to grant its first vote of term 1', `it was ${answer(first)}`);
        s.step(`term 2: node 1 asks node 3 for its vote (${state(cluster, 3)})`);
        const second = cluster.requestVote(3, 1, 2);
        s.expect(second, 'node 3 to grant: its vote for node 5 belongs to term 1, and it has not voted in term 2', () => `it was refused; now ${state(cluster, 3)}`);
      },
    },
    {
      id: 'voter-adopts-newer-term',
      title: 'A voter moves to the newer term it hears about and records its new vote',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all in term 0');
        const cluster = new ctx.impl.RaftElections(FIVE);
        s.step('term 1: node 5 asks node 3; term 2: node 1 asks node 3');
        cluster.requestVote(3, 5, 1);
        cluster.requestVote(3, 1, 2);
        const n = cluster.getNode(3);
        s.expect(n?.currentTerm === 2 && n.votedFor === 1, 'node 3 to be in term 2 with votedFor 1', () => state(cluster, 3));
      },
    },
    {
      id: 'one-vote-in-a-term',
      title: 'Within one term a node votes for at most one candidate',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all in term 0');
        const cluster = new ctx.impl.RaftElections(FIVE);
        s.step('term 2: node 5 asks node 3 (granted)');
        cluster.requestVote(3, 5, 2);
        s.step('term 2: node 1 asks node 3 too');
        const granted = cluster.requestVote(3, 1, 2);
        s.expect(!granted, 'node 3 to refuse: it already voted for node 5 in term 2', () => `it granted a second vote (${state(cluster, 3)})`);
      },
    },
    {
      id: 'stale-candidate-refused',
      title: 'A candidate from an older term gets no vote and does not drag the voter back',
      kind: 'safety',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all in term 0');
        const cluster = new ctx.impl.RaftElections(FIVE);
        s.step('term 3: node 2 asks node 3 (granted)');
        cluster.requestVote(3, 2, 3);
        s.step('term 2: node 4 asks node 3');
        const granted = cluster.requestVote(3, 4, 2);
        const n = cluster.getNode(3);
        s.expect(!granted && n?.currentTerm === 3 && n.votedFor === 2, 'node 3 to refuse and stay in term 3 with its vote for node 2', () => `it was ${answer(granted)}; now ${state(cluster, 3)}`);
      },
    },
    {
      id: 'election-after-crashed-leader',
      title: 'After the leader of term 1 crashes, the next candidate is elected',
      kind: 'liveness',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all in term 0');
        const cluster = new ctx.impl.RaftElections(FIVE);
        s.step('node 5 starts an election and wins term 1 (every node votes for it)');
        cluster.startElection(5);
        s.step('node 5 crashes');
        cluster.simulateFailure(5);
        s.step('node 1 starts an election (nodes 2, 3, 4 are up)');
        const won = cluster.startElection(1);
        const leader = cluster.currentLeader();
        s.expect(
          won && leader?.id === 1,
          'node 1 to win with 4 of 5 votes',
          () => `it was not elected; ${[2, 3, 4].map((id) => state(cluster, id)).join('; ')}`,
        );
      },
    },
    {
      id: 'one-vote-per-term-random',
      title: 'Under random vote requests and elections, no node votes twice in a term or for an older term',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (steps) => runSchedule(ctx, steps, 'safety')),
    },
    {
      id: 'newer-term-vote-granted-random',
      title: 'Under random vote requests and elections, a node asked in a newer term always grants',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (steps) => runSchedule(ctx, steps, 'liveness')),
    },
  ],
});
