import fc from 'fast-check';
import type * as Impl from '../../../solutions/state/conflict-monitor.ts';
import { checkSchedules, defineGrader, show } from '../../engine/grader.ts';

type Module = typeof Impl;

/** The recommendation texts come from the learner's own module (they are given, not written). */
function monitor(impl: Module, alertThreshold?: number) {
  const alerts: string[] = [];
  const m = new impl.ConflictMonitor(alertThreshold === undefined ? { sendAlert: (msg) => alerts.push(msg) } : { alertThreshold, sendAlert: (msg) => alerts.push(msg) });
  return { m, alerts };
}

const sameSet = (xs: readonly string[]) => [...xs].sort();

export default defineGrader<Module>({
  requiredExports: ['ConflictMonitor', 'RECOMMENDATIONS'],
  requirements: [
    {
      id: 'alert-above-threshold',
      title: 'An alert goes out when a conflict takes the rate above the threshold, not when it is exactly at it (5%: 1 in 20 is quiet, 1 in 19 alerts; default 1%: 1 in 100 quiet, 1 in 99 alerts; a threshold of 0: 1 in 100 alerts)',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        for (const [threshold, quietOps] of [[0.05, 20], [undefined, 100]] as const) {
          const label = threshold === undefined ? 'the default threshold (1%)' : `alert threshold ${threshold}`;
          for (const total of [quietOps, quietOps - 1]) {
            const s = scenario(`a ConflictMonitor with ${label}`);
            const { m, alerts } = monitor(impl, threshold);
            s.step(`${total - 1} operations without a conflict, then one with a conflict (1 in ${total})`);
            for (let i = 0; i < total - 1; i++) m.recordOperation('user_cart_update', false);
            s.expectEqual(alerts.length, 0, 'alerts before any conflict');
            m.recordOperation('user_cart_update', true);
            if (total === quietOps) {
              s.expect(alerts.length === 0, `no alert: 1/${total} is exactly the threshold`, () => `alerts: ${show(alerts)}`);
            } else {
              s.expect(alerts.length === 1 && alerts[0]!.includes(`1/${total}`), `one alert whose message includes "1/${total}"`, () => `alerts: ${show(alerts)}`);
            }
            s.expectEqual(m.conflictRate(), 1 / total, 'conflictRate()');
          }
        }
        const s = scenario('a ConflictMonitor with alert threshold 0.05');
        const { m, alerts } = monitor(impl, 0.05);
        s.step('conflictRate() before anything happened; then 1 conflict and 1 clean operation');
        s.expectEqual(m.conflictRate(), 0, 'conflictRate() with no operations');
        m.recordOperation('x', true);
        m.recordOperation('x', false);
        s.expectEqual(alerts.length, 1, 'alerts (only the conflict alerts; the clean operation does not)');
        const z = scenario('a ConflictMonitor with alert threshold 0 (any conflict at all is too many)');
        const zero = monitor(impl, 0);
        z.step('99 operations without a conflict, then one with a conflict (1 in 100)');
        for (let i = 0; i < 99; i++) zero.m.recordOperation('user_cart_update', false);
        zero.m.recordOperation('user_cart_update', true);
        z.expect(zero.alerts.length === 1 && zero.alerts[0]!.includes('1/100'), 'one alert whose message includes "1/100": 1% is above a threshold of 0', () => `alerts: ${show(zero.alerts)}`);
      },
    },
    {
      id: 'document-example',
      title: 'The document\'s e-commerce example: rate 3/5, the three conflicting operations ranked, and an OR-Set, an LWW-Register and a bounded counter for the stock suggested',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const s = scenario('a ConflictMonitor with alert threshold 0.05');
        const { m } = monitor(impl, 0.05);
        s.step('user_cart_update (conflict), product_view_count, user_profile_update (conflict), inventory_decrement (conflict), user_cart_update');
        m.recordOperation('user_cart_update', true);
        m.recordOperation('product_view_count', false);
        m.recordOperation('user_profile_update', true);
        m.recordOperation('inventory_decrement', true);
        m.recordOperation('user_cart_update', false);
        const a = m.analyzeConflictPatterns();
        s.expectEqual(a.totalConflictRate, 0.6, 'totalConflictRate');
        s.expectEqual(a.topConflictOperations, [['inventory_decrement', 1], ['user_cart_update', 1], ['user_profile_update', 1]], 'topConflictOperations (equal counts by name)');
        s.expectEqual(sameSet(a.recommendations), sameSet([impl.RECOMMENDATIONS.boundedStock, impl.RECOMMENDATIONS.orSet, impl.RECOMMENDATIONS.lwwRegister]), 'the recommendations (in any order; a PN-Counter would let the stock go below zero)');
        const empty = monitor(impl).m.analyzeConflictPatterns();
        s.step('a fresh monitor is analysed');
        s.expectEqual(empty, { totalConflictRate: 0, topConflictOperations: [], recommendations: [] }, 'the analysis of no operations');
      },
    },
    {
      id: 'top-five',
      title: 'Seven operation types in conflict: topConflictOperations lists only the five with the most, a tie at the cut going by name',
      kind: 'behaviour',
      check: ({ impl, scenario }) => {
        const s = scenario('a ConflictMonitor (1% threshold)');
        const { m } = monitor(impl);
        const conflicts: [string, number][] = [['g_sync', 3], ['e_sync', 2], ['a_sync', 1], ['f_sync', 3], ['d_sync', 2], ['c_sync', 2], ['b_sync', 2]];
        s.step(`conflicts, in this order: ${conflicts.map(([op, n]) => `${op} x${n}`).join(', ')}`);
        for (const [op, n] of conflicts) for (let i = 0; i < n; i++) m.recordOperation(op, true);
        s.expectEqual(
          m.analyzeConflictPatterns().topConflictOperations,
          [['f_sync', 3], ['g_sync', 3], ['b_sync', 2], ['c_sync', 2], ['d_sync', 2]],
          'topConflictOperations (five at most; e_sync ties with d_sync but comes after it by name)',
        );
      },
    },
    {
      id: 'whole-word-rules',
      title: 'Recommendations match whole words of the top three operation types only, each suggested once ("discount_update" is not a counter)',
      kind: 'safety',
      check: ({ impl, scenario }) => {
        const s = scenario('a ConflictMonitor (1% threshold)');
        const { m } = monitor(impl);
        const conflicts: [string, number][] = [['discount_update', 6], ['cartography_sync', 5], ['guest_cart_merge', 4], ['user_profile_update', 1]];
        s.step(`conflicts: ${conflicts.map(([op, n]) => `${op} x${n}`).join(', ')}`);
        for (const [op, n] of conflicts) for (let i = 0; i < n; i++) m.recordOperation(op, true);
        const a = m.analyzeConflictPatterns();
        s.expectEqual(a.recommendations, [impl.RECOMMENDATIONS.orSet], 'the recommendations ("discount" and "cartography" are other words; user_profile_update is 4th)');
        s.step('direct call: generateRecommendations for page_view_counter, shopping_cart_add, stock_count, user_cart_remove');
        const direct = m.generateRecommendations([['page_view_counter', 9], ['shopping_cart_add', 8], ['stock_count', 7], ['user_cart_remove', 6]]);
        s.expectEqual(sameSet(direct), sameSet([impl.RECOMMENDATIONS.pnCounter, impl.RECOMMENDATIONS.orSet]), 'the recommendations (each once, in any order)');
        // Each word of a rule on its own: a rule that forgets one word is caught by that word alone.
        const alone: [string, Impl.Recommendation][] = [
          ['page_view_counter', impl.RECOMMENDATIONS.pnCounter],
          ['stock_count', impl.RECOMMENDATIONS.pnCounter],
          ['inventory_sync', impl.RECOMMENDATIONS.boundedStock],
          ['cart_checkout', impl.RECOMMENDATIONS.orSet],
          ['profile_edit', impl.RECOMMENDATIONS.lwwRegister],
        ];
        for (const [op, want] of alone) {
          s.step(`direct call: generateRecommendations for ${op} alone`);
          s.expectEqual(m.generateRecommendations([[op, 1]]), [want], `the recommendations for ${op}`);
        }
      },
    },
    {
      id: 'random-operations',
      title: 'Under random streams of operations: the rate, the ranking of the top five types and the number of alerts are right',
      kind: 'safety',
      randomised: true,
      check: (ctx) => {
        const ops = ['a_cart', 'b_count', 'c_profile', 'd_misc', 'e_misc', 'f_misc', 'g_misc'];
        const arb = fc.record({
          threshold: fc.constantFrom(0, 0.01, 0.1, 0.25, 0.5),
          stream: fc.array(fc.tuple(fc.constantFrom(...ops), fc.boolean()), { maxLength: 40 }),
        });
        return checkSchedules(ctx, arb, ({ threshold, stream }) => {
          const s = ctx.scenario(`a ConflictMonitor with alert threshold ${threshold}`);
          const { m, alerts } = monitor(ctx.impl, threshold);
          let total = 0;
          let conflicts = 0;
          let wantAlerts = 0;
          const perType = new Map<string, number>();
          for (const [op, conflict] of stream) {
            s.step(`${op}${conflict ? ' (conflict)' : ''}`);
            m.recordOperation(op, conflict);
            total++;
            if (conflict) {
              conflicts++;
              perType.set(op, (perType.get(op) ?? 0) + 1);
              if (conflicts / total > threshold) wantAlerts++;
            }
            s.expectEqual(alerts.length, wantAlerts, 'the number of alerts so far');
          }
          const a = m.analyzeConflictPatterns();
          s.expectEqual(a.totalConflictRate, total === 0 ? 0 : conflicts / total, 'totalConflictRate');
          const ranked = [...perType].sort(([x, a1], [y, b1]) => b1 - a1 || (x < y ? -1 : 1)).slice(0, 5);
          s.expectEqual(a.topConflictOperations, ranked, 'topConflictOperations');
        });
      },
    },
  ],
});
