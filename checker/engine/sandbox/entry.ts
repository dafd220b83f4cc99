import 'ses';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { verifyContentAddressed } from './content-address.ts';

/**
 * First code of every worker that runs learner code (grading and demos). It locks the realm down
 * (SES `lockdown()`: every shared built-in frozen, no way to reach the powerful evaluators through
 * a prototype) before any module of ours or of the grader is evaluated, then loads the engine.
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
lockdown({
  errorTaming: 'unsafe',
  stackFiltering: 'verbose',
  overrideTaming: 'severe',
  consoleTaming: 'unsafe',
  evalTaming: 'safe-eval',
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
});

const { engineModule } = workerData as { engineModule: string };
verifyContentAddressed(engineModule);
await import(pathToFileURL(engineModule).href);
