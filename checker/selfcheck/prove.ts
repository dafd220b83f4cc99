import type { ExerciseEntry } from '../manifest/types.ts';
import { gradeFile } from '../engine/grade.ts';
import { isPass, type GradeResult } from '../engine/results.ts';
import { graderPath, materialiseVariant, solutionPath, type CorrectAlternative, type Variant } from '../engine/targets.ts';
import { pristineStubPath } from './pristine.ts';

/**
 * The proof that a grader can be trusted: it passes the reference solution and every kept correct
 * alternative, fails the untouched stub, and rejects every kept wrong variant, each for the reason
 * its header names. Returns data;
 * `author check` and `npm test` decide what to print.
 */

export const PROOF_SEED = 20261126;
export const PROOF_RUNS = 200;

export interface ProofFinding {
  readonly ok: boolean;
  /** What was checked, e.g. "grader passes on solutions/consensus/raft.ts". */
  readonly claim: string;
  /** When not ok: what went wrong and how to fix it. */
  readonly problem?: string;
  /** Worth knowing even though the claim holds (e.g. the learner's file is not the stub). */
  readonly note?: string;
}

function failingIds(result: GradeResult): string[] {
  return result.requirements.filter((r) => r.status !== 'passed').map((r) => r.id);
}

function summarise(result: GradeResult): string {
  if (result.loadProblem) return `it did not load: ${result.loadProblem.message}`;
  const failing = failingIds(result);
  return failing.length === 0 ? 'every requirement passed' : `failing: ${failing.join(', ')}`;
}

async function gradeTarget(root: string, entry: ExerciseEntry, targetPath: string): Promise<GradeResult> {
  return gradeFile({
    exerciseId: entry.id,
    graderPath: graderPath(root, entry),
    targetPath,
    seed: PROOF_SEED,
    runs: PROOF_RUNS,
    // Proofs run several files at a time (authoring.ts): one worker each, not two.
    lanes: 1,
    root,
  });
}

export async function proveSolution(root: string, entry: ExerciseEntry): Promise<ProofFinding> {
  const claim = `grader passes on solutions/${entry.file}`;
  const result = await gradeTarget(root, entry, solutionPath(root, entry));
  return isPass(result) ? { ok: true, claim } : { ok: false, claim, problem: `${summarise(result)}: fix the solution or the grader` };
}

export async function proveStub(root: string, entry: ExerciseEntry): Promise<ProofFinding> {
  const claim = `grader fails on the untouched exercises/${entry.file}`;
  const result = await gradeTarget(root, entry, pristineStubPath(root, entry));
  if (result.loadProblem) return { ok: false, claim, problem: `the stub must load so the learner sees requirements fail: ${result.loadProblem.message}` };
  return isPass(result)
    ? { ok: false, claim, problem: 'the stub already passes every requirement: strengthen the grader or strip the stub' }
    : { ok: true, claim };
}

/** Grades the solution with a kept patch applied, or says why the patch no longer applies. */
async function gradePatched(root: string, entry: ExerciseEntry, patch: Pick<Variant, 'name' | 'patchFile'>): Promise<GradeResult | { problem: string }> {
  let target: string;
  try {
    target = materialiseVariant(root, entry, patch);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  return gradeTarget(root, entry, target);
}

export async function proveVariant(root: string, entry: ExerciseEntry, variant: Variant): Promise<ProofFinding> {
  const claim = `grader rejects variant "${variant.name}" (${variant.description})`;
  const result = await gradePatched(root, entry, variant);
  if ('problem' in result) return { ok: false, claim, problem: result.problem };
  if (isPass(result)) return { ok: false, claim, problem: 'every requirement passed on this wrong variant: add a requirement that catches it' };
  if (variant.caughtBy.length === 0) return { ok: false, claim, problem: `add a "# catches: <requirement-id>" line to ${variant.patchFile}` };
  const failing = failingIds(result);
  const caught = variant.caughtBy.some((id) => failing.includes(id));
  return caught
    ? { ok: true, claim }
    : { ok: false, claim, problem: `expected one of [${variant.caughtBy.join(', ')}] to fail; ${summarise(result)}` };
}

/** A kept correct alternative (targets.ts) passes every requirement, as the reference does. */
export async function proveCorrectAlternative(root: string, entry: ExerciseEntry, alternative: CorrectAlternative): Promise<ProofFinding> {
  const claim = `grader passes correct alternative "${alternative.name}" (${alternative.description})`;
  const result = await gradePatched(root, entry, alternative);
  if ('problem' in result) return { ok: false, claim, problem: result.problem };
  return isPass(result) ? { ok: true, claim } : { ok: false, claim, problem: `${summarise(result)}: the grader demands more than the stub and guide promise: loosen that check, never the alternative` };
}
