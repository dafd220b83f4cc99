import type { Clock, TimerHandle } from '#workbook/clock';
import type { NodeEnv, Persister, SimNode } from '#workbook/node-env';
import type { MessageLabel, NodeId, NodeStateSummary, SimEvent } from './events.ts';
import { EventQueue } from './queue.ts';
import { RELIABLE, type Fault, type NetworkProfile, type TimelineStep } from './network.ts';
import { createRng, type Rng } from './rng.ts';
import { copyData } from './copy.ts';

/**
 * A seeded discrete-event simulation of a cluster: virtual time in ms, a queue of message
 * deliveries, timers and scripted faults, and one RNG (from `seed`) behind every random choice.
 * Nothing runs until the caller moves time (`runFor`, `runUntil`); each event is handled to
 * completion before the next, so a run is a pure function of the seed, the nodes' code and the
 * calls made on the simulation. See checker/sim/README.md.
 *
 * Order within one millisecond: queued events (deliveries, timers, scheduled faults) due at the
 * same time are handled in the order they were scheduled, and one scheduled while handling an
 * event of that millisecond (a 0 ms timer, a resumed node's held events) comes after every event
 * already due then. A direct call (`inject`, `request`, `crash`, `partition`, ...) takes effect at
 * once, at the current time, before any event still queued for it; it never handles a queued
 * event or moves time. `runUntil` may stop between two events of one millisecond, leaving the
 * rest queued.
 */
export interface SimOptions<M, A, N extends SimNode<M>> {
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly network?: NetworkProfile;
  /** Builds a node, at the start and on every restart; `env` is fresh each time. */
  createNode(env: NodeEnv<M, A>): N;
  /** Type and short summary of a message, for the event log. */
  label?(message: M): MessageLabel;
  /** Term, role and commit index of a node, logged as a `state` event whenever it changes. */
  observe?(node: N): NodeStateSummary;
  /** A short description of an applied value, for the event log. */
  describeApply?(value: A): string;
  /** Called for every value a node applies, with the node's incarnation (0 at start, +1 per restart). */
  onApply?(node: NodeId, value: A, incarnation: number): void;
  /** Called for every message a node sends (before the network decides its fate). */
  onSend?(from: NodeId, to: NodeId, message: M, msgId: number): void;
  /** Called after every event is handled: the place to check invariants. */
  afterEvent?(event: SimEvent | undefined): void;
  /** Keep the full event log (default true); the count is kept either way. */
  keepLog?: boolean;
}

type Item =
  | { at: number; seq: number; kind: 'deliver'; msgId: number; from: NodeId; to: NodeId; message: unknown; label: MessageLabel; injected: boolean }
  | { at: number; seq: number; kind: 'timer'; timerId: number }
  | { at: number; seq: number; kind: 'fault'; fault: Fault };

interface Timer { node: NodeId; epoch: number; callback: () => void; periodMs?: number; label: string }
interface Stored { state: unknown; snapshot: unknown }
/** The state last logged for a node: its parts, or (for a summary of unusual types) the text they made. */
type LoggedState = { readonly term: number; readonly role: string; readonly commitIndex: number; readonly key?: undefined } | { readonly key: string };
interface Slot<N> { node?: N; epoch: number; incarnation: number; paused: boolean; held: Item[]; storage: Stored; lastState?: LoggedState }

export class Simulation<M, A = unknown, N extends SimNode<M> = SimNode<M>> {
  readonly rng: Rng;
  readonly log: SimEvent[] = [];
  eventCount = 0;
  private time = 0;
  private seq = 0;
  private msgSeq = 0;
  private timerSeq = 0;
  private network: NetworkProfile;
  private readonly queue = new EventQueue<Item>();
  private readonly timers = new Map<number, Timer>();
  private readonly slots = new Map<NodeId, Slot<N>>();
  private groupOf: Map<NodeId, number> | undefined;
  private readonly cuts = new Set<string>();
  private readonly crashOnSend = new Map<NodeId, (m: M) => boolean>();
  private pendingCrash: { node: NodeId; storage: Stored } | undefined;
  private readonly ids: readonly NodeId[];

