import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NodeEnv } from '#workbook/node-env';
import { Simulation } from './sim.ts';
import { formatEvent, type SimEvent } from './events.ts';
import { PROFILES, RELIABLE, UNRELIABLE, timelineArbitrary, type NetworkProfile, type TimelineStep } from './network.ts';

/** A toy protocol: every node pings a random peer on a random timer; peers answer; counts persist. */
type Msg = { type: 'ping' | 'pong'; n: number };
class Pinger {
  pongs = 0;
  private sent: number;
  constructor(private readonly env: NodeEnv<Msg, number>) {
    this.sent = (env.persister.readState() as number | undefined) ?? 0;
    const again = () => {
      const peers = env.peers.filter((p) => p !== env.id);
      const to = peers[Math.floor(env.random() * peers.length)]!;
      this.sent++;
      env.persister.save(this.sent);
      env.send(to, { type: 'ping', n: this.sent });
      env.clock.setTimeout(again, 20 + Math.floor(env.random() * 30));
    };
    env.clock.setTimeout(again, Math.floor(env.random() * 30));
  }
  receive(from: number, m: Msg): void {
    if (m.type === 'ping') this.env.send(from, { type: 'pong', n: m.n });
    else { this.pongs++; this.env.apply(m.n); }
  }
  get sentCount(): number { return this.sent; }
}

function run(seed: number, network: NetworkProfile, timeline: readonly TimelineStep[] = [], ms = 2000): Simulation<Msg, number, Pinger> {
  const sim = new Simulation<Msg, number, Pinger>({
    seed,
    nodes: [1, 2, 3, 4, 5],
    network,
    createNode: (env) => new Pinger(env),
    label: (m) => ({ type: m.type, summary: `n=${m.n}` }),
  });
  sim.schedule(timeline);
  sim.runFor(ms);
  return sim;
}

const kinds = (log: readonly SimEvent[]) => new Set(log.map((e) => e.kind));

describe('the simulator is deterministic', () => {
  it('the same seed gives the same full event log, under every profile with random faults', () => {
    for (const profile of Object.values(PROFILES)) {
      const [timeline] = fc.sample(timelineArbitrary(profile, [1, 2, 3, 4, 5], { endMs: 1800 }), { seed: 7, numRuns: 1 });
      const a = run(42, profile.network, timeline);
      const b = run(42, profile.network, timeline);
      expect(a.log.length).toBeGreaterThan(100);
      expect(b.log.map(formatEvent)).toEqual(a.log.map(formatEvent));
    }
  });

  it('a different seed gives a different run', () => {
    const a = run(1, UNRELIABLE).log.map(formatEvent);
    const b = run(2, UNRELIABLE).log.map(formatEvent);
    expect(b).not.toEqual(a);
  });
});

