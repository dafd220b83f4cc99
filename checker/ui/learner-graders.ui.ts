import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import type { Grader } from '../engine/grader.ts';
import { graderPath } from '../engine/targets.ts';
import { freshSeed, gradeExercise } from '../engine/grade-exercise.ts';
import type { CodeProblem, GradeResult, RequirementResult } from '../engine/results.ts';
import { WORKBOOK_ROOT } from '../paths.ts';

// Each requirement of each grader becomes one vitest test against the learner's file, so
// @vitest/ui can show them. The grading itself is the engine's (the same isolated worker as `run`);
// the tests only report its results. vitest.config.ts re-runs them when an exercise file is saved.
const seed = Number(process.env.WORKBOOK_SEED ?? freshSeed());
// `ui <id>` shows one exercise's requirements only.
const only = process.env.WORKBOOK_UI_ONLY;

/**
 * An error whose stack points at the learner's file (at the line the problem names, else the top),
 * so the UI opens their code, not this bridge.
 */
function failureAt(message: string, file: string, location?: CodeProblem['location']): Error {
  const error = new Error(message);
  const where = location ? `${path.resolve(WORKBOOK_ROOT, location.file)}:${location.line}:${location.column}` : `${file}:1:1`;
  error.stack = `Error: ${message}\n    at ${where}`;
  return error;
}

function explain(result: RequirementResult): string {
  if (result.report) {
    const { steps, expected, actual } = result.report;
    return [...steps.map((s, i) => `${i + 1}. ${s}`), `Expected: ${expected}`, `Actually: ${actual}`].join('\n');
  }
  return result.problem?.message ?? result.status;
}

for (const module of manifest.modules) {
  for (const entry of module.exercises.filter((e) => !only || e.id === only)) {
    const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
    const file = path.join(WORKBOOK_ROOT, 'exercises', entry.file);
    describe(`${entry.id} (seed ${seed})`, () => {
      let graded: GradeResult;
      beforeAll(async () => {
        graded = await gradeExercise({ root: WORKBOOK_ROOT, entry, seed });
      }, 600_000);
      for (const requirement of grader.requirements) {
        it(requirement.title, () => {
          if (graded.loadProblem) throw failureAt(`Your file did not load: ${graded.loadProblem.message}`, file, graded.loadProblem.location);
          const result = graded.requirements.find((r) => r.id === requirement.id);
          if (!result || result.status === 'passed') return;
          throw failureAt(explain(result), file, result.problem?.location);
        });
      }
    });
  }
}
