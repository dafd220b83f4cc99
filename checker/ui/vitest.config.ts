import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run exercise -- ui`: the graders, as vitest tests against the learner's files, in @vitest/ui.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['checker/ui/learner-graders.ui.ts'],
    testTimeout: 15_000,
  },
});
