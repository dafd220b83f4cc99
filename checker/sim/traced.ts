import { ScenarioFailure, isScenarioFailure } from '../engine/grader.ts';
import type { NodeId, SimEvent } from './events.ts';
import { renderTraceText, traceOf } from './trace-text.ts';

/**
 * How any grader on the simulator gives its failures a trace: run the scenario inside `withTrace`,
 * and a ScenarioFailure thrown from it comes back with the run drawn as a space-time diagram
 * (`report.diagram`, printed under the scenario) and the run's events (`report.trace`, which
 * `npm run exercise -- trace <id>` draws as a page). Both are plain data, so they cross from the
 * grading worker to the CLI as JSON. Other errors pass through untouched.
 */
export function withTrace<R>(sim: { readonly log: readonly SimEvent[]; readonly nodeIds: readonly NodeId[] }, body: () => R): R {
  try {
    return body();
  } catch (error) {
    if (!isScenarioFailure(error) || error.report.trace) throw error;
    const trace = traceOf(sim.log, sim.nodeIds);
    throw new ScenarioFailure({ ...error.report, diagram: renderTraceText(trace), trace });
  }
}
