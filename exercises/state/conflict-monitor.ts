/**
 * Conflict monitoring: count conflicts per operation type, alert when the conflict rate goes
 * above a threshold, and suggest the data type that would make the conflicts go away.
 * Fill in every TODO, then run
 *   npm run exercise -- run state/conflict-monitor
 *
 * The document's ConflictMonitor. Alerts go to an injected `sendAlert` (a pager, a log, a test).
 */

/**
 * The four suggestions, word for word. Stock gets its own: a PN-Counter merges concurrent sales
 * but lets the count go below zero (two replicas each sell the last item), so stock that must stay
 * non-negative needs a bounded (escrow) counter or a coordinated decrement.
 */
export const RECOMMENDATIONS = {
  orSet: 'Consider using CRDT OR-Set for shopping carts',
  pnCounter: 'Consider using PN-Counter for distributed counters',
  boundedStock: 'Consider a bounded (escrow) counter or coordinated decrements for inventory',
  lwwRegister: 'Consider LWW-Register with field-level timestamps',
} as const;

export type Recommendation = (typeof RECOMMENDATIONS)[keyof typeof RECOMMENDATIONS];

export interface ConflictAnalysis {
  /** Conflicts / operations; 0 before any operation. */
  readonly totalConflictRate: number;
  /** Up to 5 [operation type, conflicts], most conflicts first, equal counts by name. */
  readonly topConflictOperations: readonly (readonly [string, number])[];
  readonly recommendations: readonly Recommendation[];
}

export interface ConflictMonitorOptions {
  /** Alert when the conflict rate is above this (0.01 = 1%). */
  readonly alertThreshold?: number;
  readonly sendAlert: (message: string) => void;
}

export class ConflictMonitor {
  private conflictCount = 0;
  private totalOperations = 0;
  private readonly conflictTypes = new Map<string, number>();
  private readonly alertThreshold: number;
  private readonly sendAlert: (message: string) => void;

  constructor(options: ConflictMonitorOptions) {
    this.alertThreshold = options.alertThreshold ?? 0.01;
    this.sendAlert = options.sendAlert;
  }

  /** Counts one operation; a conflict that leaves the rate above the threshold sends an alert. */
  recordOperation(operationType: string, hadConflict: boolean): void {
    // TODO:
    //   1. Count the operation. If it had a conflict, count the conflict, overall and for its type.
    //   2. After a conflict, if the rate is ABOVE alertThreshold (exactly at it is fine), call
    //      this.sendAlert with a message that includes "<conflicts>/<operations>", e.g.
    //      "High conflict rate: 5.26% (1/19)".
    void operationType;
    void hadConflict;
  }

  conflictRate(): number {
    // TODO: conflicts / operations, and 0 before any operation (not NaN).
    return 0;
  }

  analyzeConflictPatterns(): ConflictAnalysis {
    // TODO: sort the [type, conflicts] pairs, most conflicts first and equal counts by name
    // (a < b); report the rate, the first 5 pairs, and generateRecommendations(sorted).
    return { totalConflictRate: 0, topConflictOperations: [], recommendations: [] };
  }

  /**
   * One suggestion per kind, looking at the first three operation types: a name with the word
   * "cart" suggests an OR-Set; "inventory" a bounded counter; "counter" or "count" a PN-Counter;
   * "profile" an LWW-Register. Words are the parts between underscores: "discount_update" has no word "count".
   */
  generateRecommendations(conflictData: readonly (readonly [string, number])[]): Recommendation[] {
    // TODO: for each of the first three entries, split its name on '_' and pick the first rule
    // that matches (cart, then inventory, then counter/count, then profile). Compare whole words, not
    // substrings. Add each recommendation once, in the order first found.
    void conflictData;
    return [];
  }
}
