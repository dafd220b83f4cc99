import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { collapseStacks, describeException, describeLoadError, describeViolation } from './locate.ts';
import type { CodeProblem } from './results.ts';
import { boundProblem, boundText } from './sandbox/bounded.ts';
import { Boundary } from './sandbox/boundary.ts';
import { hardenWhatGradedCodeReaches, loadGradedModule } from './sandbox/compartment.ts';
import { captureOutput } from './sandbox/output.ts';

/**
 * Runs a demo program against a learner's file inside a worker thread, so that a loop that never
 * ends in the learner's code stops the demo, not the terminal. Lines are sent as they come. The
 * learner's file is evaluated in a Compartment, as in grading (worker.ts); what it prints itself
 * is shown after the demo's lines, capped.
 */

export type DemoMessage =
  | { readonly type: 'line'; readonly line: string }
  | { readonly type: 'problem'; readonly problem: CodeProblem }
  | { readonly type: 'done' };

process.setSourceMapsEnabled(true);
hardenWhatGradedCodeReaches();
const input = workerData as { demoModule: string; targetModule: string; targetPath: string; seed: number };
const port = parentPort!;
const post = (message: DemoMessage): void => port.postMessage(message);
const output = captureOutput();
const boundary = new Boundary();
const located = (error: unknown, load: boolean): CodeProblem => {
  const violation = boundary.take();
  if (violation) return describeViolation(violation, input.targetPath, input.targetModule);
  return load ? describeLoadError(error, input.targetPath, input.targetModule) : describeException(error, input.targetPath, input.targetModule);
};
const flushOutput = (): void => {
  for (const line of output.take()) post({ type: 'line', line: boundText(collapseStacks(line, input.targetPath, input.targetModule)) });
};

let impl: unknown;
try {
  impl = loadGradedModule({ code: fs.readFileSync(input.targetModule, 'utf8'), bundlePath: input.targetModule, seed: input.seed, console: output.console, boundary });
} catch (error) {
  post({ type: 'problem', problem: boundProblem(located(error, true)) });
}
if (impl !== undefined) {
  const run = ((await import(pathToFileURL(input.demoModule).href)) as { default: (impl: unknown, out: (line: string) => void) => Promise<void> }).default;
  try {
    await run(impl, (line) => {
      flushOutput();
      post({ type: 'line', line: boundText(line) });
    });
    const violation = boundary.take();
    if (violation) post({ type: 'problem', problem: boundProblem(describeViolation(violation, input.targetPath, input.targetModule)) });
  } catch (error) {
    post({ type: 'problem', problem: boundProblem(located(error, false)) });
  }
  flushOutput();
}
post({ type: 'done' });
