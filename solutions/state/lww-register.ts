/**
 * LWW-Register: one value per replica; on merge the write with the larger timestamp wins, and the
 * WRITER's id breaks a tie. Fill in every TODO, then run
 *   npm run exercise -- run state/lww-register
 *
 * Every replica must pick the same winner from the same writes, whichever replica it hears them
 * from. That is why a tie is broken by who wrote the value (which travels with it), never by who
 * happens to be merging.
 */
import type { Clock } from '#workbook/clock';

export class LWWRegister<T = string> {
  // State is public so that another replica's merge can read it; only this class writes it.
  value: T | null = null;
  timestamp = 0;
  /** The replica that wrote the value held now ('' before any write). */
  writer = '';

  constructor(
    readonly nodeId: string,
    readonly clock: Clock,
  ) {}

  /**
   * Writes `value` and returns its timestamp: the clock's time, or one more than the timestamp held
   * now if that is larger, so a write always beats everything this replica has seen.
   */
  set(value: T): number {
    this.timestamp = Math.max(this.clock.now(), this.timestamp + 1);
    this.value = value;
    this.writer = this.nodeId;
    return this.timestamp;
  }

  get(): T | null {
    return this.value;
  }

  /** Takes the other replica's value if it was written later, or at the same time by a larger writer id. */
  merge(other: LWWRegister<T>): void {
    const newer = other.timestamp > this.timestamp || (other.timestamp === this.timestamp && other.writer > this.writer);
    if (!newer) return;
    this.value = other.value;
    this.timestamp = other.timestamp;
    this.writer = other.writer;
  }
}
