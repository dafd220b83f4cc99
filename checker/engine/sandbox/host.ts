import { Worker } from 'node:worker_threads';
import { pauseWorker } from '../stuck.ts';
import type { HostCommand, HostEvent, HostStart } from './isolated-worker.ts';

/**
 * The process a grading (or demo) worker thread lives in, one per worker (isolated-worker.ts).
 * It relays messages between the parent and the thread, pauses the thread through the inspector
 * when the parent asks where it is stuck, and watches the memory of the whole process, array
 * buffers and everything else outside V8's heap included: the thread's heap limit covers only
 * the heap. Past the cap it tells the parent, which kills this process; nothing here waits for
 * the thread, which a long native call (sorting a huge array) would keep running for minutes.
 */

/** How often the process's resident memory is read; growth between two reads is the overshoot. */
const MEMORY_POLL_MS = 20;

const send = (event: HostEvent): void => {
  if (process.connected) process.send!(event);
};
// A parent that went away (killed, crashed) takes this process with it at once.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
// Ctrl-C reaches the whole process group: the parent decides what it stops (an interrupted
// verdict says so), and kills this process or goes away, which ends it all the same.
process.on('SIGINT', () => undefined);

process.once('message', (start: HostStart) => {
  const worker = new Worker(start.entry, {
    workerData: start.workerData,
    resourceLimits: { maxOldGenerationSizeMb: start.heapLimitMb },
    // Piped, never read: graded code cannot print there, and nothing our side might print (a
    // warning of SES's, say) may land in the middle of a verdict or of --json output.
    stdout: true,
    stderr: true,
  });
  process.on('message', (command: HostCommand) => {
    if (command.kind === 'post') worker.postMessage(command.message);
    else void pauseWorker(worker, command.waitMs).then((paused) => send({ kind: 'paused', paused }));
  });
  worker.on('message', (message: unknown) => send({ kind: 'message', message }));
  worker.on('error', (error: Error) => send({ kind: 'error', name: error.name, message: error.message, code: (error as NodeJS.ErrnoException).code }));
  worker.on('exit', () => {
    send({ kind: 'exit' });
    process.disconnect();
  });
  const limit = start.memoryLimitMb * 1024 * 1024;
  setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > limit) send({ kind: 'over-memory', rssMb: Math.round(rss / 1024 / 1024) });
  }, MEMORY_POLL_MS).unref();
});
