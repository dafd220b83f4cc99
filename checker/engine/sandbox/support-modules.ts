import * as clock from '../../support/clock.ts';

/**
 * The only modules graded code may import, by the specifier it writes. Both sides read this one
 * table: compile.ts turns each entry into a module of named exports (so a misspelt import is a
 * compile error at the learner's line), and the grading worker hands the entries, hardened, to the
 * learner's bundle. The objects come from the grader's side, so `systemClock` keeps real time for
 * the demos while the learner's code itself has no timers of the machine.
 */
export const SUPPORT_MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  '#workbook/clock': clock,
};

export function supportExportNames(specifier: string): readonly string[] | undefined {
  const module = SUPPORT_MODULES[specifier];
  return module ? Object.keys(module).filter((name) => name !== 'default') : undefined;
}
