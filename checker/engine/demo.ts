import path from 'node:path';
import { compileEngine, compileGrader, compileTarget, CompileError } from './compile.ts';
import type { DemoMessage } from './demo-worker.ts';
import { DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_MS, outOfMemoryProblem, processMemoryMb, relativeLocation, spawnSandboxed } from './grade.ts';
import type { CodeProblem } from './results.ts';
import { verifyContentAddressed } from './sandbox/content-address.ts';
import { inertData } from './sandbox/inert.ts';
import { OUT_OF_MEMORY_CODE } from './sandbox/isolated-worker.ts';
import { locateStuckWorker } from './stuck.ts';

/**
 * Runs an exercise's demo program against a file, in a worker with the same guards as grading: the
 * learner's file in a Compartment of a locked-down realm, a memory limit, and if no line comes for
 * the time limit, the demo is stopped and the learner told why.
 */

export interface DemoOptions {
  readonly root: string;
  /** The demo module (default-exports `runDemo(impl, out)`). */
  readonly demoPath: string;
  /** The file to run it against. */
  readonly targetPath: string;
  readonly out: (line: string) => void;
  readonly timeoutMs?: number;
  /** Seeds the learner's Math.random, as in grading. */
  readonly seed?: number;
}

/** Resolves with the problem that stopped the demo, or undefined when it ran to the end. */
export async function runDemo(options: DemoOptions): Promise<CodeProblem | undefined> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // What reaches the learner is inert, their file named as in the workbook (inert.ts, locate.ts).
  const relative = path.relative(options.root, options.targetPath);
  const shown = (text: string): string => inertData(text, [[options.targetPath, relative.startsWith('..') ? options.targetPath : relative]]);
  let modules: [Awaited<ReturnType<typeof compileEngine>>, string, string];
  try {
    modules = await Promise.all([
      compileEngine(options.root, 'demo'),
      compileGrader(options.root, options.demoPath),
      compileTarget(options.root, options.targetPath),
    ]);
  } catch (error) {
    if (error instanceof CompileError) return inertData(relativeLocation(options.root, error.problem));
    throw error;
  }
  const [engine, demoModule, targetModule] = modules;
  verifyContentAddressed(demoModule);
  const worker = spawnSandboxed(engine, { demoModule, targetModule, targetPath: options.targetPath, seed: options.seed ?? 1 });
  return new Promise((resolve) => {
    let problem: CodeProblem | undefined;
    let watchdog: NodeJS.Timeout;
    const finish = (result: CodeProblem | undefined): void => {
      clearTimeout(watchdog);
      void worker.terminate();
      resolve(result && inertData(relativeLocation(options.root, result)));
    };
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        const message = `the demo made no progress for ${timeoutMs / 1000} s: look for a loop that never ends or a promise that never settles`;
        void locateStuckWorker(worker, options.targetPath).then(({ where }) => finish({ kind: 'timeout', message, ...(where ? { location: where } : {}) }));
      }, timeoutMs);
    };
    worker.on('message', (message: DemoMessage) => {
      arm();
      if (message.type === 'line') options.out(shown(message.line));
      else if (message.type === 'problem') problem = message.problem;
      else finish(problem);
    });
    worker.on('error', (error) =>
      finish(
        (error as NodeJS.ErrnoException).code === OUT_OF_MEMORY_CODE
          ? outOfMemoryProblem('the demo', processMemoryMb(DEFAULT_MEMORY_LIMIT_MB))
          : { kind: 'exception', message: `${error.name}: ${error.message}` },
      ),
    );
    worker.on('exit', () => finish(problem));
    arm();
  });
}
