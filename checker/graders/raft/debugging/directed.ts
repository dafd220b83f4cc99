import { COMMIT_LIMIT_MS, commonRequirements, lateAppendKeepsEntries, requireCommit, requireLeader } from './common.ts';
import type { Requirement } from '../../../engine/grader.ts';
import { startCluster, traced, type Message, type Mod } from './harness.ts';

/**
 * Every Raft challenge's own scenarios, in one place. A challenge is graded on its own scenarios
 * first, then on every other challenge's, then on the common requirements: each program is the
 * same node, so a "fix" that plants another challenge's bug, or a bug no challenge planted, is
 * caught by the scenario written for it.
 */

/** Three of five voters must agree on one candidate: split votes can take a few rounds. */
const UNANIMOUS_ELECTION_MS = 3000;
const HELD = 12;
const OUTAGE_MS = 1000;

const staleHeartbeat = (): Requirement<Mod>[] => [
  {
    id: 'deposed-leader-cannot-block-election',
    title: 'A deposed leader that can still send but no longer hears anyone does not stop the others from electing a new leader',
    kind: 'liveness',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const old = requireLeader(c, s);
        const others = c.ids.filter((id) => id !== old);
        s.step(`node ${old} (leader of term ${c.sim.node(old)!.currentTerm}) is cut off: the network splits into {${old}} and {${others.join(',')}}`);
        c.sim.partition([[old], others]);
        const second = requireLeader(c, s, others);
        s.step(`node ${second} leads term ${c.sim.node(second)!.currentTerm}; node ${old} still believes it leads term ${c.sim.node(old)!.currentTerm}`);
        s.step(`the split is repaired one way only: node ${old} can send to everyone, but nothing reaches node ${old}`);
        c.sim.heal();
        for (const id of others) c.sim.cut(id, old);
        c.sim.runFor(200);
        s.step(`node ${second} (the new leader) crashes and restarts at once; node ${old} keeps sending its term-${c.sim.node(old)!.currentTerm} heartbeats`);
        c.sim.crash(second);
        c.sim.restart(second);
        requireLeader(c, s, others);
        requireCommit(c, s, 'after', others);
      });
    },
  },
];

const doubleVote = (): Requirement<Mod>[] => [
  {
    id: 'heartbeat-keeps-the-vote',
    title: 'Once a leader of a term is established, no node votes a second time in that term, whatever reaches it late',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const leader = requireLeader(c, s);
        const term = c.sim.node(leader)!.currentTerm;
        c.sim.runFor(120);
        const [follower, other] = c.ids.filter((id) => id !== leader) as [number, number];
        const f = c.sim.node(follower)!;
        s.step(`node ${leader} leads term ${term}; node ${follower} voted for node ${f.votedFor} in term ${term} and has since received node ${leader}'s heartbeats`);
        const last = c.sim.node(other)!.log.length;
        s.step(`a RequestVote from node ${other} for term ${term} (lastLogIndex ${last}), held up in the network since the election, reaches node ${follower}`);
        c.sim.inject(other, follower, { type: 'RequestVote', term, candidateId: other, lastLogIndex: last, lastLogTerm: c.sim.node(other)!.log.at(-1)?.term ?? 0 });
        c.sim.runFor(20);
        s.expect(c.sim.node(follower)!.votedFor !== other, `node ${follower} to refuse: it has already voted in term ${term}`, `it granted its vote to node ${other}`);
      });
    },
  },
];

const lateVote = (): Requirement<Mod>[] => [
  {
    id: 'late-vote-reply-ignored',
    title: 'A candidate cut off from the others, campaigning term after term, never becomes leader while it stays cut off',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        s.step('the network splits into {3} and {1,2} from the start');
        c.sim.partition([[3], [1, 2]]);
        const ok = c.sim.runUntil(() => c.sim.node(3)!.role === 'candidate' && c.sim.node(3)!.currentTerm >= 2, 2000);
        s.expect(ok, 'node 3, alone, to time out and stand for election at least twice within 2 s', () => c.describe(3));
        const term = c.sim.node(3)!.currentTerm;
        s.step(`node 3 is a candidate in term ${term}, with only its own vote`);
        s.step(`a reply "vote granted" from node 1 for node 3's election in term ${term - 1}, delayed in the network, reaches node 3`);
        c.sim.inject(1, 3, { type: 'RequestVoteReply', term: term - 1, voteGranted: true, from: 1 });
        s.expect(c.sim.node(3)!.role !== 'leader', `node 3 to stay a candidate: node 1's vote was for term ${term - 1}, not ${term}`,
          () => `node 3 became leader of term ${c.sim.node(3)!.currentTerm}`);
      });
    },
  },
];

