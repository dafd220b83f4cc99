import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import type { StrykerOptions } from '@stryker-mutator/api/core';
import {
  DryRunStatus,
  MutantRunStatus,
  TestStatus,
  type DryRunResult,
  type MutantRunOptions,
  type MutantRunResult,
  type TestRunner,
  type TestRunnerCapabilities,
} from '@stryker-mutator/api/test-runner';
import { ELSEWHERE_PREFIX, gradeMutant, logHarnessError } from './grade-mutant.ts';

/**
 * A StrykerJS test runner whose "test suite" is one exercise's grader. Stryker keeps a few of
 * these alive (one per concurrency slot, each in its own process in the sandbox), so a mutant
 * costs one grading (a worker thread) instead of a fresh Node process with a TypeScript loader:
 * several times faster than the command runner on a busy machine. run.ts passes the exercise id
 * as `workbookMutation.exerciseId` in the options.
 */

interface WorkbookOptions extends StrykerOptions {
  readonly workbookMutation: { readonly exerciseId: string; readonly alsoGradedBy?: readonly string[] };
}

class WorkbookGraderRunner implements TestRunner {
  static inject = tokens(commonTokens.options);
  private readonly exerciseId: string;
  private readonly alsoGradedBy: readonly string[];

  constructor(options: StrykerOptions) {
    this.exerciseId = (options as WorkbookOptions).workbookMutation.exerciseId;
    this.alsoGradedBy = (options as WorkbookOptions).workbookMutation.alsoGradedBy ?? [];
  }

  capabilities(): TestRunnerCapabilities {
    return { reloadEnvironment: true };
  }

  async dryRun(): Promise<DryRunResult> {
    const verdict = await this.grade(undefined);
    if (typeof verdict === 'string') return { status: DryRunStatus.Error, errorMessage: verdict };
    return {
      status: DryRunStatus.Complete,
      tests: [
        verdict.survived
          ? { id: 'grader', name: this.exerciseId, status: TestStatus.Success, timeSpentMs: 0 }
          : { id: 'grader', name: this.exerciseId, status: TestStatus.Failed, timeSpentMs: 0, failureMessage: verdict.killedBy.join(', ') },
      ],
    };
  }

  async mutantRun({ activeMutant }: MutantRunOptions): Promise<MutantRunResult> {
    const verdict = await this.grade(activeMutant.id);
    if (typeof verdict === 'string') return { status: MutantRunStatus.Error, errorMessage: verdict };
    if (verdict.survived) return { status: MutantRunStatus.Survived, nrOfTests: 1 };
    const failureMessage = verdict.killedElsewhere ? `${ELSEWHERE_PREFIX}${verdict.killedElsewhere}: ${verdict.killedBy.join(', ')}` : verdict.killedBy.join(', ');
    return { status: MutantRunStatus.Killed, killedBy: ['grader'], failureMessage, nrOfTests: 1 };
  }

  /** The verdict, or the harness's own error message (logged for run.ts to report). */
  private async grade(activeMutant: string | undefined) {
    try {
      // The dry run (no mutant) is the exercise's own grader on its solution.
      return await gradeMutant(process.cwd(), this.exerciseId, activeMutant, activeMutant === undefined ? [] : this.alsoGradedBy);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      logHarnessError(this.exerciseId, activeMutant, message);
      return message;
    }
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'workbook-grader', WorkbookGraderRunner)];
