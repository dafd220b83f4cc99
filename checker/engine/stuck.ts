import fs from 'node:fs';
import inspector from 'node:inspector';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { LAST_STEP_EXPRESSION } from './progress-signal.ts';
import { boundText } from './sandbox/bounded.ts';

/**
 * Where a worker is stuck. When a check runs past its time limit, the parent pauses the worker
 * through the inspector (the NodeWorker domain reaches a worker even while it spins in a loop),
 * reads its call stack and the scenario step it last began (progress-signal.ts), and maps the
 * bundle positions back through the inline source maps to the learner's .ts file and line. Only
 * then is the worker terminated.
 */

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

interface GeneratedFrame {
  readonly url: string;
  /** 0-based, as the inspector reports them. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

type InspectorEvent<T> = { params: T };

/** A paused worker's call stack, top first, and the scenario step it last began. */
export interface PausedWorker {
  readonly frames: readonly GeneratedFrame[];
  readonly step?: string;
}

const READ_STEP = 4;

/** Pauses `worker` and reads where it is; undefined if that is not possible in time. */
export function pauseWorker(worker: Worker, waitMs = 1500): Promise<PausedWorker | undefined> {
  return new Promise((resolve) => {
    const session = new inspector.Session();
    let done = false;
    // The inspector names scripts by id in call frames; their URLs come in scriptParsed events.
    const scripts = new Map<string, string>();
    let workerSession: string | undefined;
    let frames: GeneratedFrame[] | undefined;
    let step: { value?: string } | undefined;
    const toWorker = (id: number, method: string, params?: object): void => {
      if (workerSession) {
        session.post('NodeWorker.sendMessageToWorker', { sessionId: workerSession, message: JSON.stringify({ id, method, params }) }, () => undefined);
      }
    };
    const finish = (paused?: PausedWorker): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A worker left paused in the debugger could not be terminated: resume it, detach, disconnect.
      try {
        toWorker(3, 'Debugger.resume');
        if (workerSession) session.post('NodeWorker.detach', { sessionId: workerSession }, () => undefined);
        session.disconnect();
      } catch {
        // already gone
      }
      resolve(paused);
    };
    const paused = (): PausedWorker => ({ frames: frames ?? [], ...(step?.value !== undefined ? { step: step.value } : {}) });
    // Out of time: what was read. A worker idle on a promise that never settles never pauses,
    // but its last step can still be read.
    const timer = setTimeout(() => finish(frames || step ? paused() : undefined), waitMs);
    try {
      session.connect();
    } catch {
      finish(undefined);
      return;
    }
    session.on('NodeWorker.attachedToWorker', (({ params }: InspectorEvent<{ sessionId: string; workerInfo: { title: string } }>) => {
      // The inspector numbers workers its own way; its title carries the thread id.
      if (params.workerInfo.title !== `[worker ${worker.threadId}]`) return;
      workerSession = params.sessionId;
      // The step first: read before the pause is requested, its evaluation cannot be where the
      // worker pauses. A busy worker runs it between two statements, an idle one at once.
      toWorker(READ_STEP, 'Runtime.evaluate', { expression: LAST_STEP_EXPRESSION, returnByValue: true, silent: true });
      toWorker(1, 'Debugger.enable');
      toWorker(2, 'Debugger.pause');
    }) as never);
    session.on('NodeWorker.receivedMessageFromWorker', (({ params }: InspectorEvent<{ message: string }>) => {
      const message = JSON.parse(params.message) as {
        id?: number;
        method?: string;
        params?: { scriptId?: string; url?: string; callFrames?: { location: { scriptId: string; lineNumber: number; columnNumber: number } }[] };
        result?: { result?: { type?: string; value?: unknown } };
      };
      if (message.method === 'Debugger.scriptParsed' && message.params?.scriptId && message.params.url) {
        scripts.set(message.params.scriptId, message.params.url);
      }
      if (message.id === READ_STEP) {
        const value = message.result?.result?.value;
        step = typeof value === 'string' ? { value } : {};
      } else if (message.method === 'Debugger.paused' && message.params?.callFrames && !frames) {
        frames = message.params.callFrames.map((f) => ({
          url: scripts.get(f.location.scriptId) ?? '',
          lineNumber: f.location.lineNumber,
          columnNumber: f.location.columnNumber,
        }));
      }
      if (frames && step) finish(paused());
    }) as never);
    session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, () => undefined);
  });
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

function sourceMapOf(bundle: string, cache: Map<string, SourceMap | null>): SourceMap | null {
  if (!cache.has(bundle)) {
    let map: SourceMap | null = null;
    try {
      const encoded = INLINE_MAP.exec(fs.readFileSync(bundle, 'utf8'))?.[1];
      if (encoded) map = new SourceMap(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
    } catch {
      map = null;
    }
    cache.set(bundle, map);
  }
  return cache.get(bundle)!;
}

/** Maps generated frames back to source positions (1-based), dropping frames with no source. */
export function toSourcePositions(frames: readonly GeneratedFrame[]): SourcePosition[] {
  const cache = new Map<string, SourceMap | null>();
  const positions: SourcePosition[] = [];
  for (const frame of frames) {
    if (!frame.url.startsWith('file:')) continue;
    const bundle = fileURLToPath(frame.url);
    const entry = sourceMapOf(bundle, cache)?.findEntry(frame.lineNumber, frame.columnNumber) as
      | { originalSource?: string; originalLine?: number; originalColumn?: number }
      | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) continue;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(bundle), entry.originalSource);
    positions.push({ file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 });
  }
  return positions;
}

/** Where the worker is stuck: its position in `targetPath` (if it is stuck in that file) and its last step. */
export async function locateStuckWorker(worker: { pause(): Promise<PausedWorker | undefined> }, targetPath: string): Promise<{ where?: SourcePosition; step?: string }> {
  // The worker's host process pauses it (sandbox/host.ts calls pauseWorker), as only a session
  // in the thread's own process reaches it.
  const paused = await worker.pause();
  if (!paused) return {};
  const where = toSourcePositions(paused.frames).find((p) => p.file === targetPath);
  // The step crosses from the worker by the inspector rather than a message: capped the same way.
  return { ...(where ? { where } : {}), ...(paused.step !== undefined ? { step: boundText(paused.step) } : {}) };
}