  constructor(private readonly options: SimOptions<M, A, N>) {
    this.rng = createRng(options.seed);
    this.network = options.network ?? RELIABLE;
    this.ids = [...options.nodes].sort((a, b) => a - b);
    for (const id of this.ids) this.slots.set(id, { epoch: 0, incarnation: 0, paused: false, held: [], storage: { state: undefined, snapshot: undefined } });
    for (const id of this.ids) this.start(id);
  }

  get now(): number { return this.time; }
  get nodeIds(): readonly NodeId[] { return this.ids; }

  /** The running node, or undefined while it is crashed. */
  node(id: NodeId): N | undefined { return this.slot(id).node; }
  isUp(id: NodeId): boolean { return this.slot(id).node !== undefined; }
  isPaused(id: NodeId): boolean { return this.slot(id).paused; }
  incarnation(id: NodeId): number { return this.slot(id).incarnation; }
  /** What node `id` has persisted (copies), e.g. to measure its size. */
  persisted(id: NodeId): { state: unknown; snapshot: unknown } { return copyData(this.slot(id).storage); }
  /** What node `id` has persisted, as stored, for a grader to read after every event without copying it; never to be changed. */
  storedState(id: NodeId): unknown { return this.slot(id).storage.state; }
  /** Size in characters of the node's persisted state as JSON (the labs' "raft state size"). */
  persistedStateSize(id: NodeId): number { return JSON.stringify(this.slot(id).storage.state ?? null).length; }

  /** Can a message from `from` reach `to` right now? */
  reachable(from: NodeId, to: NodeId): boolean {
    if (this.cuts.size > 0 && this.cuts.has(`${from}>${to}`)) return false;
    return !this.groupOf || this.groupOf.get(from) === this.groupOf.get(to);
  }

  setNetwork(profile: NetworkProfile): void { this.network = profile; }

  // ---- faults -------------------------------------------------------------------------------

  crash(id: NodeId): void {
    const slot = this.slot(id);
    if (!slot.node) return;
    slot.node = undefined;
    slot.lastState = undefined; // a restarted node's first state is always logged
    slot.epoch++;
    slot.paused = false;
    for (const item of slot.held) if (item.kind === 'deliver') this.drop(item, 'crashed');
    slot.held = [];
    this.emit({ kind: 'crash', time: this.time, node: id });
  }

  restart(id: NodeId): void {
    const slot = this.slot(id);
    if (slot.node) return;
    slot.incarnation++;
    this.emit({ kind: 'restart', time: this.time, node: id });
    this.start(id);
  }

  pause(id: NodeId): void {
    const slot = this.slot(id);
    if (!slot.node || slot.paused) return;
    slot.paused = true;
    this.emit({ kind: 'pause', time: this.time, node: id });
  }

  resume(id: NodeId): void {
    const slot = this.slot(id);
    if (!slot.paused) return;
    slot.paused = false;
    this.emit({ kind: 'resume', time: this.time, node: id });
    // What waited while the node was paused happens now, in its original order.
    for (const item of slot.held) this.queue.push({ ...item, at: this.time, seq: this.seq++ });
    slot.held = [];
  }

