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
    this.totalOperations += 1;
    if (!hadConflict) return;
    this.conflictCount += 1;
    this.conflictTypes.set(operationType, (this.conflictTypes.get(operationType) ?? 0) + 1);
    const rate = this.conflictRate();
    // Strictly above: a rate exactly at the threshold is what was agreed to be acceptable.
    if (rate > this.alertThreshold) {
      this.sendAlert(`High conflict rate: ${(rate * 100).toFixed(2)}% (${this.conflictCount}/${this.totalOperations})`);
    }
  }

  conflictRate(): number {
    return this.totalOperations === 0 ? 0 : this.conflictCount / this.totalOperations;
  }

  analyzeConflictPatterns(): ConflictAnalysis {
    const sorted = [...this.conflictTypes].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
    return {
      totalConflictRate: this.conflictRate(),
      topConflictOperations: sorted.slice(0, 5),
      recommendations: this.generateRecommendations(sorted),
    };
  }

  /**
   * One suggestion per kind, looking at the first three operation types: a name with the word
   * "cart" suggests an OR-Set; "inventory" a bounded counter; "counter" or "count" a PN-Counter;
   * "profile" an LWW-Register. Words are the parts between underscores: "discount_update" has no word "count".
   */
  generateRecommendations(conflictData: readonly (readonly [string, number])[]): Recommendation[] {
    const recommendations: Recommendation[] = [];
    for (const [operation] of conflictData.slice(0, 3)) {
      const words = operation.split('_');
      const pick = words.includes('cart')
        ? RECOMMENDATIONS.orSet
        : words.includes('inventory')
          ? RECOMMENDATIONS.boundedStock
          : words.some((w) => w === 'counter' || w === 'count')
            ? RECOMMENDATIONS.pnCounter
            : words.includes('profile')
              ? RECOMMENDATIONS.lwwRegister
              : undefined;
      if (pick && !recommendations.includes(pick)) recommendations.push(pick);
    }
    return recommendations;
  }
}
