import type { ComplexityMeasurement } from './complexity.ts';
import type { CodeProblem, RequirementResult, WorkerCommand, WorkerMessage } from './results.ts';
import { OUT_OF_MEMORY_CODE, type IsolatedWorker as Worker } from './sandbox/isolated-worker.ts';
import { locateStuckWorker, type SourcePosition } from './stuck.ts';

/**
 * One grading worker seen from the parent: it loads the file, then runs the requirements it is
 * handed one at a time (worker.ts). gradeFile runs one or two lanes and hands out requirement ids
 * from a queue; a lane only reports what became of each, and stops its worker when a requirement
 * runs past its guard (after asking the worker where it is stuck) or kills the worker. A lane
 * whose worker died is spent: the caller opens a fresh one for the requirements that remain.
 */

export type Declared = readonly Omit<RequirementResult, 'status'>[];

export type LoadOutcome =
  | { readonly kind: 'loaded'; readonly declared: Declared; readonly measures: boolean }
  | { readonly kind: 'load-problem'; readonly problem: CodeProblem }
  | { readonly kind: 'load-out-of-memory' }
  | { readonly kind: 'stuck-loading' }
  | { readonly kind: 'stopped' };

export type RunOutcome =
  /** The worker reported a verdict and is free for the next requirement. */
  | { readonly kind: 'result'; readonly result: RequirementResult }
  /** The worker died under the requirement (out of memory, or an error escaping it); the lane is spent. */
  | { readonly kind: 'crashed'; readonly result: RequirementResult }
  /** The requirement ran past its guard and the worker was stopped; the lane is spent. */
  | { readonly kind: 'stuck'; readonly startedAt: number; readonly endedAt: number; readonly step?: string; readonly where?: SourcePosition }
  | { readonly kind: 'stopped' };

export type MeasureOutcome =
  | { readonly kind: 'measured'; readonly measurement: ComplexityMeasurement }
  | { readonly kind: 'stuck' }
  | { readonly kind: 'stopped' };

export interface LaneSettings {
  readonly targetPath: string;
  readonly memoryLimitMb: number;
  /** How long the worker may take from its start to declaring the requirements. */
  readonly loadTimeoutMs: number;
  /** Says what the grader's side threw or ran out of, for the requirement it happened under. */
  readonly outOfMemory: (title: string) => CodeProblem;
}

type Pending =
  | { readonly kind: 'run'; readonly id: string; readonly resolve: (outcome: RunOutcome) => void }
  | { readonly kind: 'measure'; readonly resolve: (outcome: MeasureOutcome) => void };

const isOutOfMemory = (error: Error): boolean => (error as NodeJS.ErrnoException).code === OUT_OF_MEMORY_CODE;

export class GradingLane {
  readonly loaded: Promise<LoadOutcome>;
  private declared?: Declared;
  private worker?: Worker;
  private finishLoad!: (outcome: LoadOutcome) => void;
  private pending?: Pending;
  private watchdog?: NodeJS.Timeout;
  private startedAt = 0;
  private deadline = 0;
  /** Once the guard has run out, the worker's late answers no longer count. */
  private overrun = false;
  private stopped = false;
  /** The worker reported that the file does not load, and waits, sound, for another. */
  private idle = false;

  constructor(
    worker: Promise<Worker>,
    private readonly settings: LaneSettings,
  ) {
    let loadSettled = false;
    this.loaded = new Promise<LoadOutcome>((resolve, reject) => {
      this.finishLoad = (outcome) => {
        if (loadSettled) return;
        loadSettled = true;
        clearTimeout(this.watchdog);
        if (outcome.kind !== 'loaded' && !this.idle) this.stop();
        resolve(outcome);
      };
      worker.then((w) => this.attach(w), reject);
    });
  }

  /** Whether the worker is gone (stopped by us or died): a spent lane runs nothing more. */
  get spent(): boolean {
    return this.stopped;
  }

  private readonly listeners = {
    message: (message: WorkerMessage): void => this.onMessage(message),
    error: (error: Error): void => this.onError(error),
    exit: (): void => this.onExit(),
  };

  private attach(worker: Worker): void {
    this.worker = worker;
    if (this.stopped) {
      void worker.terminate();
      return this.finishLoad({ kind: 'stopped' });
    }
    this.watchdog = setTimeout(() => this.finishLoad({ kind: 'stuck-loading' }), this.settings.loadTimeoutMs);
    worker.on('message', this.listeners.message);
    worker.on('error', this.listeners.error);
    worker.on('exit', this.listeners.exit);
  }

  private onMessage(message: WorkerMessage): void {
    const pending = this.pending;
    switch (message?.type) {
      case 'loaded':
        this.declared = message.requirements;
        this.finishLoad({ kind: 'loaded', declared: message.requirements, measures: message.measures });
        break;
      case 'load-problem':
        this.idle = !this.declared;
        this.finishLoad({ kind: 'load-problem', problem: message.problem });
        break;
      case 'result':
        if (pending?.kind === 'run' && pending.id === message.result.id && !this.overrun) this.settle(() => pending.resolve({ kind: 'result', result: message.result }));
        break;
      case 'complexity':
        if (pending?.kind === 'measure' && !this.overrun) this.settle(() => pending.resolve({ kind: 'measured', measurement: message.measurement }));
        break;
    }
  }

