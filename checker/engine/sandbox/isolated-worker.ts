import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { PausedWorker } from '../stuck.ts';

/**
 * A worker thread that lives in a process of its own (host.ts), seen from the parent much as a
 * `Worker` is: messages in and out, 'error' and 'exit' events, terminate. Why a process: a thread
 * cannot be stopped while it is inside a long native call (sorting a 1 GB typed array, or a big
 * Array sort with a comparator, ran on for minutes after `worker.terminate()`, and kept the CLI
 * from exiting), and its array buffers lie outside the heap limit a thread can be given. A
 * process is killed with SIGKILL at once, whatever it is doing, and its host reads its resident
 * memory, everything included, against a cap.
 */

export interface HostStart {
  readonly entry: string;
  readonly workerData: object;
  /** The thread's V8 heap limit. */
  readonly heapLimitMb: number;
  /** The whole process's resident memory limit (heap, array buffers, code, the host itself). */
  readonly memoryLimitMb: number;
}

export type HostCommand = { readonly kind: 'post'; readonly message: unknown } | { readonly kind: 'pause'; readonly waitMs: number };

export type HostEvent =
  | { readonly kind: 'message'; readonly message: unknown }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly code?: string }
  | { readonly kind: 'over-memory'; readonly rssMb: number }
  | { readonly kind: 'paused'; readonly paused: PausedWorker | undefined }
  | { readonly kind: 'exit' };

/** The code a worker's error carries when it ran out of memory, as Node's own workers say it. */
export const OUT_OF_MEMORY_CODE = 'ERR_WORKER_OUT_OF_MEMORY';

export class IsolatedWorker extends EventEmitter {
  private readonly child: ChildProcess;
  private exited = false;
  private readonly exitedNow: Promise<void>;
  private readonly pauses: ((paused: PausedWorker | undefined) => void)[] = [];

  constructor(host: string, start: HostStart) {
    super();
    this.child = spawn(process.execPath, [host], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    this.child.send(start);
    this.child.on('message', (event: HostEvent) => this.onEvent(event));
    // A process that cannot be started (no memory, no process slots) is an error like any other.
    this.child.on('error', (error) => this.emit('error', error));
    this.exitedNow = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.exited = true;
        for (const pause of this.pauses.splice(0)) pause(undefined);
        resolve();
        this.emit('exit', this.child.exitCode ?? 1);
      }),
    );
  }

  /** Its process id while it runs, -1 once it has ended (as a `Worker`'s threadId). */
  get threadId(): number {
    return this.exited ? -1 : (this.child.pid ?? -1);
  }

  private onEvent(event: HostEvent): void {
    switch (event.kind) {
      case 'message':
        this.emit('message', event.message);
        break;
      case 'error':
        this.emit('error', Object.assign(new Error(event.message), { name: event.name, code: event.code }));
        break;
      case 'over-memory':
        if (this.exited || this.child.signalCode) break;
        this.child.kill('SIGKILL');
        this.emit('error', Object.assign(new Error(`the process grew to ${event.rssMb} MB`), { name: 'Error', code: OUT_OF_MEMORY_CODE }));
        break;
      case 'paused':
        this.pauses.shift()?.(event.paused);
        break;
      case 'exit':
        // The thread ended on its own: its process is done too.
        this.child.kill('SIGKILL');
        break;
    }
  }

  postMessage(message: unknown): void {
    if (!this.exited && this.child.connected) this.child.send({ kind: 'post', message } satisfies HostCommand);
  }

  /**
   * Pauses the thread and reads where it is (stuck.ts), through its host. Undefined when that
   * takes longer than `waitMs` and a little more: a thread in a native call never pauses.
   */
  pause(waitMs = 1500): Promise<PausedWorker | undefined> {
    if (this.exited || !this.child.connected) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), waitMs + 250);
      const finish = (paused: PausedWorker | undefined): void => {
        clearTimeout(timer);
        const at = this.pauses.indexOf(finish);
        if (at >= 0) this.pauses.splice(at, 1);
        resolve(paused);
      };
      this.pauses.push(finish);
      this.child.send({ kind: 'pause', waitMs } satisfies HostCommand);
    });
  }

  /** Kills the process (SIGKILL): nothing it is doing delays it. Resolves once it has ended. */
  terminate(): Promise<number> {
    if (!this.exited) this.child.kill('SIGKILL');
    return this.exitedNow.then(() => this.child.exitCode ?? 1);
  }

  ref(): void {
    this.child.ref();
    this.child.channel?.ref();
  }

  unref(): void {
    this.child.unref();
    this.child.channel?.unref();
  }
}
