import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isScenarioFailure, makeContext, type Grader, type Requirement } from './grader.ts';
import { measurePoints, type Complexity } from './complexity.ts';
import { signalStep } from './progress-signal.ts';
import { collapseStacks, describeException, describeLoadError, describeViolation } from './locate.ts';
import { MEASURING, type CodeProblem, type RequirementResult, type WorkerCommand, type WorkerInput, type WorkerMessage } from './results.ts';
import { boundComplexity, boundProblem, boundReport, boundResult } from './sandbox/bounded.ts';
import { Boundary } from './sandbox/boundary.ts';
import { hardenWhatGradedCodeReaches, prepareGradedModule, requirementSeed, type GradedModule } from './sandbox/compartment.ts';
import { mapStrings } from './sandbox/inert.ts';
import { captureOutput } from './sandbox/output.ts';

/**
 * Runs one grader against one file, inside a worker thread so that the parent can terminate it
 * when the graded code loops forever or eats its memory. The worker loads the file once to report
 * what keeps it from loading (and which requirements the grader declares), then runs the
 * requirements the parent hands it, one at a time, in whatever order: the parent may run two such
 * workers side by side (grade.ts, lane.ts).
 *
 * Each requirement runs against a fresh evaluation of the file, whose `Math.random` is seeded from
 * the run's seed and the requirement's id: what one requirement left in the module's state cannot
 * change another's verdict, so a requirement's verdict is the same alone (`--only`), after a
 * restart, or on either worker, and the replay command a failure prints replays it exactly. A
 * requirement may ask for more evaluations (`ctx.freshImpl`: one per simulated node and restart),
 * each seeded from the requirement and the key it is asked with.
 *
 * The realm is locked down before this module runs (sandbox/entry.ts). The grader is our own
 * bundle, imported as a module; the graded file is evaluated in a Compartment of its own
 * (sandbox/compartment.ts) that holds no reference to this module, to `parentPort` or to Node:
 * only this side posts results, and what it posts is rebuilt as bounded plain data.
 *
 * A worker may be started "warm", before the file to grade is known (and with the grader already
 * loaded, if given): it waits for the input. `watch` keeps one warm for the next save, and keeps
 * a worker that graded cleanly for the save after: a new input starts over, and as every
 * requirement evaluates its file afresh, nothing of the last file carries over.
 */

process.setSourceMapsEnabled(true);
hardenWhatGradedCodeReaches();

type GraderModule = { default: Grader<unknown>; complexity?: Complexity };
const start = workerData as { input?: WorkerInput; graderModule?: string };
const port = parentPort!;
const post = (message: WorkerMessage): void => port.postMessage(message);
// The parent checked the grader bundle against its content hash before handing it over (grade.ts).
const loadGrader = (graderModule: string): Promise<GraderModule> => import(pathToFileURL(graderModule).href) as Promise<GraderModule>;
const preloaded = start.graderModule ? loadGrader(start.graderModule) : undefined;
// Keep a failed preload from surfacing before the input arrives; it is awaited (and thrown) below.
preloaded?.catch(() => undefined);

// The parent's messages: an input (a file to grade), then commands for it, queued until taken. A
// worker that graded a file cleanly may be handed the next one (watch keeps it, JIT-warm): a new
// input ends the commands of the one before.
type ParentMessage = { input: WorkerInput } | WorkerCommand;
const messages: ParentMessage[] = start.input ? [{ input: start.input }] : [];
let messageArrived: (() => void) | undefined;
port.on('message', (message: ParentMessage) => {
  messages.push(message);
  messageArrived?.();
});
async function nextMessage(): Promise<ParentMessage> {
  while (messages.length === 0) await new Promise<void>((resolve) => (messageArrived = resolve));
  return messages.shift()!;
}
let input!: WorkerInput;
let targetCode = '';

const output = captureOutput();
const boundary = new Boundary();

// A promise the graded code rejects without anyone awaiting it belongs to the running requirement.
let strayRejection: unknown;
process.on('unhandledRejection', (reason) => {
  strayRejection ??= reason;
});

