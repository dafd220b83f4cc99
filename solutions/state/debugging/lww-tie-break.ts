/**
 * A last-writer-wins register (LWW-Register), the CRDT behind "the latest edit of a profile field wins".
 * Each replica keeps one value with the timestamp of the write that produced it; replicas exchange
 * state with `merge`, and a later timestamp always beats an earlier one. Two writes can carry the
 * same timestamp (clocks are coarse, and two devices can write in the same millisecond), so the
 * register also needs a tie-break that every replica applies the same way.
 *
 * The contract: after any merges, a replica shows the write with the largest timestamp it has heard
 * of; among writes with equal timestamps, the one made by the writer with the larger id (compared
 * as strings) wins. Replicas that have heard of the same writes therefore show the same value, in
 * whatever order the merges happened.
 *
 * Reported symptom: three devices share one "email" field. A phone and a laptop changed it in the
 * same millisecond. Once every device had synced with every other, the tablet showed the phone's
 * address and the laptop showed its own, and syncing again did not make them agree for good.
 *
 * Run it: npx tsx exercises/state/debugging/lww-tie-break.ts
 * Grade it: npm run exercise -- challenge state/1
 */
import type { Clock } from '#workbook/clock';

export class LWWRegister<T> {
  // The state is public so that you can print it while debugging; only set() and merge() change it.
  value: T | undefined = undefined;
  /** Timestamp of the write the value came from; 0 before any write. */
  timestamp = 0;
  /** Id of the replica that made that write ('' before any). */
  writerId = '';

  constructor(
    /** This replica's id (a device, a datacenter). */
    readonly replicaId: string,
    readonly clock: Clock,
  ) {}

  /** Writes locally, stamped with this replica's clock; returns the timestamp. */
  set(value: T): number {
    this.value = value;
    this.timestamp = this.clock.now();
    this.writerId = this.replicaId;
    return this.timestamp;
  }

  get(): T | undefined {
    return this.value;
  }

  /** Timestamp of the write currently shown (0 before any). */
  getTimestamp(): number {
    return this.timestamp;
  }

  /** Takes in another replica's state. */
  merge(other: LWWRegister<T>): void {
    // The tie-break compares the writers of the two values, never the replicas holding them: the
    // replicas' ids differ from one merge to the next, the writers' ids travel with the values.
    const newer = other.timestamp > this.timestamp || (other.timestamp === this.timestamp && other.writerId > this.writerId);
    if (newer) {
      this.value = other.value;
      this.timestamp = other.timestamp;
      this.writerId = other.writerId;
    }
  }
}

/** A clock that shows whatever time it is told to (the demo's devices write in the same millisecond). */
function fixedClock(at: () => number): Clock {
  const never = (): never => {
    throw new Error('this clock has no timers');
  };
  return { now: at, setTimeout: never, clearTimeout: never, setInterval: never, clearInterval: never, sleep: never };
}

function main(): void {
  let now = 1_000;
  const clock = fixedClock(() => now);
  const phone = new LWWRegister<string>('phone', clock);
  const laptop = new LWWRegister<string>('laptop', clock);
  const tablet = new LWWRegister<string>('tablet', clock);
  phone.set('john.mobile@example.com');
  laptop.set('john.laptop@example.com');
  console.log(`phone and laptop both write at t=${now} ms`);
  now = 2_000;
  tablet.merge(laptop);
  tablet.merge(phone);
  laptop.merge(phone);
  phone.merge(laptop);
  console.log('sync: tablet <- laptop, tablet <- phone, laptop <- phone, phone <- laptop');
  for (const device of [phone, laptop, tablet]) console.log(`  ${device.replicaId.padEnd(6)} shows ${device.get()}`);
  console.log('Every device has heard of both writes, so they should all show the same one.');
}

if (import.meta.filename === process.argv[1]) main();
