import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { describeException, describeLoadError } from './locate.ts';
import type { CodeProblem } from './results.ts';

/**
 * Runs a demo program against a learner's file inside a worker thread, so that a loop that never
 * ends in the learner's code stops the demo, not the terminal. Lines are sent as they come.
 */

export type DemoMessage =
  | { readonly type: 'line'; readonly line: string }
  | { readonly type: 'problem'; readonly problem: CodeProblem }
  | { readonly type: 'done' };

process.setSourceMapsEnabled(true);
const input = workerData as { demoModule: string; targetModule: string; targetPath: string };
const post = (message: DemoMessage): void => parentPort!.postMessage(message);

let impl: unknown;
try {
  impl = await import(pathToFileURL(input.targetModule).href);
} catch (error) {
  post({ type: 'problem', problem: describeLoadError(error, input.targetPath) });
}
if (impl !== undefined) {
  const run = ((await import(pathToFileURL(input.demoModule).href)) as { default: (impl: unknown, out: (line: string) => void) => Promise<void> }).default;
  try {
    await run(impl, (line) => post({ type: 'line', line }));
  } catch (error) {
    post({ type: 'problem', problem: describeException(error, input.targetPath) });
  }
}
post({ type: 'done' });