function loadTarget(seed: number): { target: Record<string, unknown>; module: GradedModule } | { problem: CodeProblem } {
  try {
    const module = prepareGradedModule({ code: targetCode, bundlePath: input.targetModule, seed, console: output.console, boundary });
    const violation = boundary.take();
    return violation ? { problem: describeViolation(violation, input.targetPath, input.targetModule) } : { target: module.exports, module };
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

/** Grades `input` until the parent hands over the next input, which it returns. */
async function grade(): Promise<WorkerInput> {
  targetCode = fs.readFileSync(input.targetModule, 'utf8');
  const loaded = loadTarget(input.seed);
  output.take();
  if ('problem' in loaded) {
    post({ type: 'load-problem', problem: boundProblem(loaded.problem) });
    return nextInput();
  }
  const graderModule = await (start.graderModule === input.graderModule && preloaded ? preloaded : loadGrader(input.graderModule));
  const grader = graderModule.default;

  const missing = missingExports(loaded.target, grader.requiredExports);
  if (missing.length > 0) {
    post({
      type: 'load-problem',
      problem: {
        kind: 'missing-export',
        message: `the file must export ${missing.map((m) => `\`${m}\``).join(', ')} (is it spelled right, and marked \`export\`?)`,
      },
    });
    return nextInput();
  }

  const selected = grader.requirements.filter((r) => !input.only || input.only.includes(r.id));
  post({
    type: 'loaded',
    requirements: selected.map((r) => ({ id: r.id, title: r.title, kind: r.kind, randomised: r.randomised ?? false })),
    measures: graderModule.complexity !== undefined,
  });

  for (;;) {
    const command = await nextMessage();
    if ('input' in command) return command.input;
    if (command.type === 'measure') {
      // Message counts only mean something for code that does what it should: the parent asks
      // only when every requirement has passed so far, and only a grader that says it measures.
      const fresh = loadTarget(requirementSeed(input.seed, MEASURING));
      output.take();
      const measurement = 'problem' in fresh ? { problem: fresh.problem.message } : await measurePoints(graderModule.complexity!, fresh.target);
      post({ type: 'complexity', measurement: boundComplexity(measurement) });
      continue;
    }
    const requirement = selected.find((r) => r.id === command.id);
    if (requirement) post({ type: 'result', result: await runRequirement(requirement) });
  }
}

/** Waits for the next input; commands left over from the last one are dropped. */
async function nextInput(): Promise<WorkerInput> {
  for (;;) {
    const message = await nextMessage();
    if ('input' in message) return message.input;
  }
}

/**
 * Resolves once the microtasks queued so far, and those they queue, have all run: a promise chain
 * or microtask flood the code started under a requirement that never ends keeps this from
 * resolving, so it times out in that requirement (with its step), not in the next one.
 */
const workSettled = (): Promise<unknown> => new Promise((resolve) => setImmediate(resolve));

async function runRequirement(requirement: Requirement<unknown>): Promise<RequirementResult> {
  output.take();
  boundary.take();
  strayRejection = undefined;
  // A check stuck before its first step must not be reported in the last requirement's.
  signalStep(undefined);
  const base = { id: requirement.id, title: requirement.title, kind: requirement.kind, randomised: requirement.randomised ?? false };
  let result: RequirementResult;
  const fresh = loadTarget(requirementSeed(input.seed, requirement.id));
  if ('problem' in fresh) {
    // The file loaded once already; loading it again can only fail by its own randomness.
    result = { ...base, status: 'crashed', problem: fresh.problem };
    await workSettled();
  } else {
    try {
      // A simulated node's own evaluation (a machine of its own) draws its Math.random from its key.
      const again = (key: string): unknown => fresh.module.again(requirementSeed(input.seed, `${requirement.id}\n${key}`));
      await requirement.check(makeContext(fresh.target, input.seed, input.runs, again));
      // Let a rejection the code left behind surface before calling the requirement met.
      await workSettled();
      if (strayRejection !== undefined) throw strayRejection;
      result = { ...base, status: 'passed' };
    } catch (error) {
      result = failureOf(base, error);
      // A check that failed at once may leave work of the code's running too.
      await workSettled();
    }
    // Reaching past the boundary is reported even when the code caught the refusal and went on.
    const violation = boundary.take();
    if (violation) result = { ...base, status: 'crashed', problem: describeViolation(violation, input.targetPath, input.targetModule) };
  }
  const printed = output.take();
  // A stack the code printed or put in a value names its own lines only (locate.ts).
  return mapStrings(boundResult(printed.length > 0 ? { ...result, output: printed } : result), (text) => collapseStacks(text, input.targetPath, input.targetModule));
}

function failureOf(base: Omit<RequirementResult, 'status'>, error: unknown): RequirementResult {
  try {
    if (isScenarioFailure(error)) return { ...base, status: 'failed', report: boundReport(error.report) };
  } catch {
    // A thrown object whose fields cannot be read is an exception like any other.
  }
  return { ...base, status: 'crashed', problem: describeException(error, input.targetPath, input.targetModule) };
}

input = await nextInput();
for (;;) input = await grade();
