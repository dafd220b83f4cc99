import type {} from 'ses';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { workerData } from 'node:worker_threads';

/**
 * First code of every worker that runs learner code (grading and demos). It locks the realm down
 * (SES `lockdown()`: every shared built-in frozen, no way to reach the powerful evaluators through
 * a prototype) before any module of ours or of the grader is evaluated, then loads the engine.
 *
 * ses is loaded from its one-file build as a script with a V8 code cache beside our bundles: a
 * worker then skips compiling it, which is most of what loading it costs (a verdict starts one
 * worker, so this is on every verdict's path).
 *
 * Taming options, each kept for a reason:
 *   errorTaming 'unsafe'      error.stack stays readable: learner errors are located by their stack;
 *   stackFiltering 'verbose'  frames are not filtered away before we map them to the learner's line;
 *   overrideTaming 'severe'   libraries (fast-check, @sinonjs/fake-timers) that assign over
 *                             inherited built-in properties keep working on frozen prototypes;
 *   consoleTaming 'unsafe'    the grader side's console stays Node's own;
 *   evalTaming 'safe-eval'    only compartment evaluators exist; the host's eval is tamed;
 *   errorTrapping, unhandledRejectionTrapping 'none'
 *                             an escaping error stays the worker's 'error' event and a stray
 *                             rejection reaches the worker's own handler, as without SES.
 */

const { engineModule, sesCodeCache } = workerData as { engineModule: string; sesCodeCache: string };

function loadSes(cacheFile: string): vm.Script {
  const file = path.join(path.dirname(createRequire(import.meta.url).resolve('ses/package.json')), 'dist', 'ses.umd.min.js');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file, cachedData });
  script.runInThisContext();
  return script;
}

/** V8 checks a cache against the source and its own version, and says when it did not use it. */
function saveCodeCache(script: vm.Script, cacheFile: string): void {
  if (fs.existsSync(cacheFile) && !script.cachedDataRejected) return;
  try {
    const temp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile);
  } catch {
    // A cache is an optimisation; the next worker tries again.
  }
}

const ses = loadSes(sesCodeCache);
lockdown({
  errorTaming: 'unsafe',
  stackFiltering: 'verbose',
  overrideTaming: 'severe',
  consoleTaming: 'unsafe',
  evalTaming: 'safe-eval',
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
});
saveCodeCache(ses, sesCodeCache);

// The parent checked the engine against its content hash before starting this worker (grade.ts).
await import(pathToFileURL(engineModule).href);