describe('network faults', () => {
  it('a reliable network delivers every message within its delay range, each once', () => {
    const sim = run(3, RELIABLE);
    const sends = sim.log.filter((e) => e.kind === 'send');
    const delivers = new Map(sim.log.filter((e) => e.kind === 'deliver').map((e) => [(e as { msgId: number }).msgId, e]));
    expect(kinds(sim.log).has('drop')).toBe(false);
    for (const s of sends) {
      const d = delivers.get((s as { msgId: number }).msgId);
      if (!d) { expect(s.time).toBeGreaterThan(2000 - RELIABLE.maxDelayMs); continue; }
      expect(d.time - s.time).toBeGreaterThanOrEqual(RELIABLE.minDelayMs);
      expect(d.time - s.time).toBeLessThanOrEqual(RELIABLE.maxDelayMs);
    }
  });

  it('an unreliable network loses, duplicates and reorders messages', () => {
    const sim = run(4, UNRELIABLE, [], 5000);
    const drops = sim.log.filter((e) => e.kind === 'drop' && e.reason === 'lost').length;
    const sends = sim.log.filter((e) => e.kind === 'send').length;
    expect(drops / sends).toBeGreaterThan(0.05);
    expect(drops / sends).toBeLessThan(0.15);
    expect(kinds(sim.log).has('duplicate')).toBe(true);
    // Reordered: some pair of messages on one link arrives in the opposite order it was sent.
    const sentAt = new Map(sim.log.filter((e) => e.kind === 'send').map((e) => [(e as { msgId: number }).msgId, e.time]));
    const lastSendPerLink = new Map<string, number>();
    let overtaken = 0;
    for (const e of sim.log) {
      if (e.kind !== 'deliver' || !sentAt.has(e.msgId)) continue;
      const link = `${e.from}>${e.to}`;
      const t = sentAt.get(e.msgId)!;
      if (t < (lastSendPerLink.get(link) ?? -1)) overtaken++;
      lastSendPerLink.set(link, Math.max(t, lastSendPerLink.get(link) ?? -1));
    }
    expect(overtaken).toBeGreaterThan(0);
  });

  it('a partition drops messages between its sides, both ways; a cut drops one way only; heal repairs both', () => {
    const sim = run(5, RELIABLE, [
      { at: 100, fault: { kind: 'partition', groups: [[1, 2], [3, 4, 5]] } },
      { at: 600, fault: { kind: 'heal' } },
      { at: 700, fault: { kind: 'cut', from: 1, to: 3 } },
    ], 1200);
    const crosses = (e: { from: number; to: number }) => [1, 2].includes(e.from) !== [1, 2].includes(e.to);
    const during = sim.log.filter((e) => e.time > 105 && e.time < 600 && e.kind === 'deliver');
    expect(during.some((e) => e.kind === 'deliver' && crosses(e))).toBe(false);
    expect(sim.log.some((e) => e.kind === 'drop' && e.reason === 'partition' && e.time < 600)).toBe(true);
    const late = sim.log.filter((e) => e.time > 706 && e.kind === 'deliver') as Extract<SimEvent, { kind: 'deliver' }>[];
    expect(late.some((e) => e.from === 1 && e.to === 3)).toBe(false);
    expect(late.some((e) => e.from === 3 && e.to === 1)).toBe(true);
    expect(late.some((e) => crosses(e))).toBe(true);
  });

  it('a crashed node loses its volatile state and timers; a restarted one starts from what it persisted', () => {
    const sim = run(6, RELIABLE, [{ at: 500, fault: { kind: 'crash', node: 2 } }], 1000);
    const persistedSent = sim.persisted(2).state as number;
    expect(sim.node(2)).toBeUndefined();
    expect(sim.log.some((e) => e.kind === 'drop' && e.reason === 'crashed' && e.to === 2)).toBe(true);
    expect(sim.log.some((e) => e.time > 500 && ((e.kind === 'timer' && e.node === 2) || (e.kind === 'send' && e.from === 2)))).toBe(false);
    sim.restart(2);
    expect(sim.node(2)!.pongs).toBe(0);
    expect(sim.node(2)!.sentCount).toBe(persistedSent);
    expect(sim.incarnation(2)).toBe(1);
    sim.runFor(200);
    expect(sim.node(2)!.sentCount).toBeGreaterThan(persistedSent);
  });

  it('a paused node does nothing; what it missed happens when it resumes, late', () => {
    const sim = run(7, RELIABLE, [{ at: 300, fault: { kind: 'pause', node: 3 } }, { at: 800, fault: { kind: 'resume', node: 3 } }], 1000);
    expect(sim.log.some((e) => e.time > 300 && e.time < 800 && (e.kind === 'deliver' || e.kind === 'timer') && ('to' in e ? e.to : e.node) === 3)).toBe(false);
    expect(sim.log.filter((e) => e.time === 800 && e.kind === 'deliver' && e.to === 3).length).toBeGreaterThan(1);
  });

  it('crashAfterNextSend: the message goes out, the node crashes, and its storage is what it was at the send', () => {
    const sim = new Simulation<Msg, number, Pinger>({ seed: 8, nodes: [1, 2], createNode: (env) => new Pinger(env) });
    sim.runFor(100);
    const before = sim.persisted(1).state as number;
    sim.crashAfterNextSend(1, (m) => m.type === 'ping');
    sim.runFor(100);
    expect(sim.isUp(1)).toBe(false);
    expect(sim.persisted(1).state).toBe(before + 1);
    const crashAt = sim.log.findIndex((e) => e.kind === 'crash');
    expect(sim.log[crashAt - 1]).toMatchObject({ kind: 'send', from: 1, type: 'ping' });
  });

  it('an injected message is delivered at once, across a partition, marked injected', () => {
    const sim = run(9, RELIABLE, [{ at: 0, fault: { kind: 'partition', groups: [[1], [2, 3, 4, 5]] } }], 100);
    const pongs = sim.node(1)!.pongs;
    sim.inject(2, 1, { type: 'pong', n: 99 });
    expect(sim.node(1)!.pongs).toBe(pongs + 1);
    expect(sim.log.at(-1)).toMatchObject({ kind: 'apply', node: 1 });
    expect(sim.log.at(-2)).toMatchObject({ kind: 'deliver', from: 2, to: 1, injected: true });
  });

  it('random timelines follow the seed and stay inside their window', () => {
    const arb = timelineArbitrary(PROFILES.churn, [1, 2, 3], { startMs: 100, endMs: 3000 });
    const a = fc.sample(arb, { seed: 11, numRuns: 20 });
    expect(fc.sample(arb, { seed: 11, numRuns: 20 })).toEqual(a);
    for (const t of a) for (const s of t) expect(s.at).toBeGreaterThan(100), expect(s.at).toBeLessThanOrEqual(3000);
    expect(a.some((t) => t.some((s) => s.fault.kind === 'crash'))).toBe(true);
    expect(fc.sample(timelineArbitrary(PROFILES.reliable, [1, 2, 3], { endMs: 3000 }), { seed: 1, numRuns: 3 })).toEqual([[], [], []]);
  });

  it('logs a state only when its "term/role/commitIndex" reading changes: NaN stays NaN, 0 and -0 are one, odd types compare as text', () => {
    const states: { term: unknown; role: unknown; commitIndex: unknown }[] = [
      { term: NaN, role: 'follower', commitIndex: 0 }, { term: NaN, role: 'follower', commitIndex: -0 },
      { term: 1, role: 'follower', commitIndex: 0 }, { term: '1', role: 'follower', commitIndex: 0 },
      { term: 1, role: 'leader', commitIndex: 0 }, { term: 1, role: { toString: () => 'leader' }, commitIndex: 0 }, { term: 1, role: 'leader', commitIndex: 2 },
    ];
    let next = 0;
    const sim = new Simulation<Msg, number, { receive(): void }>({
      seed: 1, nodes: [1],
      createNode: (env) => { env.clock.setInterval(() => undefined, 10); return { receive: () => undefined }; },
      observe: () => states[Math.min(next++, states.length - 1)] as never,
    });
    sim.runFor(100);
    const logged = sim.log.filter((e) => e.kind === 'state').map((e) => e.kind === 'state' && `${String(e.term)}/${String(e.role)}/${String(e.commitIndex)}`);
    expect(logged).toEqual(['NaN/follower/0', '1/follower/0', '1/leader/0', '1/leader/2']);
  });
});

