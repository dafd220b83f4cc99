import { defineConfig } from 'vitest/config';

// `npm test`: the workbook's own tests (core modules, CLI end to end, and the proof that every
// grader passes the solutions, fails the stubs and rejects every kept wrong variant).
export default defineConfig({
  test: {
    include: ['checker/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
