import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run exercise -- ui`: the graders, as vitest tests against the learner's files, in @vitest/ui.
// The learner's files are graded by the engine, not imported by the tests, so vitest cannot see
// them as dependencies: saving any exercise re-runs the graders.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['checker/ui/learner-graders.ui.ts'],
    forceRerunTriggers: ['**/exercises/**/*.ts'],
    testTimeout: 15_000,
  },
});
