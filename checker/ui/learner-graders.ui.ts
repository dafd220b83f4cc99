import { pathToFileURL } from 'node:url';
import { describe, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { isScenarioFailure, makeContext, type Grader } from '../engine/grader.ts';
import { exercisePath, graderPath } from '../engine/targets.ts';
import { VERDICT_RUNS, freshSeed } from '../engine/grade-exercise.ts';
import { WORKBOOK_ROOT } from '../paths.ts';

// Each requirement of each grader becomes one vitest test against the learner's file, so
// @vitest/ui can show them and re-run them on save. The CLI's `run` stays the reference verdict.
const seed = Number(process.env.WORKBOOK_SEED ?? freshSeed());

for (const module of manifest.modules) {
  for (const entry of module.exercises) {
    const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
    let impl: unknown;
    let loadError: unknown;
    try {
      impl = await import(pathToFileURL(exercisePath(WORKBOOK_ROOT, entry)).href);
    } catch (error) {
      loadError = error;
    }
    describe(`${entry.id} (seed ${seed})`, () => {
      if (loadError) {
        it('your file loads', () => {
          throw loadError;
        });
        return;
      }
      for (const requirement of grader.requirements) {
        it(requirement.title, async () => {
          try {
            await requirement.check(makeContext(impl, seed, VERDICT_RUNS));
          } catch (error) {
            if (!isScenarioFailure(error)) throw error;
            const { steps, expected, actual } = error.report;
            throw new Error([...steps.map((s, i) => `${i + 1}. ${s}`), `Expected: ${expected}`, `Actually: ${actual}`].join('\n'));
          }
        });
      }
    });
  }
}
