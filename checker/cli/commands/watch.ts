import fs from 'node:fs';
import path from 'node:path';
import { manifest } from '../../manifest/index.ts';
import { gradeExercise } from '../../engine/grade-exercise.ts';
import { discardWarmWorker, warmWorker, type WarmWorker } from '../../engine/grade.ts';
import { exercisePath, graderPath } from '../../engine/targets.ts';
import { isPass } from '../../engine/results.ts';
import { readProgress, updateProgress } from '../../core/progress/store.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { nextUnfinished, recordRun, replayCommand } from '../../core/workflow.ts';
import { countFlag, seedFlag } from '../args.ts';
import { EXIT, WorkbookError, type Command } from '../command.ts';
import { renderGradeResult } from '../render/verdict.ts';
import { palette } from '../render/style.ts';

// Editors write a file in more than one step; wait for the last one.
const DEBOUNCE_MS = 50;
const POLL_MS = 250;

/** Calls `onChange` when `file` changes: file events where they work, polling where asked or where they fail. */
function watchFile(file: string, poll: boolean, onChange: () => void): () => void {
  if (!poll) {
    try {
      // Editors often save by writing a new file and renaming it, so watch the directory.
      const watcher = fs.watch(path.dirname(file), (_event, name) => {
        if (name === null || name === path.basename(file)) onChange();
      });
      return () => watcher.close();
    } catch {
      // fall back to polling below
    }
  }
  const listener = (current: fs.Stats, previous: fs.Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) onChange();
  };
  fs.watchFile(file, { interval: POLL_MS }, listener);
  return () => fs.unwatchFile(file, listener);
}

export const command: Command = {
  name: 'watch',
  summary: 'Re-grade an exercise every time you save it (default: your next unfinished one)',
  usage: 'watch [id] [--poll] [--seed N] [--max-runs N]',
  flags: { poll: 'boolean', seed: 'string', 'max-runs': 'string' },
  async run(io, args) {
    const query = args.positionals[0];
    const entry = query ? resolveExercise(manifest, query) : nextUnfinished(manifest, readProgress(io.root));
    if (!entry) throw new WorkbookError('Every exercise already passes; name one to watch it.', EXIT.usage);
    const seed = seedFlag(args);
    const maxRuns = countFlag(args, 'max-runs') ?? Infinity;
    const poll = args.flags.poll === true || io.env.WORKBOOK_WATCH_POLL === '1';
    const file = exercisePath(io.root, entry);
    const c = palette(io.color);

    // A worker started and loaded ahead of the next save, so a re-grade only runs the checks.
    let warm: WarmWorker | undefined;
    let runs = 0;
    let grading = false;
    let again = false;
    let timer: NodeJS.Timeout | undefined;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));

    const grade = async (): Promise<void> => {
      if (grading) {
        again = true;
        return;
      }
      grading = true;
      do {
        again = false;
        const result = await gradeExercise({ root: io.root, entry, seed, warm });
        // Ctrl-C came while grading: this verdict is not shown or saved; run() has already returned.
        if (io.signal.aborted) return;
        warm = runs + 1 < maxRuns ? warmWorker(io.root, graderPath(io.root, entry)) : undefined;
        if (io.interactive && io.env.TERM !== 'dumb') io.out('\x1Bc');
        io.out(renderGradeResult(result, { color: io.color, replay: replayCommand(entry.id, result.seed) }));
        // A progress file that cannot be saved is reported, and watching goes on.
        await updateProgress(io.root, (progress) => recordRun(progress, result, new Date())).catch((error: unknown) =>
          io.err(error instanceof WorkbookError ? error.message : `Could not save progress: ${String(error)}`),
        );
        io.out(c.dim(`\n${isPass(result) ? 'Passing.' : 'Not passing yet.'} Watching ${path.relative(io.root, file)}${poll ? ' (polling)' : ''}; Ctrl-C to stop.`));
        runs += 1;
      } while (again && runs < maxRuns);
      grading = false;
      if (runs >= maxRuns) stop();
    };

    // Grading runs from a file event, where nobody awaits it: a failure of the workbook itself is
    // reported and ends the watch instead of escaping as an unhandled rejection.
    let failure: unknown;
    const gradeFromEvent = (): void => {
      grade().catch((error: unknown) => {
        failure = error;
        stop();
      });
    };
    const unwatch = watchFile(file, poll, () => {
      clearTimeout(timer);
      timer = setTimeout(gradeFromEvent, DEBOUNCE_MS);
    });
    io.signal.addEventListener('abort', stop, { once: true });
    // Not awaited: Ctrl-C during the first verdict must stop the watch as promptly as later ones.
    gradeFromEvent();
    await stopped;
    // Nothing of ours may keep the process alive once we return: no timer, watcher or idle worker.
    // A grade still in flight is abandoned; main.ts exits without waiting for it after Ctrl-C.
    clearTimeout(timer);
    unwatch();
    if (warm) discardWarmWorker(warm);
    // After Ctrl-C a failure is only the interrupted work (esbuild's process got the Ctrl-C too).
    if (failure && !io.signal.aborted) throw failure;
    io.out(c.dim('Stopped watching.'));
    return io.signal.aborted ? EXIT.interrupted : EXIT.ok;
  },
};