  // Errors escaping the worker are ours (the grader or the bootstrap), a learner's code crashing
  // the thread from a queued task, or the heap limit; the running requirement gets the blame.
  private onError(error: Error): void {
    const problem: CodeProblem = { kind: 'exception', message: `${error.name}: ${error.message}` };
    if (!this.declared) {
      this.finishLoad(isOutOfMemory(error) ? { kind: 'load-out-of-memory' } : { kind: 'load-problem', problem: { ...problem, kind: 'load' } });
      this.stop();
      return;
    }
    const pending = this.pending;
    if (pending?.kind === 'run') {
      const base = this.declared.find((r) => r.id === pending.id)!;
      const blamed = isOutOfMemory(error) ? this.settings.outOfMemory(`"${base.title}"`) : problem;
      this.settle(() => pending.resolve({ kind: 'crashed', result: { ...base, status: 'crashed', problem: blamed } }));
    } else if (pending?.kind === 'measure') {
      this.settle(() => pending.resolve({ kind: 'measured', measurement: { problem: `could not measure: ${problem.message}` } }));
    }
    this.stop();
  }

  private onExit(): void {
    if (!this.declared) this.finishLoad({ kind: 'load-problem', problem: { kind: 'load', message: 'the grader stopped before running any check' } });
    const pending = this.pending;
    if (pending?.kind === 'run' && !this.overrun) {
      const { startedAt } = this;
      this.settle(() => pending.resolve({ kind: 'stuck', startedAt, endedAt: Date.now() }));
    } else if (pending?.kind === 'measure' && !this.overrun) {
      this.settle(() => pending.resolve({ kind: 'stuck' }));
    }
    this.stopped = true;
  }

  private settle(resolve: () => void): void {
    clearTimeout(this.watchdog);
    this.pending = undefined;
    resolve();
  }

  /** Runs one requirement; its guard counts from now. */
  run(id: string, guardMs: number): Promise<RunOutcome> {
    if (this.stopped || !this.worker || this.pending) return Promise.resolve({ kind: 'stopped' });
    return new Promise((resolve) => {
      this.pending = { kind: 'run', id, resolve };
      this.send({ type: 'run', id }, guardMs);
    });
  }

  /** Measures message counts on a fresh evaluation of the file. */
  measure(guardMs: number): Promise<MeasureOutcome> {
    if (this.stopped || !this.worker || this.pending) return Promise.resolve({ kind: 'stopped' });
    return new Promise((resolve) => {
      this.pending = { kind: 'measure', resolve };
      this.send({ type: 'measure' }, guardMs);
    });
  }

  private send(command: WorkerCommand, guardMs: number): void {
    this.overrun = false;
    this.startedAt = Date.now();
    this.arm(this.startedAt + guardMs);
    this.worker!.postMessage(command);
  }

  private arm(deadline: number): void {
    clearTimeout(this.watchdog);
    this.deadline = deadline;
    this.watchdog = setTimeout(() => void this.overrunGuard(), Math.max(0, deadline - Date.now()));
  }

  /** Ends the running requirement's guard sooner: by `withinMs` from now, if it would end later. */
  shortenGuard(withinMs: number): void {
    if (!this.pending || this.overrun) return;
    const deadline = Date.now() + withinMs;
    if (deadline < this.deadline) this.arm(deadline);
  }

  private async overrunGuard(): Promise<void> {
    const pending = this.pending;
    if (!pending || !this.worker) return;
    this.overrun = true;
    // The guard it was given, not when the timer fired: a busy machine fires late.
    const { startedAt, deadline: endedAt } = this;
    // Ask the stuck worker where it is (its line, its last step) before stopping it, so the learner gets a line.
    const { where, step } = pending.kind === 'run' ? await locateStuckWorker(this.worker, this.settings.targetPath) : {};
    // Stopped meanwhile (Ctrl-C): that has been said already.
    if (this.pending !== pending) return;
    this.settle(() => (pending.kind === 'run' ? pending.resolve({ kind: 'stuck', startedAt, endedAt, step, where }) : pending.resolve({ kind: 'stuck' })));
    this.stop();
  }

  /**
   * Lets go of a worker that loaded the file and finished every command it was given, without
   * terminating it, for the next file (watch). The lane is spent. Undefined (and the worker
   * terminated) when the worker is not in that state.
   */
  release(): Worker | undefined {
    const worker = this.worker;
    if (this.stopped || this.pending || !(this.declared || this.idle) || !worker) {
      this.stop();
      return undefined;
    }
    this.stopped = true;
    clearTimeout(this.watchdog);
    worker.off('message', this.listeners.message);
    worker.off('error', this.listeners.error);
    worker.off('exit', this.listeners.exit);
    return worker;
  }

  /** Terminates the worker; whatever it was doing resolves as stopped. */
  stop(): void {
    if (!this.stopped) {
      this.stopped = true;
      void this.worker?.terminate();
    }
    const pending = this.pending;
    if (pending) this.settle(() => pending.resolve({ kind: 'stopped' }));
    this.finishLoad({ kind: 'stopped' });
  }
}