  /** Splits the network; nodes left out of every group form one more group. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.groupOf = new Map();
    groups.forEach((g, i) => g.forEach((id) => this.groupOf!.set(id, i)));
    for (const id of this.ids) if (!this.groupOf.has(id)) this.groupOf.set(id, groups.length);
    this.emit({ kind: 'partition', time: this.time, groups: groups.map((g) => [...g]) });
  }

  /** One-way: messages from `from` to `to` are lost from now on. */
  cut(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}>${to}`);
    this.emit({ kind: 'cut', time: this.time, from, to });
  }

  /** Cuts `id` off from every other node, both ways. */
  isolate(id: NodeId): void {
    this.partition([[id], this.ids.filter((x) => x !== id)]);
  }

  heal(): void {
    this.groupOf = undefined;
    this.cuts.clear();
    this.emit({ kind: 'heal', time: this.time });
  }

  apply(fault: Fault): void {
    switch (fault.kind) {
      case 'crash': return this.crash(fault.node);
      case 'restart': return this.restart(fault.node);
      case 'pause': return this.pause(fault.node);
      case 'resume': return this.resume(fault.node);
      case 'partition': return this.partition(fault.groups);
      case 'cut': return this.cut(fault.from, fault.to);
      case 'heal': return this.heal();
      case 'network': return this.setNetwork(fault.profile);
    }
  }

  /** Schedules scripted faults at absolute virtual times (in the past: now). */
  schedule(steps: readonly TimelineStep[]): void {
    for (const s of steps) this.queue.push({ at: Math.max(s.at, this.time), seq: this.seq++, kind: 'fault', fault: s.fault });
  }

  /**
   * The next message `id` sends that `matches` goes out, and the node crashes right after it,
   * before it can do anything else: its persisted state is what it was when it sent the message.
   * This is how a grader tells "persisted, then replied" from "replied, then persisted".
   */
  crashAfterNextSend(id: NodeId, matches: (message: M) => boolean = () => true): void {
    this.crashOnSend.set(id, matches);
  }

  note(text: string): void { this.emit({ kind: 'note', time: this.time, text }); }

  // ---- driving the run ----------------------------------------------------------------------

  /** Runs a client call on a live, running node (logged); undefined when it is down or paused. */
  request<R>(id: NodeId, summary: string, call: (node: N) => R): R | undefined {
    const slot = this.slot(id);
    if (!slot.node || slot.paused) return undefined;
    const event: SimEvent = { kind: 'client-request', time: this.time, node: id, summary };
    this.emit(event);
    const result = this.handle(id, () => call(slot.node!));
    this.options.afterEvent?.(event);
    return result;
  }

  /**
   * Delivers a crafted message now, whatever the network (a late reply, an old request): the node
   * has handled it when this returns, and nothing else happened in between. It does not wait in
   * the queue, so an event already due at this millisecond (a second reply, a tick) is not handled
   * first, nor with it; it stays queued and is handled, in its order, the next time the caller
   * moves time (`runFor(0)` handles it at once). A paused node holds it until it resumes; a
   * crashed node drops it (`crashed`).
   */
  inject(from: NodeId, to: NodeId, message: M): void {
    const copy = copyData(message); // the node may keep or change what it is given
    this.process({ at: this.time, seq: this.seq++, kind: 'deliver', msgId: ++this.msgSeq, from, to, message: copy, label: this.label(copy), injected: true });
  }

  /** Handles the next event; false when nothing is scheduled. */
  step(): boolean {
    const item = this.queue.pop();
    if (!item) return false;
    this.time = Math.max(this.time, item.at);
    this.process(item);
    return true;
  }

  /** Moves virtual time forward by `ms`, handling every event due on the way. */
  runFor(ms: number): void {
    const end = this.time + ms;
    while (this.queue.size > 0 && this.queue.peek()!.at <= end) this.step();
    this.time = end;
  }

  /** Runs until `done()` holds (checked after every event) or `limitMs` pass; returns whether it held. */
  runUntil(done: () => boolean, limitMs: number): boolean {
    const end = this.time + limitMs;
    if (done()) return true;
    while (this.queue.size > 0 && this.queue.peek()!.at <= end) {
      this.step();
      if (done()) return true;
    }
    this.time = end;
    return done();
  }

  // ---- internals ----------------------------------------------------------------------------

  private slot(id: NodeId): Slot<N> {
    const slot = this.slots.get(id);
    if (!slot) throw new RangeError(`no node ${id} in this simulation (nodes: ${this.ids.join(', ')})`);
    return slot;
  }

  private label(message: M): MessageLabel {
    if (this.options.label) return this.options.label(message);
    const type = (message as { type?: unknown })?.type;
    return { type: typeof type === 'string' ? type : 'message', summary: '' };
  }

  private emit(event: SimEvent): void {
    this.eventCount++;
    if (this.options.keepLog !== false) this.log.push(event);
  }

  private start(id: NodeId): void {
    const slot = this.slot(id);
    const epoch = slot.epoch;
    slot.node = this.handle(id, () => this.options.createNode(this.envFor(id, epoch)));
    // handle() could not observe a node that did not exist yet: log its starting state now.
    this.observe(id);
  }

  /** Runs node code, then logs a changed state and carries out a crash-after-send. */
  private handle<R>(id: NodeId, body: () => R): R {
    const result = body();
    this.afterNodeCode(id);
    return result;
  }

  /** What `handle` does once node code returned; the hot paths call node code directly, then this (no closure per event). */
  private afterNodeCode(id: NodeId): void {
    const crash = this.pendingCrash;
    if (crash && crash.node === id) {
      this.pendingCrash = undefined;
      this.slot(id).storage = crash.storage;
      this.crash(id);
    } else {
      this.observe(id);
    }
  }

  private observe(id: NodeId): void {
    const slot = this.slot(id);
    if (!this.options.observe || !slot.node) return;
    const s = this.options.observe(slot.node);
    if (slot.lastState !== undefined && sameState(s, slot.lastState)) return;
    slot.lastState = plainState(s) ? { term: s.term, role: s.role, commitIndex: s.commitIndex } : { key: stateKey(s) };
    this.emit({ kind: 'state', time: this.time, node: id, term: s.term, role: s.role, commitIndex: s.commitIndex });
  }

  private process(item: Item): void {
    if (item.kind === 'fault') {
      this.apply(item.fault);
      this.options.afterEvent?.(this.log[this.log.length - 1]);
      return;
    }
    if (item.kind === 'timer') {
      const timer = this.timers.get(item.timerId);
      if (!timer) return;
      const slot = this.slot(timer.node);
      if (slot.epoch !== timer.epoch || !slot.node) { this.timers.delete(item.timerId); return; }
      if (slot.paused) { slot.held.push(item); return; }
      if (timer.periodMs === undefined) this.timers.delete(item.timerId);
      else this.queue.push({ at: this.time + timer.periodMs, seq: this.seq++, kind: 'timer', timerId: item.timerId });
      const event: SimEvent = { kind: 'timer', time: this.time, node: timer.node, label: timer.label };
      this.emit(event);
      const callback = timer.callback;
      callback();
      this.afterNodeCode(timer.node);
      this.options.afterEvent?.(event);
      return;
    }
    const slot = this.slot(item.to);
    if (!item.injected && !this.reachable(item.from, item.to)) return this.drop(item, 'partition');
    if (!slot.node) return this.drop(item, 'crashed');
    if (slot.paused) { slot.held.push(item); return; }
    const label = item.label;
    const event: SimEvent = item.injected
      ? { kind: 'deliver', time: this.time, from: item.from, to: item.to, msgId: item.msgId, type: label.type, summary: label.summary, injected: true }
      : { kind: 'deliver', time: this.time, from: item.from, to: item.to, msgId: item.msgId, type: label.type, summary: label.summary };
    this.emit(event);
    slot.node.receive(item.from, item.message as M);
    this.afterNodeCode(item.to);
    this.options.afterEvent?.(event);
  }

  private drop(item: Pick<Extract<Item, { kind: 'deliver' }>, 'msgId' | 'from' | 'to' | 'label'>, reason: 'lost' | 'partition' | 'crashed'): void {
    this.emit({ kind: 'drop', time: this.time, from: item.from, to: item.to, msgId: item.msgId, type: item.label.type, summary: item.label.summary, reason });
  }

  private send(from: NodeId, epoch: number, to: NodeId, message: M): void {
    const slot = this.slot(from);
    if (slot.epoch !== epoch || !this.slots.has(to)) return; // a dead incarnation, or no such node
    const copy = copyData(message);
    const label = this.label(copy);
    const msgId = ++this.msgSeq;
    this.emit({ kind: 'send', time: this.time, from, to, msgId, type: label.type, summary: label.summary });
    this.options.onSend?.(from, to, copy, msgId);
    const trigger = this.crashOnSend.get(from);
    if (trigger?.(copy)) {
      this.crashOnSend.delete(from);
      this.pendingCrash = { node: from, storage: copyData(slot.storage) };
    }
    if (!this.reachable(from, to)) return this.drop({ msgId, from, to, label }, 'partition');
    const net = this.network;
    if (this.rng.chance(net.dropProbability)) return this.drop({ msgId, from, to, label }, 'lost');
    this.enqueue(msgId, from, to, copy, label, net);
    if (this.rng.chance(net.duplicateProbability)) {
      const copyId = ++this.msgSeq;
      this.emit({ kind: 'duplicate', time: this.time, from, to, msgId: copyId, copyOf: msgId, type: label.type, summary: label.summary });
      this.enqueue(copyId, from, to, copyData(copy), label, net);
    }
  }

  private enqueue(msgId: number, from: NodeId, to: NodeId, message: unknown, label: MessageLabel, net: NetworkProfile): void {
    let delay = this.rng.int(net.minDelayMs, net.maxDelayMs);
    if (this.rng.chance(net.reorderProbability)) delay += this.rng.int(0, net.reorderExtraMs);
    this.queue.push({ at: this.time + delay, seq: this.seq++, kind: 'deliver', msgId, from, to, message, label, injected: false });
  }

  private envFor(id: NodeId, epoch: number): NodeEnv<M, A> {
    const slot = this.slot(id);
    // Frozen, like the env and its clock: what the simulator hands a node is hardened, so nothing
    // a node does to these objects changes how the simulator stores, times or reports it.
    const persister: Persister = {
      save: (state, snapshot) => {
        if (this.slot(id).epoch !== epoch) return;
        slot.storage = { state: copyData(state), snapshot: snapshot === undefined ? slot.storage.snapshot : copyData(snapshot) };
      },
      readState: () => copyData(slot.storage.state),
      readSnapshot: () => copyData(slot.storage.snapshot),
    };
    const env: NodeEnv<M, A> = {
      id,
      peers: Object.freeze([...this.ids]),
      send: (to, message) => this.send(id, epoch, to, message),
      clock: this.clockFor(id, epoch),
      random: () => this.rng.next(),
      persister: Object.freeze(persister),
      apply: (handed) => {
        if (slot.epoch !== epoch) return;
        // The service above keeps what it is handed: a copy, so the node cannot change it later.
        const value = copyData(handed);
        const summary = this.options.describeApply ? this.options.describeApply(value) : JSON.stringify(value);
        this.emit({ kind: 'apply', time: this.time, node: id, summary });
        this.options.onApply?.(id, value, slot.incarnation);
      },
    };
    return Object.freeze(env);
  }

  private clockFor(id: NodeId, epoch: number): Clock {
    const add = (callback: () => void, ms: number, periodMs?: number): TimerHandle => {
      const timerId = ++this.timerSeq;
      if (this.slot(id).epoch !== epoch) return timerId;
      const label = periodMs === undefined ? `timeout ${ms}ms` : `every ${periodMs}ms`;
      this.timers.set(timerId, { node: id, epoch, callback, periodMs, label });
      this.queue.push({ at: this.time + Math.max(0, ms), seq: this.seq++, kind: 'timer', timerId });
      return timerId;
    };
    // Timer handles are numbers from one counter: a node may cancel only its own timers, never
    // guess a peer's and stop it.
    const cancel = (handle: TimerHandle): void => {
      const timer = this.timers.get(handle as number);
      if (timer && timer.node === id && timer.epoch === epoch) this.timers.delete(handle as number);
    };
    const clock: Clock = {
      now: () => this.time,
      setTimeout: (callback, ms) => add(callback, ms),
      clearTimeout: cancel,
      setInterval: (callback, ms) => add(callback, Math.max(1, ms), Math.max(1, ms)),
      clearInterval: cancel,
      // Node code should not wait; this exists so the Clock type is complete. It resolves when
      // the simulation reaches that time and the caller next awaits.
      sleep: (ms) => new Promise<void>((resolve) => { add(resolve, ms); }),
    };
    return Object.freeze(clock);
  }
}

/**
 * Whether a node's state summary is the one last logged, i.e. whether they read the same as
 * "term/role/commitIndex" text (so NaN equals NaN and 0 equals -0), without building the text
 * when term and commitIndex are numbers and role a string, as they are for any sane node.
 */
function sameState(now: NodeStateSummary, last: LoggedState): boolean {
  if (last.key === undefined && plainState(now)) {
    return sameNumber(now.term, last.term) && now.role === last.role && sameNumber(now.commitIndex, last.commitIndex);
  }
  return stateKey(now) === (last.key ?? stateKey(last as NodeStateSummary));
}

function plainState(s: NodeStateSummary): boolean {
  return typeof s.term === 'number' && typeof s.commitIndex === 'number' && typeof s.role === 'string';
}

function stateKey(s: NodeStateSummary): string {
  return `${s.term}/${s.role}/${s.commitIndex}`;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b); // eslint-disable-line no-self-compare
}
