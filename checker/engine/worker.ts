import { parentPort, workerData } from 'node:worker_threads';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { makeContext, ScenarioFailure, type Grader } from './grader.ts';
import { describeException, describeLoadError } from './locate.ts';
import type { RequirementResult, WorkerInput, WorkerMessage } from './results.ts';

/**
 * Runs one grader against one file, inside a worker thread so that the parent can terminate it
 * when the graded code loops forever. Reports each requirement as it starts and ends.
 */

const input = (workerData as { input: WorkerInput }).input;
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

// What the graded code prints is kept per requirement instead of mixing into the verdict.
const OUTPUT_LINES_KEPT = 20;
let printed: string[] = [];
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...args: unknown[]) => {
    printed.push(format(...args));
    if (printed.length > OUTPUT_LINES_KEPT) printed.shift();
  };
}

// A promise the graded code rejects without anyone awaiting it belongs to the running requirement.
let strayRejection: unknown;
process.on('unhandledRejection', (reason) => {
  strayRejection ??= reason;
});

async function main(): Promise<void> {
  let target: Record<string, unknown>;
  try {
    target = (await import(pathToFileURL(input.targetPath).href)) as Record<string, unknown>;
  } catch (error) {
    post({ type: 'load-problem', problem: describeLoadError(error, input.targetPath) });
    return;
  }
  const grader = ((await import(pathToFileURL(input.graderPath).href)) as { default: Grader<unknown> }).default;

  const missing = grader.requiredExports.filter((name) => !(name in target));
  if (missing.length > 0) {
    post({
      type: 'load-problem',
      problem: {
        kind: 'missing-export',
        message: `the file must export ${missing.map((m) => `\`${m}\``).join(', ')} (is it spelled right, and marked \`export\`?)`,
      },
    });
    return;
  }

  const selected = grader.requirements.filter((r) => !input.only || input.only.includes(r.id));
  post({
    type: 'loaded',
    requirements: selected.map((r) => ({ id: r.id, title: r.title, kind: r.kind, randomised: r.randomised ?? false })),
  });

  for (const requirement of selected) {
    if (input.skip?.includes(requirement.id)) continue;
    post({ type: 'start', id: requirement.id });
    printed = [];
    strayRejection = undefined;
    const base = { id: requirement.id, title: requirement.title, kind: requirement.kind, randomised: requirement.randomised ?? false };
    let result: RequirementResult;
    try {
      await requirement.check(makeContext(target, input.seed, input.runs));
      // Let a rejection the code left behind surface before calling the requirement met.
      await new Promise((resolve) => setImmediate(resolve));
      if (strayRejection !== undefined) throw strayRejection;
      result = { ...base, status: 'passed' };
    } catch (error) {
      result =
        error instanceof ScenarioFailure
          ? { ...base, status: 'failed', report: error.report }
          : { ...base, status: 'crashed', problem: describeException(error, input.targetPath) };
    }
    post({ type: 'result', result: printed.length > 0 ? { ...result, output: printed } : result });
  }
  post({ type: 'done' });
}

await main();
