// Worker threads do not inherit tsx's loader on Node 20, so the grading worker registers it
// itself before importing the TypeScript worker (and, through it, the learner's file).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