const indexMix = (): Requirement<Mod>[] => [
  {
    id: 're-elects-with-equal-logs',
    title: 'When every survivor holds the same log, one of them is elected after the leader crashes, and the cluster commits again',
    kind: 'liveness',
    check: (ctx) => {
      const s = ctx.scenario('5 nodes (1-5) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 5 });
      traced(c, () => {
        const first = requireLeader(c, s);
        for (const command of ['a', 'b', 'c']) requireCommit(c, s, command);
        s.step(`every node holds [a, b, c]; node ${first} (the leader) crashes`);
        c.sim.crash(first);
        const others = c.ids.filter((id) => id !== first);
        requireLeader(c, s, others);
        requireCommit(c, s, 'd', others);
      });
    },
  },
];

const reorderedTruncate = (): Requirement<Mod>[] => [
  lateAppendKeepsEntries(),
  {
    id: 'replaces-conflicting-entries',
    title: 'A leader cut off with an uncommitted entry rejoins, and that entry is replaced by what the new leader committed',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const old = requireLeader(c, s);
        requireCommit(c, s, 'a');
        const others = c.ids.filter((id) => id !== old);
        s.step(`the network splits into {${old}} and {${others.join(',')}}; a client writes "lost" to node ${old}, which cannot commit it`);
        c.sim.partition([[old], others]);
        c.write('lost', old);
        requireLeader(c, s, others);
        requireCommit(c, s, 'kept', others);
        s.step('the network heals');
        c.sim.heal();
        if (!c.awaitApplied('kept', 1000, c.ids)) s.fail(`node ${old} to replace "lost" with "kept" and apply it within 1000 ms`, c.describe(old));
        s.expect(!c.applied(old).includes('lost'), `node ${old} never to apply "lost"`, `it applied it`);
      });
    },
  },
];

const forgetfulRestart = (): Requirement<Mod>[] => [
  {
    id: 'restart-keeps-committed-entries',
    title: 'Both followers restart at once; the entries the cluster committed are still on a majority, and no other command is ever applied at their indexes',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const leader = requireLeader(c, s);
        requireCommit(c, s, 'a');
        requireCommit(c, s, 'b');
        const followers = c.ids.filter((id) => id !== leader);
        s.step(`nodes ${followers.join(' and ')} crash and restart (maintenance)`);
        for (const id of followers) c.sim.crash(id);
        for (const id of followers) c.sim.restart(id);
        c.sim.runFor(50);
        s.step(`node ${leader} (the leader) crashes`);
        c.sim.crash(leader);
        requireLeader(c, s, followers);
        requireCommit(c, s, 'c', followers);
      });
    },
  },
  {
    id: 'restart-keeps-the-vote',
    title: 'A node that voted in a term, crashed and restarted refuses a second candidate of that term',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const leader = requireLeader(c, s);
        const term = c.sim.node(leader)!.currentTerm;
        // The leader won with a vote of this term; the other follower's RequestVote may still be on its way.
        const followers = c.ids.filter((id) => id !== leader);
        const voter = followers.find((id) => c.sim.node(id)!.currentTerm === term && c.sim.node(id)!.votedFor === leader)!;
        const other = followers.find((id) => id !== voter)!;
        s.step(`node ${leader} leads term ${term}; node ${voter} voted for it in term ${term}`);
        s.step(`node ${voter} crashes and restarts`);
        c.sim.crash(voter);
        c.sim.restart(voter);
        s.step(`a RequestVote from node ${other} for term ${term}, held up in the network, reaches node ${voter}`);
        c.sim.inject(other, voter, { type: 'RequestVote', term, candidateId: other, lastLogIndex: 0, lastLogTerm: 0 });
        s.expect(c.sim.node(voter)!.votedFor !== other, `node ${voter} to refuse: its vote in term ${term} was saved before it replied`, `it granted its vote to node ${other}`);
      });
    },
  },
];

