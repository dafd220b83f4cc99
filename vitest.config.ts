import { defineConfig } from 'vitest/config';

// `npm test`: the workbook's own tests (core modules, CLI end to end, and the proof that every
// grader passes the solutions, fails the stubs and rejects every kept wrong variant).
export default defineConfig({
  test: {
    include: ['checker/**/*.test.ts'],
    // The end-to-end tests run the bundled CLI, as a learner does: build it once, up front.
    globalSetup: ['checker/cli/test/build-cli.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
