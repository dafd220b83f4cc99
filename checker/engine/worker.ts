import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isScenarioFailure, makeContext, type Grader } from './grader.ts';
import { measurePoints, type Complexity } from './complexity.ts';
import { describeException, describeLoadError, describeViolation } from './locate.ts';
import { attachStepSignal } from './progress-signal.ts';
import { MEASURING, type CodeProblem, type RequirementResult, type WorkerInput, type WorkerMessage } from './results.ts';
import { boundProblem, boundReport, boundResult } from './sandbox/bounded.ts';
import { Boundary } from './sandbox/boundary.ts';
import { hardenWhatGradedCodeReaches, loadGradedModule } from './sandbox/compartment.ts';
import { verifyContentAddressed } from './sandbox/content-address.ts';
import { captureOutput } from './sandbox/output.ts';

/**
 * Runs one grader against one file, inside a worker thread so that the parent can terminate it
 * when the graded code loops forever or eats its memory. Reports each requirement as it starts
 * and ends.
 *
 * The realm is locked down before this module runs (sandbox/entry.ts). The grader is our own
 * bundle, imported as a module; the graded file is evaluated in a Compartment of its own
 * (sandbox/compartment.ts) that holds no reference to this module, to `parentPort` or to Node:
 * only this side posts results, and what it posts is rebuilt as bounded plain data.
 *
 * A worker may be started "warm", before the file to grade is known (and with the grader already
 * loaded, if given): it waits for the input. `watch` keeps one warm for the next save.
 */

process.setSourceMapsEnabled(true);
hardenWhatGradedCodeReaches();

type GraderModule = { default: Grader<unknown>; complexity?: Complexity };
const start = workerData as { input?: WorkerInput; graderModule?: string; stepSignal: SharedArrayBuffer };
attachStepSignal(start.stepSignal);
const port = parentPort!;
const post = (message: WorkerMessage): void => port.postMessage(message);
const loadGrader = (graderModule: string): Promise<GraderModule> => {
  verifyContentAddressed(graderModule);
  return import(pathToFileURL(graderModule).href) as Promise<GraderModule>;
};
const preloaded = start.graderModule ? loadGrader(start.graderModule) : undefined;
// Keep a failed preload from surfacing before the input arrives; it is awaited (and thrown) below.
preloaded?.catch(() => undefined);
const input: WorkerInput =
  start.input ?? (await new Promise<WorkerInput>((resolve) => port.once('message', (message: { input: WorkerInput }) => resolve(message.input))));

const output = captureOutput();
const boundary = new Boundary();

// A promise the graded code rejects without anyone awaiting it belongs to the running requirement.
let strayRejection: unknown;
process.on('unhandledRejection', (reason) => {
  strayRejection ??= reason;
});

function loadTarget(): { target: Record<string, unknown> } | { problem: CodeProblem } {
  try {
    const target = loadGradedModule({
      code: fs.readFileSync(input.targetModule, 'utf8'),
      bundlePath: input.targetModule,
      seed: input.seed,
      console: output.console,
      boundary,
    });
    const violation = boundary.take();
    return violation ? { problem: describeViolation(violation, input.targetPath, input.targetModule) } : { target };
  } catch (error) {
    const violation = boundary.take();
    return {
      problem: violation ? describeViolation(violation, input.targetPath, input.targetModule) : describeLoadError(error, input.targetPath, input.targetModule),
    };
  }
}

/** Which names the graded module lacks; reading its exports runs no code of the learner's but getters. */
function missingExports(target: Record<string, unknown>, names: readonly string[]): string[] {
  return names.filter((name) => !Object.prototype.hasOwnProperty.call(target, name));
}

async function main(): Promise<void> {
  const loaded = loadTarget();
  output.take();
  if ('problem' in loaded) {
    post({ type: 'load-problem', problem: boundProblem(loaded.problem) });
    return;
  }
  const { target } = loaded;
  const graderModule = await (start.graderModule === input.graderModule && preloaded ? preloaded : loadGrader(input.graderModule));
  const grader = graderModule.default;

  const missing = missingExports(target, grader.requiredExports);
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
    output.take();
    boundary.take();
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
      result = failureOf(base, error);
    }
    // Reaching past the boundary is reported even when the code caught the refusal and went on.
    const violation = boundary.take();
    if (violation) result = { ...base, status: 'crashed', problem: describeViolation(violation, input.targetPath, input.targetModule) };
    const printed = output.take();
    post({ type: 'result', result: boundResult(printed.length > 0 ? { ...result, output: printed } : result) });
    if (result.status !== 'passed') allPassed = false;
  }
  // Message counts only mean something for code that does what it should.
  if (input.measure && allPassed && graderModule.complexity) {
    post({ type: 'start', id: MEASURING });
    const measurement = await measurePoints(graderModule.complexity, target);
    post({ type: 'complexity', measurement: 'problem' in measurement ? { problem: String(measurement.problem).slice(0, 4096) } : measurement });
  }
  post({ type: 'done' });
}

function failureOf(base: Omit<RequirementResult, 'status'>, error: unknown): RequirementResult {
  try {
    if (isScenarioFailure(error)) return { ...base, status: 'failed', report: boundReport(error.report) };
  } catch {
    // A thrown object whose fields cannot be read is an exception like any other.
  }
  return { ...base, status: 'crashed', problem: describeException(error, input.targetPath, input.targetModule) };
}

await main();
