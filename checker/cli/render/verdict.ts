import type { CodeProblem, GradeResult, RequirementResult } from '../../engine/results.ts';
import { countPassed, isPass } from '../../engine/results.ts';
import { createRequire } from 'node:module';
import { inert } from '../../engine/sandbox/inert.ts';
import { indent, palette } from './style.ts';

/**
 * Renders a grading result the way a learner reads it: each requirement as a line, each failure
 * as the scenario that went wrong, the seed and the command that replays the run.
 */

export interface VerdictOptions {
  readonly color: boolean;
  /** The command that replays this run, e.g. `npm run exercise -- run consensus/raft --seed 42`. */
  readonly replay?: string;
  /** Show passing requirements too (default true). */
  readonly showPassing?: boolean;
  /** Reads a file named in a problem's location, for a code frame of a load error (undefined: none). */
  readonly readSource?: (file: string) => string | undefined;
}

/** The learner's line with its neighbours and a caret under the column, as compilers show it. */
export function codeFrame(source: string, location: NonNullable<CodeProblem['location']>, color: boolean): string {
  // Required here, not imported above: only a verdict with a located problem needs it, and loading
  // it (with its highlighter) costs a passing verdict tens of milliseconds.
  const { codeFrameColumns } = createRequire(import.meta.url)('@babel/code-frame') as typeof import('@babel/code-frame');
  // The learner's own lines, which may hold raw control characters: shown inert (the escapes
  // lengthen a line, so a caret after one sits a little left; the line number stays right).
  return codeFrameColumns(inert(source), { start: { line: location.line, column: Math.max(1, location.column) } }, { highlightCode: color, forceColor: color, linesAbove: 2, linesBelow: 2 });
}

export function describeProblem(problem: CodeProblem): string {
  const where = problem.location ? ` (${problem.location.file}:${problem.location.line}:${problem.location.column})` : '';
  return `${problem.message}${where}`;
}

const MARK: Record<RequirementResult['status'], string> = {
  passed: '✓',
  failed: '✗',
  crashed: '✗',
  'timed-out': '⏱',
  'not-run': '·',
};

function renderRequirement(result: RequirementResult, color: boolean): string {
  const c = palette(color);
  const tag = result.kind === 'behaviour' ? '' : c.dim(` [${result.kind}]`);
  if (result.status === 'passed') return `${c.green(MARK.passed)} ${result.title}${tag}`;
  const lines = [`${c.red(MARK[result.status])} ${c.bold(result.title)}${tag}`];
  if (result.report) {
    lines.push(indent(c.dim('Scenario:'), 4));
    result.report.steps.forEach((step, i) => lines.push(indent(`${i + 1}. ${step}`, 6)));
    lines.push(indent(`${c.dim('Expected:')} ${result.report.expected}`, 4));
    lines.push(indent(`${c.dim('Actually:')} ${c.red(result.report.actual)}`, 4));
    if (result.report.diagram) {
      lines.push(indent(c.dim('What happened, time going down (`trace <id>` draws it as a page):'), 4));
      for (const line of result.report.diagram) lines.push(indent(line, 6));
    }
  }
  if (result.status === 'not-run') {
    const why = result.problem ? `${result.problem.message[0]!.toUpperCase()}${result.problem.message.slice(1)}.` : 'Not run: an earlier check stopped the grader.';
    lines.push(indent(c.dim(why), 4));
  } else if (result.problem) {
    const label = result.status === 'timed-out' || result.problem.kind === 'memory' ? 'Stopped:' : result.problem.kind === 'forbidden' ? 'Refused:' : 'Your code threw:';
    lines.push(indent(`${c.dim(label)} ${c.red(describeProblem(result.problem))}`, 4));
  }
  if (result.output && result.output.length > 0) {
    lines.push(indent(c.dim('Your code printed (last lines):'), 4));
    for (const line of result.output.slice(-5)) lines.push(indent(c.dim(line), 6));
  }
  return lines.join('\n');
}

export function renderGradeResult(result: GradeResult, options: VerdictOptions): string {
  const c = palette(options.color);
  const lines = [c.bold(`${result.exerciseId}`) + c.dim(` — ${result.target}`)];
  if (result.loadProblem) {
    lines.push(`${c.red('✗')} ${c.bold('Your file could not be graded:')} ${describeProblem(result.loadProblem)}`);
    const location = result.loadProblem.location;
    const source = location && options.readSource?.(location.file);
    if (location && source !== undefined) lines.push('', indent(codeFrame(source, location, options.color), 2));
    return lines.join('\n');
  }
  const shown = options.showPassing === false ? result.requirements.filter((r) => r.status !== 'passed') : result.requirements;
  for (const requirement of shown) lines.push(indent(renderRequirement(requirement, options.color), 2));
  const { passed, total } = countPassed(result);
  lines.push('');
  if (isPass(result)) {
    lines.push(c.green(`All ${total} requirements met.`));
  } else {
    lines.push(`${passed} of ${total} requirements met.`);
    lines.push(c.dim(`Seed ${result.seed}.`) + (options.replay ? c.dim(' Replay exactly this run: ') + options.replay : ''));
  }
  return lines.join('\n');
}