const applyTwice = (): Requirement<Mod>[] => [
  {
    id: 'leader-applies-once',
    title: 'The leader, like every follower, hands each committed command to its service exactly once',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('5 nodes (1-5) on a reliable network; the service counts increments');
      const c = startCluster(ctx, s, { nodes: 5 });
      traced(c, () => {
        const leader = requireLeader(c, s);
        for (const command of ['inc-1', 'inc-2', 'inc-3']) requireCommit(c, s, command);
        s.expect(c.applied(leader).length === 3, `node ${leader} to have applied 3 commands`, () => `it applied ${JSON.stringify(c.applied(leader))}`);
      });
    },
  },
];

const phantomCopy = (): Requirement<Mod>[] => [
  {
    id: 'new-leader-commits-on-a-majority',
    title: 'After a leader change, with a restarted follower still holding an entry the old leader never committed, the new leader commits its next write only once a majority stores it',
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('5 nodes (1-5) on a reliable network');
      const c = startCluster(ctx, s, { nodes: 5 });
      traced(c, () => {
        const old = requireLeader(c, s);
        requireCommit(c, s, 'a');
        const [holder, ...rest] = c.ids.filter((id) => id !== old) as [number, ...number[]];
        s.step(`node ${old}'s messages to {${rest.join(',')}} are cut from now on: only node ${holder} hears it`);
        for (const id of rest) c.sim.cut(old, id);
        s.step(`a client writes "x" to node ${old}; it reaches node ${holder} only, 2 copies of the 3 a commit needs`);
        c.write('x', old);
        c.sim.runFor(30);
        s.expect(c.sim.node(holder)!.log.length === 2, `node ${holder} to hold [a, x]`, () => c.describe(holder));
        s.step(`nodes ${old} and ${holder} crash; the cuts are repaired`);
        c.sim.crash(old);
        c.sim.crash(holder);
        c.sim.heal();
        const leader = c.awaitLeader(UNANIMOUS_ELECTION_MS, rest)
          ?? s.fail(`a leader among {${rest.join(',')}} within ${UNANIMOUS_ELECTION_MS} ms`, rest.map((id) => c.describe(id)).join('; '));
        s.step(`node ${leader} leads term ${c.sim.node(leader)!.currentTerm} with the log [a]`);
        s.step(`node ${holder} restarts with [a, x] and hears node ${leader}'s heartbeats for 100 ms`);
        c.sim.restart(holder);
        c.sim.runFor(100);
        const [idle, other] = rest.filter((id) => id !== leader) as [number, number];
        s.step(`node ${idle} crashes: nodes ${leader}, ${other} and ${holder} are up, and a commit needs all 3 of them`);
        c.sim.crash(idle);
        s.step(`node ${leader}'s messages to node ${holder} are lost for the next 30 ms`);
        c.sim.cut(leader, holder);
        s.step(`a client writes "y" to the leader (node ${leader})`);
        s.expect(c.write('y', leader), `node ${leader} to accept the write`, () => c.describe(leader));
        c.sim.runFor(30);
        s.step(`the link from node ${leader} to node ${holder} is repaired`);
        c.sim.heal();
        if (!c.awaitApplied('y', COMMIT_LIMIT_MS, [leader, other, holder])) {
          s.fail(`nodes {${[leader, other, holder].join(',')}} to apply "y" within ${COMMIT_LIMIT_MS} ms`, [leader, other, holder].map((id) => c.describe(id)).join('; '));
        }
        s.expect(!c.sim.node(holder)!.log.some((e) => e.command === 'x'), `node ${holder} to have replaced "x" with "y"`, () => c.describe(holder));
      });
    },
  },
  lateAppendKeepsEntries(),
];