/** A node that writes down, in order, every timer and message it handles. */
type Note = string;
class Recorder {
  readonly seen: Note[] = [];
  constructor(readonly env: NodeEnv<Note, never>) {}
  receive(from: number, m: Note): void { this.seen.push(`${m} from ${from}`); }
  at(ms: number, what: string, then?: () => void): void {
    this.env.clock.setTimeout(() => { this.seen.push(what); then?.(); }, ms);
  }
}

/** Every message takes exactly 3 ms, so two sent at one time arrive at one time. */
const FIXED_DELAY: NetworkProfile = { ...RELIABLE, minDelayMs: 3, maxDelayMs: 3 };

function recorders(nodes: number[], afterEvent?: (sim: Simulation<Note, never, Recorder>, e: SimEvent | undefined) => void): Simulation<Note, never, Recorder> {
  const sim: Simulation<Note, never, Recorder> = new Simulation<Note, never, Recorder>({
    seed: 12, nodes, network: FIXED_DELAY, createNode: (env) => new Recorder(env),
    label: (m) => ({ type: m, summary: '' }), afterEvent: afterEvent && ((e) => afterEvent(sim, e)),
  });
  return sim;
}

describe('events due in the same millisecond, and direct delivery (the order README.md states)', () => {
  it('queued events due at one millisecond are handled in the order they were scheduled; one scheduled for that millisecond while it runs comes last', () => {
    const sim = recorders([1, 2]);
    const node = sim.node(1)!;
    node.at(10, 'first', () => node.at(0, 'scheduled while handling first'));
    node.at(10, 'second');
    node.at(10, 'third');
    sim.runFor(10);
    expect(node.seen).toEqual(['first', 'second', 'third', 'scheduled while handling first']);
  });

  it('an injected message is handled at once, before a timer already due at that millisecond, which waits for time to move', () => {
    const sim = recorders([1, 2]);
    const node = sim.node(2)!;
    node.at(10, 'A');
    node.at(10, 'B');
    // runUntil stops between two events of one millisecond: B is still due at 10 ms.
    expect(sim.runUntil(() => node.seen.includes('A'), 100)).toBe(true);
    expect(sim.now).toBe(10);
    sim.inject(1, 2, 'crafted');
    expect(node.seen).toEqual(['A', 'crafted from 1']);
    sim.runFor(0);
    expect(node.seen).toEqual(['A', 'crafted from 1', 'B']);
    expect(sim.now).toBe(10);
  });

  it('the check after an injected message runs right after it, before a delivery due at that millisecond (a second reply as an election is won)', () => {
    const checked: string[][] = [];
    const sim = recorders([1, 2, 3], (s, e) => { if (e?.kind === 'deliver') checked.push([...s.node(3)!.seen]); });
    sim.node(1)!.at(0, 'sends', () => sim.node(1)!.env.send(3, 'reply'));
    sim.node(2)!.at(0, 'sends', () => sim.node(2)!.env.send(3, 'reply'));
    expect(sim.runUntil(() => sim.node(3)!.seen.length > 0, 100)).toBe(true);
    expect(sim.now).toBe(3);
    sim.inject(2, 3, 'crafted');
    expect(checked).toEqual([['reply from 1'], ['reply from 1', 'crafted from 2']]);
    expect(sim.log.at(-1)).toMatchObject({ kind: 'deliver', from: 2, to: 3, injected: true });
    sim.runFor(0);
    expect(sim.node(3)!.seen).toEqual(['reply from 1', 'crafted from 2', 'reply from 2']);
  });

  it('an injected message reaches a paused node when it resumes, and a crashed node never', () => {
    const sim = recorders([1, 2, 3]);
    sim.pause(2);
    sim.inject(1, 2, 'held');
    expect(sim.node(2)!.seen).toEqual([]);
    sim.resume(2);
    sim.runFor(0);
    expect(sim.node(2)!.seen).toEqual(['held from 1']);
    sim.crash(3);
    sim.inject(1, 3, 'lost');
    expect(sim.log.at(-1)).toMatchObject({ kind: 'drop', to: 3, reason: 'crashed' });
  });
});
