import fs from 'node:fs';
import { realDeps, type StoreDeps, type StoreFs } from './store-io.ts';

/**
 * Store dependencies for tests: the real file system with chosen calls replaced, and a clock that
 * moves only when the store sleeps, so waiting out a lock's age bound takes no real time.
 */
export function testDeps(overrides: { fs?: Partial<StoreFs>; processExists?: (pid: number) => boolean } = {}): {
  deps: StoreDeps;
  elapsed: () => number;
} {
  const start = Date.now();
  let now = start;
  const deps: StoreDeps = {
    ...realDeps,
    fs: { ...fs, ...overrides.fs } as StoreFs,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    processExists: overrides.processExists ?? realDeps.processExists,
  };
  return { deps, elapsed: () => now - start };
}

/** An error as node:fs throws it. */
export function fsError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, ${syscall} '${file}'`), { code, syscall, path: file });
}
