import fs from 'node:fs';
import path from 'node:path';

/**
 * Tells when one file changes: through file events where they work, by polling where asked or
 * where they do not. Some file systems (network mounts, some containers and VMs) accept a watch and
 * then never report anything; a cheap stat every PROBE_MS catches a save the events missed, and the
 * watcher then says so and switches to polling by itself instead of waiting for the learner to
 * find a flag.
 */

export const POLL_MS = 250;
export const PROBE_MS = 1000;

export interface FileWatchOptions {
  readonly poll: boolean;
  readonly onChange: () => void;
  /** Called once, with the reason, when file events turn out not to work. */
  readonly onSwitchToPolling?: (reason: string) => void;
  /** For tests: the event source (fs.watch by default). */
  readonly watchDirectory?: (dir: string, listener: (name: string | null) => void) => { close(): void; on?(event: 'error', handler: () => void): unknown };
}

export interface FileWatch {
  readonly polling: () => boolean;
  close(): void;
}

type Seen = { mtimeMs: number; size: number } | undefined;
const statOf = (file: string): Seen => {
  try {
    const stats = fs.statSync(file);
    return { mtimeMs: stats.mtimeMs, size: stats.size };
  } catch {
    return undefined;
  }
};
const differs = (a: Seen, b: Seen): boolean => a?.mtimeMs !== b?.mtimeMs || a?.size !== b?.size;

export function watchFile(file: string, options: FileWatchOptions): FileWatch {
  let polling = false;
  let closeCurrent: () => void = () => undefined;

  const startPolling = (): void => {
    polling = true;
    let last = statOf(file);
    const timer = setInterval(() => {
      const now = statOf(file);
      if (differs(now, last)) {
        last = now;
        options.onChange();
      }
    }, POLL_MS);
    closeCurrent = () => clearInterval(timer);
  };

  const switchToPolling = (reason: string): void => {
    if (polling) return;
    closeCurrent();
    options.onSwitchToPolling?.(reason);
    startPolling();
  };

  if (options.poll) {
    startPolling();
  } else {
    const watchDirectory =
      options.watchDirectory ?? ((dir, listener) => fs.watch(dir, (_event, name) => listener(name === null ? null : String(name))));
    try {
      let eventSinceProbe = false;
      let unreported = false;
      let lastProbe = statOf(file);
      // Editors often save by writing a new file and renaming it over the old one: watch the folder.
      const watcher = watchDirectory(path.dirname(file), (name) => {
        if (name !== null && name !== path.basename(file)) return;
        eventSinceProbe = true;
        options.onChange();
      });
      watcher.on?.('error', () => switchToPolling('file events stopped working'));
      const probe = setInterval(() => {
        const now = statOf(file);
        const changed = differs(now, lastProbe);
        lastProbe = now;
        if (eventSinceProbe) {
          eventSinceProbe = false;
          unreported = false;
        } else if (unreported) {
          // A change seen a whole probe ago still has no event: events do not work here.
          options.onChange();
          return switchToPolling('a save was not reported by file events');
        } else if (changed) {
          unreported = true;
        }
      }, PROBE_MS);
      closeCurrent = () => {
        clearInterval(probe);
        watcher.close();
      };
    } catch {
      switchToPolling('file events are not available here');
    }
  }
  return { polling: () => polling, close: () => closeCurrent() };
}
