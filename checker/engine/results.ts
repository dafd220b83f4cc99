import type { ComplexityMeasurement } from './complexity.ts';
import type { RequirementKind, ScenarioReport } from './grader.ts';

/**
 * What grading produces: plain data, no colour, no I/O. The CLI renders it, the batch grader
 * exports it, the self-check asserts on it, the scorecard counts it.
 */

export type RequirementStatus = 'passed' | 'failed' | 'crashed' | 'timed-out' | 'not-run';

/** A problem in the graded file itself, located in that file where we can. */
export interface CodeProblem {
  /** `forbidden`: the code reached for something graded code cannot reach (boundary.ts). */
  readonly kind: 'syntax' | 'exception' | 'missing-export' | 'timeout' | 'load' | 'forbidden' | 'memory';
  readonly message: string;
  /** The graded file and the 1-based line and column in it, when the error points there. */
  readonly location?: { readonly file: string; readonly line: number; readonly column: number };
}

export interface RequirementResult {
  readonly id: string;
  readonly title: string;
  readonly kind: RequirementKind;
  readonly randomised: boolean;
  readonly status: RequirementStatus;
  /** For `failed`: the scenario that went wrong. */
  readonly report?: ScenarioReport;
  /** For `crashed` and `timed-out`: what the code did. */
  readonly problem?: CodeProblem;
  /** What the graded code printed while this requirement ran (capped; see sandbox/output.ts). */
  readonly output?: readonly string[];
}

export interface GradeResult {
  readonly exerciseId: string;
  /** The graded file, relative to the workbook root when it is inside it. */
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  /** Set when the file could not be loaded at all; then no requirement ran. */
  readonly loadProblem?: CodeProblem;
  readonly requirements: readonly RequirementResult[];
  /** Messages sent as the cluster grows, when asked for and every requirement passed. */
  readonly complexity?: ComplexityMeasurement;
}

export function isPass(result: GradeResult): boolean {
  return !result.loadProblem && result.requirements.length > 0 && result.requirements.every((r) => r.status === 'passed');
}

export function countPassed(result: GradeResult): { passed: number; total: number } {
  return {
    passed: result.requirements.filter((r) => r.status === 'passed').length,
    total: result.requirements.length,
  };
}

/** Messages the grading worker sends its parent. */
export type WorkerMessage =
  | { readonly type: 'loaded'; readonly requirements: readonly Omit<RequirementResult, 'status'>[]; readonly measures: boolean }
  | { readonly type: 'load-problem'; readonly problem: CodeProblem }
  | { readonly type: 'result'; readonly result: RequirementResult }
  | { readonly type: 'complexity'; readonly measurement: ComplexityMeasurement };

/** What the parent asks a loaded grading worker to do next, one command at a time. */
export type WorkerCommand = { readonly type: 'run'; readonly id: string } | { readonly type: 'measure' };

export interface WorkerInput {
  /** The compiled grader bundle to load. */
  readonly graderModule: string;
  /** The compiled bundle of the file to grade. */
  readonly targetModule: string;
  /** The file to grade itself, which errors are located in. */
  readonly targetPath: string;
  readonly seed: number;
  readonly runs: number;
  /** Requirement ids to declare (and so run); all when absent. */
  readonly only?: readonly string[];
}

/** The pseudo-requirement id the worker reports while it measures message counts. */
export const MEASURING = '(measuring message counts)';
