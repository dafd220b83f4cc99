import type { ComplexityMeasurement } from '../complexity.ts';
import type { ScenarioReport } from '../grader.ts';
import type { CodeProblem, RequirementResult } from '../results.ts';
import { inert } from './inert.ts';
import { KEPT_BYTES } from './output.ts';

/**
 * Everything the worker posts is rebuilt here as plain, size-capped data. Strings in a result can
 * come from the graded code (an error message, a value shown in a scenario, a forged "failure"
 * object it threw), and a result must neither carry a getter across nor grow without bound. Every
 * string is capped and made inert here (inert.ts): control characters and bidi overrides shown as
 * escapes, on every path to a terminal or report.
 */

const TEXT_LIMIT = 4096;
const STEPS_LIMIT = 400;
const DIAGRAM_LINES_LIMIT = 600;
const TRACE_EVENTS_LIMIT = 4000;
const TRACE_BYTES_LIMIT = 2 * 1024 * 1024;

/**
 * A simulated run's trace as plain JSON data: the events are the simulator's, but their message
 * summaries are built from what the graded code sent. Dropped whole when it cannot be copied or
 * is too large, rather than cut into something the trace page would misdraw.
 */
function boundTrace(trace: ScenarioReport['trace']): ScenarioReport['trace'] | undefined {
  try {
    const nodes = Array.isArray(trace?.nodes) ? trace.nodes.slice(0, 64).map(Number) : [];
    const events = Array.isArray(trace?.events) ? trace.events.slice(-TRACE_EVENTS_LIMIT) : [];
    const text = JSON.stringify(events);
    if (text.length > TRACE_BYTES_LIMIT) return undefined;
    return { nodes, events: JSON.parse(text) as object[] };
  } catch {
    return undefined;
  }
}

export function boundText(value: unknown, limit = TEXT_LIMIT): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(value);
  } catch {
    text = '(a value that could not be shown)';
  }
  return text.length > limit ? `${inert(text.slice(0, limit))}… and ${text.length - limit} more characters` : inert(text);
}

export function boundReport(report: ScenarioReport): ScenarioReport {
  const steps = Array.isArray(report.steps) ? report.steps : [];
  const kept = steps.slice(0, STEPS_LIMIT).map((step) => boundText(step));
  if (steps.length > STEPS_LIMIT) kept.push(`… and ${steps.length - STEPS_LIMIT} more steps`);
  const bounded: ScenarioReport = { steps: kept, expected: boundText(report.expected), actual: boundText(report.actual) };
  const diagram = Array.isArray(report.diagram) ? report.diagram.slice(0, DIAGRAM_LINES_LIMIT).map((line) => boundText(line, 400)) : undefined;
  const trace = report.trace ? boundTrace(report.trace) : undefined;
  return { ...bounded, ...(diagram ? { diagram } : {}), ...(trace ? { trace } : {}) };
}

export function boundProblem(problem: CodeProblem): CodeProblem {
  const location = problem.location && {
    file: boundText(problem.location.file),
    line: Number(problem.location.line),
    column: Number(problem.location.column),
  };
  return { kind: problem.kind, message: boundText(problem.message), ...(location ? { location } : {}) };
}

export function boundResult(result: RequirementResult): RequirementResult {
  return {
    ...result,
    ...(result.report ? { report: boundReport(result.report) } : {}),
    ...(result.problem ? { problem: boundProblem(result.problem) } : {}),
    // Captured already within KEPT_BYTES in all (output.ts); a line is never longer.
    ...(result.output ? { output: result.output.map((line) => boundText(line, KEPT_BYTES)) } : {}),
  };
}

const COUNT_SHOWN_LIMIT = 80;

/**
 * Message counts as plain numbers. A count comes from the graded code (what it sent, or what it
 * returned): anything but a whole number from 0 up is no count, said so with a short, inert look
 * at what came instead, never the thing itself (a 64 MB string, say).
 */
export function boundComplexity(measurement: ComplexityMeasurement): ComplexityMeasurement {
  try {
    if ('problem' in measurement) return { problem: boundText(measurement.problem) };
    const points = Array.isArray(measurement.points) ? measurement.points.slice(0, 16) : [];
    for (const point of points) {
      const messages: unknown = point?.messages;
      if (typeof messages !== 'number' || !Number.isSafeInteger(messages) || messages < 0) {
        const seen = typeof messages === 'string' ? `"${boundText(messages, COUNT_SHOWN_LIMIT)}"` : typeof messages === 'number' ? String(messages) : `a ${typeof messages}`;
        return { problem: `could not measure: at N = ${Number(point?.n)} the count was ${seen}, not a number of messages` };
      }
    }
    return { operation: boundText(measurement.operation), points: points.map((point) => ({ n: Number(point.n), messages: point.messages })) };
  } catch {
    return { problem: 'could not measure: the counts could not be read' };
  }
}
