import fc from 'fast-check';
import type * as Impl from '../../../../solutions/consensus/debugging/term-confusion.ts';
import { checkSchedules, defineGrader, type GradeContext, handOver } from '../../../engine/grader.ts';

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

// ---- random schedules on 3-7 nodes: direct vote requests with terms 1-5, and whole elections ----

type Step =
  | { readonly kind: 'ask'; readonly voter: number; readonly candidate: number; readonly term: number }
  | { readonly kind: 'elect'; readonly candidate: number }
  | { readonly kind: 'fail'; readonly node: number }
  | { readonly kind: 'recover'; readonly node: number };

// Picks are taken modulo the cluster size.
const node = fc.integer({ min: 1, max: 7 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('ask' as const), voter: node, candidate: node, term: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('elect' as const), candidate: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recover' as const), node }) },
);
const scheduleArb = fc.record({ size: fc.integer({ min: 3, max: 7 }), steps: fc.array(stepArb, { minLength: 1, maxLength: 24 }) });

/** Must this voter, as it is now, grant a request in `term`? (Raft's RequestVote rules.) */
function wouldGrant(view: Impl.VoterView, term: number): boolean {
  return term > view.currentTerm || (term === view.currentTerm && view.votedFor === null);
}

/**
 * Has this voter already voted for `candidate` in `term`? Then it may grant the request again
 * (Figure 2: "votedFor is null or candidateId": the same vote, not a second one) or refuse it, as
 * the reference does; both are safe, so an election that such votes could decide may go either way.
 */
function votedForAlready(view: Impl.VoterView, term: number, candidate: number): boolean {
  return term === view.currentTerm && view.votedFor === candidate;
}

/**
 * Replays a schedule. Safety: a node never votes for two candidates in one term, never for a
 * candidate older than its term, and no term has two leaders; an election is won exactly when the
 * candidate's own vote plus the votes of the up nodes that may still vote in its new term reach a
 * majority of the whole cluster (votes it already had in that term may count again, or not); a down node neither votes nor stands; leaderOf, currentLeader and
 * the message count (one request per up node asked) agree after every step. Liveness: a node asked
 * in a term newer than its own always grants (it cannot have voted in that term yet).
 */
function runSchedule(ctx: GradeContext<Module>, schedule: { size: number; steps: readonly Step[] }, mustHold: 'safety' | 'liveness'): void {
  const ids = Array.from({ length: schedule.size }, (_, i) => i + 1);
  const majority = Math.floor(schedule.size / 2) + 1;
  const s = ctx.scenario(`${schedule.size} nodes (1-${schedule.size}), a majority is ${majority} votes; all in term 0, nobody has voted`);
  const cluster = new ctx.impl.RaftElections(handOver(ids));
  if (mustHold === 'safety') s.expect(cluster.getMajoritySize() === majority, `getMajoritySize() to be ${majority}`, () => `it was ${cluster.getMajoritySize()}`);
  const pick = (n: number): number => ((n - 1) % schedule.size) + 1;
  const votes = new Map<string, number>(); // "voter@term" -> candidate
  const down = new Set<number>();
  const winners = new Map<number, number>(); // term -> elected candidate
  let messages = 0;
  const recordVote = (voter: number, term: number, candidate: number): void => {
    const earlier = votes.get(`${voter}@${term}`);
    s.expect(
      earlier === undefined || earlier === candidate,
      `node ${voter} to vote at most once in term ${term}`,
      `it voted for node ${earlier} and then for node ${candidate}`,
    );
    votes.set(`${voter}@${term}`, candidate);
  };

  for (const step of schedule.steps) {
    if (step.kind === 'fail' || step.kind === 'recover') {
      const id = pick(step.node);
      s.step(`node ${id} ${step.kind === 'fail' ? 'goes down' : 'comes back up'}`);
      if (step.kind === 'fail') {
        cluster.simulateFailure(id);
        down.add(id);
      } else {
        cluster.simulateRecovery(id);
        down.delete(id);
      }
    } else if (step.kind === 'ask') {
      const voter = pick(step.voter);
      const candidate = pick(step.candidate);
      if (voter === candidate) continue;
      const before = cluster.getNode(voter);
      const termBefore = before?.currentTerm ?? 0;
      s.step(`node ${candidate} asks node ${voter} (term ${termBefore}, votedFor ${before?.votedFor ?? 'nobody'}) for its vote in term ${step.term}`);
      const granted = cluster.requestVote(voter, candidate, step.term);
      if (mustHold === 'safety') {
        s.expect(!granted || step.term >= termBefore, `node ${voter} to refuse a candidate from term ${step.term} < ${termBefore}`, 'it granted the vote');
        if (granted) recordVote(voter, step.term, candidate);
      } else if (step.term > termBefore) {
        s.expect(granted, `node ${voter} to grant: it has not voted in term ${step.term} yet`, () => `it refused (${state(cluster, voter)})`);
      }
    } else {
      const candidate = pick(step.candidate);
      const term = (cluster.getNode(candidate)?.currentTerm ?? 0) + 1;
      const isDown = down.has(candidate);
      const voters = ids.filter((id) => id !== candidate && !down.has(id));
      const grants = voters.filter((id) => wouldGrant(cluster.getNode(id)!, term));
      const repeats = voters.filter((id) => votedForAlready(cluster.getNode(id)!, term, candidate));
      s.step(`node ${candidate} starts an election for term ${term}${isDown ? ' (it is down)' : ''}`);
      const won = cluster.startElection(candidate);
      if (mustHold === 'safety') {
        const earlier = winners.get(term);
        s.expect(!won || earlier === undefined, `at most one leader in term ${term}`, `nodes ${earlier} and ${candidate} both won it`);
        if (isDown) {
          s.expect(!won && cluster.getNode(candidate)?.currentTerm === term - 1, `node ${candidate}, which is down, not to stand: no election, still term ${term - 1}`,
            () => `startElection returned ${won}; ${state(cluster, candidate)}`);
        } else {
          recordVote(candidate, term, candidate);
          messages += voters.length;
          const shouldWin = 1 + grants.length >= majority;
          const mayWin = 1 + grants.length + repeats.length >= majority;
          const already = repeats.length > 0 ? `; ${repeats.join(', ')} already voted for it in term ${term}, so ${mayWin ? 'it may also win' : 'it cannot win even with them'}` : '';
          s.expect(won === shouldWin || (won && mayWin),
            `node ${candidate} to ${shouldWin ? 'win' : mayWin ? 'lose, or win on the votes it already had' : 'lose'}: its own vote and ${grants.length} of the ${voters.length} up node(s) (${grants.join(', ') || 'none'} may still vote in term ${term}) make ${1 + grants.length} of the ${majority} needed${already}`,
            () => `startElection returned ${won}`);
          for (const id of [...grants, ...repeats]) recordVote(id, term, candidate);
        }
        if (won) winners.set(term, candidate);
      }
    }
    if (mustHold === 'liveness') continue;
    // After every step: the cluster's views agree with what happened.
    for (const [term, id] of winners) {
      s.expect(cluster.leaderOf(term) === id, `leaderOf(${term}) to be node ${id}`, () => `it was ${cluster.leaderOf(term) ?? 'nobody'}`);
    }
    const newest = winners.size === 0 ? undefined : Math.max(...winners.keys());
    const current = cluster.currentLeader();
    s.expect(newest === undefined ? current === undefined : current?.term === newest && current.id === winners.get(newest),
      `currentLeader() to be ${newest === undefined ? 'undefined' : `node ${winners.get(newest)} of term ${newest}`}`,
      () => (current ? `node ${current.id} of term ${current.term}` : 'undefined'));
    s.expect(cluster.getMessageCount() === messages, `getMessageCount() to be ${messages}: one vote request per up node a candidate asks`,
      () => `it was ${cluster.getMessageCount()}`);
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
        const cluster = new ctx.impl.RaftElections(handOver(FIVE));
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
        const cluster = new ctx.impl.RaftElections(handOver(FIVE));
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
        const cluster = new ctx.impl.RaftElections(handOver(FIVE));
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
        const cluster = new ctx.impl.RaftElections(handOver(FIVE));
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
        const cluster = new ctx.impl.RaftElections(handOver(FIVE));
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
      id: 'unknown-nodes-are-refused',
      title: 'Ids that are not in the cluster are refused without a crash: no vote, no election, no view',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('5 nodes (1-5), all in term 0');
        const cluster = new ctx.impl.RaftElections(handOver(FIVE));
        s.step('node 99 (not in the cluster) fails, recovers, is asked for a vote, starts an election and is looked up');
        cluster.simulateFailure(99);
        cluster.simulateRecovery(99);
        s.expect(cluster.requestVote(99, 1, 1) === false, 'requestVote(99, 1, 1) to be refused', 'it was granted');
        s.expect(cluster.startElection(99) === false && cluster.currentLeader() === undefined, 'startElection(99) to fail', 'it elected a leader');
        s.expect(cluster.getNode(99) === undefined, 'getNode(99) to be undefined', 'it returned a node');
        s.step('node 1 starts an election');
        s.expect(cluster.startElection(1) && cluster.getMessageCount() === 4, 'node 1 to win, asking the 4 other nodes (not node 99)',
          () => `it ${cluster.currentLeader()?.id === 1 ? 'won' : 'lost'} after ${cluster.getMessageCount()} request(s)`);
      },
    },
    {
      id: 'one-vote-per-term-random',
      title: 'Under random vote requests, failures and elections on 3-7 nodes, no node votes twice in a term or for an older term, and an election is won exactly when a majority of the whole cluster votes for it',
      kind: 'safety',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (steps) => runSchedule(ctx, steps, 'safety')),
    },
    {
      id: 'newer-term-vote-granted-random',
      title: 'Under random vote requests, failures and elections on 3-7 nodes, a node asked in a newer term always grants',
      kind: 'liveness',
      randomised: true,
      check: (ctx) => checkSchedules(ctx, scheduleArb, (steps) => runSchedule(ctx, steps, 'liveness')),
    },
  ],
});
