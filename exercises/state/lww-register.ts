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
    // TODO:
    //   1. timestamp = the larger of this.clock.now() and this.timestamp + 1 (clocks stand still
    //      and drift; a write made after seeing a value must still beat it).
    //   2. Hold the value, and remember this replica as its writer.
    //   3. Return the timestamp.
    void value;
    return 0;
  }

  get(): T | null {
    // TODO: the value held now (null before anything was written or merged in).
    return null;
  }

  /** Takes the other replica's value if it was written later, or at the same time by a larger writer id. */
  merge(other: LWWRegister<T>): void {
    // TODO: take other's value, timestamp AND writer when other.timestamp is larger, or when the
    // timestamps are equal and other.writer > this.writer. Compare writers, not this.nodeId:
    // the replica merging is not the replica that wrote the value.
    void other;
  }
}
