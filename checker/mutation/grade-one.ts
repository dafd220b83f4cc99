import { gradeMutant, logHarnessError } from './grade-mutant.ts';

/**
 * Grades one mutant from the command line, the way Stryker's command runner would call it:
 *
 *   __STRYKER_ACTIVE_MUTANT__=<id> node --import tsx checker/mutation/grade-one.ts <exercise-id>
 *
 * run in a sandbox holding an instrumented solution. Exit 0 when every requirement passes (the
 * mutant survived), 1 when any fails (killed). `MUTATION_RUNNER=command npm run mutation` uses it;
 * it is also the way to look at one mutant by hand (it prints the requirements that killed it).
 */

const exerciseId = process.argv[2] ?? '';
const activeMutant = process.env.__STRYKER_ACTIVE_MUTANT__;
gradeMutant(process.cwd(), exerciseId, activeMutant).then(
  (verdict) => {
    if (!verdict.survived) process.stderr.write(`killed by: ${verdict.killedBy.join(', ')}\n`);
    process.exit(verdict.survived ? 0 : 1);
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    logHarnessError(exerciseId, activeMutant, message);
    process.stderr.write(`mutation harness: ${message}\n`);
    // Stryker reads any non-zero exit as a kill; run.ts refuses a score when the log is not empty.
    process.exit(1);
  },
);
