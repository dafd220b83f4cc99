import type { Clock } from './clock.ts';

/**
 * What a node running on the workbook's network simulator is given: everything it may use to
 * talk to the world. A node never imports the simulator; it is handed this environment when it is
 * created (and again, fresh, each time it restarts after a crash).
 *
 * Rules for node code: no Math.random, Date or global setTimeout of its own (use `random` and
 * `clock`), and no async waiting: handle each message or timer and return. That is what makes a
 * run replay exactly from its seed.
 */
export type NodeId = number;

/** Durable storage that survives a crash. Values are copied on save and on read. */
export interface Persister {
  /** Replaces the saved state (and the snapshot, when one is given; otherwise the old snapshot stays). */
  save(state: unknown, snapshot?: unknown): void;
  /** The last saved state, or undefined when nothing was ever saved. */
  readState(): unknown;
  /** The last saved snapshot, or undefined. */
  readSnapshot(): unknown;
}

export interface NodeEnv<Message, Applied = unknown> {
  readonly id: NodeId;
  /** Every node of the cluster, this one included, in ascending order. */
  readonly peers: readonly NodeId[];
  /** Sends a message. It may arrive late, out of order, twice, or never. */
  send(to: NodeId, message: Message): void;
  /** Virtual time: `now()` in ms, timers. Timers die with the node when it crashes. */
  readonly clock: Clock;
  /** A float in [0, 1) from the run's seeded generator. */
  random(): number;
  readonly persister: Persister;
  /** Hands a result (e.g. a committed command) to the service above the node. */
  apply(value: Applied): void;
}

/** What the simulator needs from a node. */
export interface SimNode<Message> {
  receive(from: NodeId, message: Message): void;
}
