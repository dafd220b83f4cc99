import { ScenarioFailure, isScenarioFailure, type Requirement } from '../engine/grader.ts';
import type { NodeId, SimEvent } from './events.ts';
import { renderTraceText, traceOf } from './trace-text.ts';

/**
 * How any grader on the simulator gives its failures a trace: run the scenario inside `withTrace`,
 * and a ScenarioFailure thrown from it comes back with the run drawn as a space-time diagram
 * (`report.diagram`, printed under the scenario) and the run's events (`report.trace`, which
 * `npm run exercise -- trace <id>` draws as a page). Both are plain data, so they cross from the
 * grading worker to the CLI as JSON. Other errors pass through untouched.
 */
export function withTrace<R>(sim: { readonly log: readonly SimEvent[]; readonly nodeIds: readonly NodeId[]; readonly now?: number }, body: () => R): R {
  try {
    return body();
  } catch (error) {
    throw attachTrace(error, sim.log, sim.nodeIds, sim.now);
  }
}

/** The error itself, or, for a ScenarioFailure without a trace yet, the same failure with the run's diagram and events. */
export function attachTrace(error: unknown, log: readonly SimEvent[] | undefined, nodes?: readonly NodeId[], until?: number): unknown {
  if (!isScenarioFailure(error) || error.report.trace || !log || log.length === 0) return error;
  const trace = traceOf(log, nodes ?? nodesIn(log), undefined, until);
  return new ScenarioFailure({ ...error.report, diagram: renderTraceText(trace), trace });
}

/**
 * For a grader whose cluster keeps the log of its failing run (the raft graders' Cluster.failingRunLog,
 * which after shrinking is the smallest failing random run): every requirement's failure gets that
 * run's trace. `reset` runs before each requirement so a trace never shows an earlier one's run.
 */
export function traceFailures<I>(requirements: readonly Requirement<I>[], failingLog: () => readonly SimEvent[] | undefined, reset?: () => void): Requirement<I>[] {
  return requirements.map((r) => ({
    ...r,
    check: async (ctx) => {
      reset?.();
      try {
        await r.check(ctx);
      } catch (error) {
        throw attachTrace(error, failingLog());
      }
    },
  }));
}

/** Every node a log mentions, in ascending order. */
function nodesIn(log: readonly SimEvent[]): NodeId[] {
  const ids = new Set<NodeId>();
  for (const e of log) {
    if ('node' in e) ids.add(e.node);
    if ('from' in e) ids.add(e.from);
    if ('to' in e) ids.add(e.to);
    if (e.kind === 'partition') e.groups.forEach((g) => g.forEach((id) => ids.add(id)));
  }
  return [...ids].sort((a, b) => a - b);
}
