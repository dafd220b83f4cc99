/**
 * Stryker's instrumenter (9.x) puts every mutant of a file into that one file, each behind a switch
 * `stryMutAct_9fa48("<id>")`, and prepends a helper that finds the active id in a namespace object
 * it keeps on the global (`globalThis.__stryker__.activeMutant`), filled from
 * `process.env.__STRYKER_ACTIVE_MUTANT__`:
 *
 *   function stryNS_9fa48() {
 *     var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
 *     var ns = g.__stryker__ || (g.__stryker__ = {});
 *     if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) { ... }
 *
 * Graded code may run where there is no `process` and the global is not the real one, or cannot
 * be written (an isolated compartment). So the namespace line is rewritten to a local object that
 * already names the active mutant: the switch then works with or without isolation, and never
 * touches the global.
 */

const NAMESPACE_LINE = /var ns = g\.__stryker__ \|\| \(g\.__stryker__ = \{\}\);/;
const HELPER_NAME = 'stryNS_9fa48';

export function pinActiveMutant(instrumented: string, activeMutant: string | undefined): string | { problem: string } {
  const found = instrumented.match(new RegExp(NAMESPACE_LINE.source, 'g'))?.length ?? 0;
  if (found !== 1 || !instrumented.includes(HELPER_NAME)) {
    return { problem: `expected exactly one Stryker namespace line in the instrumented file, found ${found}: has the Stryker version changed?` };
  }
  if (activeMutant !== undefined && !instrumented.includes(`stryMutAct_9fa48("${activeMutant}")`)) {
    return { problem: `mutant ${activeMutant} has no switch in the instrumented file` };
  }
  // "No mutant" is pinned as null, not left undefined: Stryker's helper would then go looking in
  // `process.env`, which graded code may not touch (the compartment reports the attempt).
  const namespace = `{ activeMutant: ${activeMutant === undefined ? 'null' : JSON.stringify(activeMutant)} }`;
  return instrumented.replace(NAMESPACE_LINE, `var ns = ${namespace}; // pinned by checker/mutation/pin-mutant.ts`);
}