const slowCatchUp = (): Requirement<Mod>[] => [
  {
    id: 'returning-follower-gets-what-it-lacks',
    title: `A follower back from a ${OUTAGE_MS} ms outage hears the same leader, is sent only the entries it lacks, and holds the whole log within ${COMMIT_LIMIT_MS} ms`,
    kind: 'liveness',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network');
      let watching: number | undefined;
      const resent: string[] = [];
      const c = startCluster(ctx, s, {
        nodes: 3,
        onSend: (from, to, message: Message) => {
          if (to !== watching || message.type !== 'AppendEntries' || message.entries.length === 0) return;
          // Index prevLogIndex + 1 is the first entry the request carries.
          if (message.prevLogIndex < HELD) resent.push(`prevLogIndex ${message.prevLogIndex} with ${message.entries.length} entries`);
        },
      });
      traced(c, () => {
        const leader = requireLeader(c, s);
        const term = c.sim.node(leader)!.currentTerm;
        s.step(`a client writes e1 to e${HELD}, one after the other`);
        for (let i = 1; i <= HELD; i++) requireCommit(c, s, `e${i}`);
        const [follower, other] = c.ids.filter((id) => id !== leader) as [number, number];
        s.step(`node ${follower} crashes, holding all ${HELD} entries`);
        c.sim.crash(follower);
        requireCommit(c, s, 'f1', [leader, other]);
        requireCommit(c, s, 'f2', [leader, other]);
        s.step(`${OUTAGE_MS} ms pass; then node ${follower} restarts, lacking only f1 and f2 (indexes ${HELD + 1} and ${HELD + 2})`);
        c.sim.runFor(OUTAGE_MS);
        watching = follower;
        c.sim.restart(follower);
        if (!c.awaitApplied('f2', COMMIT_LIMIT_MS, [follower])) {
          s.fail(`node ${follower} to hold and apply f1 and f2 within ${COMMIT_LIMIT_MS} ms of restarting`, c.describe(follower));
        }
        const now = c.sim.node(leader)!;
        s.expect(now.role === 'leader' && now.currentTerm === term, `node ${leader} to still lead term ${term}: its AppendEntries reach node ${follower} before that node's election timer runs out`,
          () => `${c.describe(leader)}; ${c.describe(follower)}`);
        s.expect(resent.length === 0, `node ${leader} to send node ${follower} nothing it already held (entries after index ${HELD} only)`,
          () => `it sent AppendEntries starting before index ${HELD + 1}: ${resent.slice(0, 3).join('; ')}`);
      });
    },
  },
];

const earlyCommit = (): Requirement<Mod>[] => [
  {
    id: 'first-write-commits-on-a-majority',
    title: "A write that reaches a new leader while its first heartbeats are still on their way commits only once a majority stores it",
    kind: 'safety',
    check: (ctx) => {
      const s = ctx.scenario('3 nodes (1-3) on a reliable network, all logs empty');
      const c = startCluster(ctx, s, { nodes: 3 });
      traced(c, () => {
        const leader = requireLeader(c, s);
        const followers = c.ids.filter((id) => id !== leader);
        s.step(`node ${leader} has just become leader: its first heartbeats to {${followers.join(',')}} are on their way`);
        s.step(`a client writes "a" to node ${leader} at once`);
        s.expect(c.write('a', leader), `node ${leader} to accept the write`, () => c.describe(leader));
        if (!c.awaitApplied('a', COMMIT_LIMIT_MS, c.ids)) {
          s.fail(`every node to apply "a" within ${COMMIT_LIMIT_MS} ms`, c.ids.map((id) => c.describe(id)).join('; '));
        }
      });
    },
  },
];

const byChallenge: Readonly<Record<string, () => Requirement<Mod>[]>> = {
  'stale-heartbeat': staleHeartbeat,
  'double-vote': doubleVote,
  'late-vote': lateVote,
  'index-mix': indexMix,
  'reordered-truncate': reorderedTruncate,
  'forgetful-restart': forgetfulRestart,
  'apply-twice': applyTwice,
  'phantom-copy': phantomCopy,
  'slow-catch-up': slowCatchUp,
  'early-commit': earlyCommit,
};

/** The requirements of challenge `name`: its own scenarios, every other challenge's, the common ones. */
export function challengeRequirements(name: string): Requirement<Mod>[] {
  const own = byChallenge[name];
  if (!own) throw new RangeError(`no raft challenge "${name}"`);
  const others = Object.entries(byChallenge).filter(([other]) => other !== name).flatMap(([, scenarios]) => scenarios());
  // A scenario two challenges share (the late AppendEntries) is listed once, where it first appears.
  const byId = new Map<string, Requirement<Mod>>();
  for (const requirement of [...own(), ...others, ...commonRequirements()]) {
    if (!byId.has(requirement.id)) byId.set(requirement.id, requirement);
  }
  return [...byId.values()];
}
