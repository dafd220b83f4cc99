import { parentPort, workerData } from 'node:worker_threads';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { isScenarioFailure, makeContext, type Grader } from './grader.ts';
import { measurePoints, type Complexity } from './complexity.ts';
import { describeException, describeLoadError } from './locate.ts';
import { attachStepSignal } from './progress-signal.ts';
import { MEASURING, type RequirementResult, type WorkerInput, type WorkerMessage } from './results.ts';

/**
 * Runs one grader against one file, inside a worker thread so that the parent can terminate it
 * when the graded code loops forever. Reports each requirement as it starts and ends.
 *
 * The worker, the grader and the graded file arrive as JavaScript bundles with inline source maps
 * (compile.ts); with source maps on, a stack trace names the learner's .ts file and line.
 *
 * A worker may be started "warm", before the file to grade is known (and with the grader already
 * loaded, if given): it waits for the input. `watch` keeps one warm for the next save.
 */

process.setSourceMapsEnabled(true);

type GraderModule = { default: Grader<unknown>; complexity?: Complexity };
const start = workerData as { input?: WorkerInput; graderModule?: string; stepSignal: SharedArrayBuffer };
attachStepSignal(start.stepSignal);
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
const loadGrader = (graderModule: string): Promise<GraderModule> => import(pathToFileURL(graderModule).href) as Promise<GraderModule>;
const preloaded = start.graderModule ? loadGrader(start.graderModule) : undefined;
// Keep a failed preload from surfacing before the input arrives; it is awaited (and thrown) below.
preloaded?.catch(() => undefined);
const input: WorkerInput =
  start.input ?? (await new Promise<WorkerInput>((resolve) => parentPort!.once('message', (message: { input: WorkerInput }) => resolve(message.input))));

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
    target = (await import(pathToFileURL(input.targetModule).href)) as Record<string, unknown>;
  } catch (error) {
    post({ type: 'load-problem', problem: describeLoadError(error, input.targetPath) });
    return;
  }
  const graderModule = await (start.graderModule === input.graderModule && preloaded ? preloaded : loadGrader(input.graderModule));
  const grader = graderModule.default;

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

  let allPassed = !input.skip?.length;
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
        isScenarioFailure(error)
          ? { ...base, status: 'failed', report: error.report }
          : { ...base, status: 'crashed', problem: describeException(error, input.targetPath) };
    }
    post({ type: 'result', result: printed.length > 0 ? { ...result, output: printed } : result });
    if (result.status !== 'passed') allPassed = false;
  }
  // Message counts only mean something for code that does what it should.
  if (input.measure && allPassed && graderModule.complexity) {
    post({ type: 'start', id: MEASURING });
    post({ type: 'complexity', measurement: await measurePoints(graderModule.complexity, target) });
  }
  post({ type: 'done' });
}

await main();
