import type { GradeResult, RequirementResult } from '../engine/results.ts';

/**
 * Maps our grading results to the results.json an autograder hands to Gradescope
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/). Pure: data in, data out; the
 * `grade` command decides where the files go.
 *
 * One learner -> one results object. Each requirement of each graded exercise becomes one test
 * worth `pointsPerRequirement` (1 by default), all-or-nothing, so every learner of a batch has the
 * same max_score as long as the same exercises were graded.
 */

export type GradescopeVisibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

export interface GradescopeTest {
  readonly name: string;
  readonly number: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: 'passed' | 'failed';
  readonly output: string;
  readonly tags: readonly string[];
  readonly visibility: GradescopeVisibility;
}

export interface GradescopeResults {
  readonly score: number;
  readonly max_score: number;
  readonly output: string;
  readonly visibility: GradescopeVisibility;
  readonly stdout_visibility: GradescopeVisibility;
  readonly tests: readonly GradescopeTest[];
  readonly extra_data: { readonly learner: string; readonly seed: number | null; readonly runs: number | null };
}

export interface GradescopeOptions {
  readonly pointsPerRequirement?: number;
  readonly visibility?: GradescopeVisibility;
}

/** The plain-text story of one requirement, as a learner reads it on Gradescope. */
export function describeRequirement(requirement: RequirementResult, loadProblem?: GradeResult['loadProblem']): string {
  const lines: string[] = [];
  switch (requirement.status) {
    case 'passed':
      return 'Passed.';
    case 'failed':
      if (requirement.report) {
        lines.push('Scenario:', ...requirement.report.steps.map((step) => `  - ${step}`));
        lines.push(`Expected: ${requirement.report.expected}`, `Actually: ${requirement.report.actual}`);
        if (requirement.report.diagram) lines.push('What happened (time going down):', ...requirement.report.diagram);
      } else {
        lines.push('Failed.');
      }
      break;
    case 'crashed':
    case 'timed-out': {
      const kind = requirement.problem?.kind;
      const verb =
        requirement.status === 'timed-out'
          ? 'Your code did not finish'
          : kind === 'forbidden'
            ? 'Your code reached past what graded code may use'
            : kind === 'memory'
              ? 'Your code ran out of memory'
              : 'Your code threw an error';
      lines.push(`${verb}: ${requirement.problem?.message ?? 'no details'}`);
      const at = requirement.problem?.location;
      if (at) lines.push(`  at ${at.file}:${at.line}:${at.column}`);
      break;
    }
    case 'not-run':
      lines.push(loadProblem ? `Not run: the file could not be loaded (${loadProblem.message}).` : 'Not run.');
      break;
  }
  if (requirement.output && requirement.output.length > 0) {
    lines.push('Your code printed (its first 64 KB, if it printed more):', ...requirement.output.map((line) => `  | ${line}`));
  }
  return lines.join('\n');
}

function loadProblemText(result: GradeResult): string | undefined {
  const problem = result.loadProblem;
  if (!problem) return undefined;
  const at = problem.location ? ` (${problem.location.file}:${problem.location.line}:${problem.location.column})` : '';
  return `${result.exerciseId}: the file could not be graded: ${problem.message}${at}`;
}

/**
 * One learner's results across the exercises graded for them. A result whose file did not load
 * and declares no requirement still yields one failing test, so the failure shows on Gradescope.
 */
export function toGradescope(learner: string, results: readonly GradeResult[], options: GradescopeOptions = {}): GradescopeResults {
  const points = options.pointsPerRequirement ?? 1;
  const visibility = options.visibility ?? 'visible';
  const tests: GradescopeTest[] = [];
  results.forEach((result, exerciseIndex) => {
    if (result.requirements.length === 0) {
      tests.push({
        name: `${result.exerciseId}: file loads`,
        number: `${exerciseIndex + 1}.1`,
        score: 0,
        max_score: points,
        status: 'failed',
        output: loadProblemText(result) ?? 'No requirement was run.',
        tags: [result.exerciseId],
        visibility,
      });
      return;
    }
    result.requirements.forEach((requirement, index) => {
      const passed = requirement.status === 'passed' && !result.loadProblem;
      tests.push({
        name: `${result.exerciseId}: ${requirement.title}`,
        number: `${exerciseIndex + 1}.${index + 1}`,
        score: passed ? points : 0,
        max_score: points,
        status: passed ? 'passed' : 'failed',
        output: describeRequirement(requirement, result.loadProblem),
        tags: [result.exerciseId, requirement.id, requirement.kind],
        visibility,
      });
    });
  });
  const score = tests.reduce((sum, test) => sum + test.score, 0);
  const maxScore = tests.reduce((sum, test) => sum + test.max_score, 0);
  const problems = results.map(loadProblemText).filter((text): text is string => text !== undefined);
  const seeds = [...new Set(results.map((r) => r.seed))];
  const runs = [...new Set(results.map((r) => r.runs))];
  return {
    score,
    max_score: maxScore,
    output: [`${learner}: ${score}/${maxScore} requirements met.`, ...problems].join('\n'),
    visibility,
    stdout_visibility: 'hidden',
    tests,
    extra_data: { learner, seed: seeds.length === 1 ? seeds[0]! : null, runs: runs.length === 1 ? runs[0]! : null },
  };
}
