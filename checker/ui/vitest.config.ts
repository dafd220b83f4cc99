import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run exercise -- ui`: the graders, as vitest tests against the learner's files, in @vitest/ui.
// The learner's files are graded by the engine, not imported by the tests, so vitest cannot see
// them as dependencies: saving any exercise re-runs the graders.
export default defineConfig({
  // The workbook whose exercises/ are watched: the one WORKBOOK_ROOT names (as `ui` runs it in a
  // workbook other than this checkout, e.g. a test's fixture), else this checkout.
  root: process.env.WORKBOOK_ROOT ?? fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['checker/ui/learner-graders.ui.ts'],
    forceRerunTriggers: ['**/exercises/**/*.ts'],
    testTimeout: 15_000,
  },
});
