import path from 'node:path';
import { allExercises, manifest } from '../../manifest/index.ts';
import type { ExerciseEntry } from '../../manifest/types.ts';
import { gradeExercise } from '../../engine/grade-exercise.ts';
import { discardWarmWorker, laneCount, warmWorker, type WarmWorker } from '../../engine/grade.ts';
import { exercisePath, graderPath } from '../../engine/targets.ts';
import { isPass } from '../../engine/results.ts';
import { readProgress, updateProgress } from '../../core/progress/store.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { nextUnfinished, recordRun, replayCommand, statusOf } from '../../core/workflow.ts';
import { countFlag, seedFlag } from '../args.ts';
import { sourceReader } from '../user-path.ts';
import { EXIT, WorkbookError, type CliIO, type Command } from '../command.ts';
import { findCommand } from '../registry.ts';
import { renderGradeResult } from '../render/verdict.ts';
import { palette } from '../render/style.ts';
import { watchFile } from '../watch/file-watcher.ts';
import { listenForKeys } from '../watch/keys.ts';

/**
 * `watch`: where a learner lives while working. It re-grades on every save, and on a terminal it
 * takes single keys: the next hint, the list, a re-run, the next exercise, quit. After a pass it
 * offers the next unfinished exercise rather than sitting on a finished one.
 */

// Editors write a file in more than one step; wait for the last one.
const DEBOUNCE_MS = 50;
const KEYS = 'h hint · l list · r re-run · n next exercise · q quit';

type Outcome = { readonly kind: 'next'; readonly entry: ExerciseEntry } | { readonly kind: 'stop'; readonly code: number };

/** The first unfinished exercise after `current` in workbook order, wrapping round; none if all pass. */
function nextAfter(root: string, current: ExerciseEntry): ExerciseEntry | undefined {
  const progress = readProgress(root);
  const all = allExercises(manifest);
  const from = all.findIndex((e) => e.id === current.id);
  const ordered = [...all.slice(from + 1), ...all.slice(0, from)];
  return ordered.find((e) => statusOf(progress, e.id) !== 'done');
}

interface WatchSettings {
  readonly seed?: number;
  readonly poll: boolean;
  /** Verdicts left before the watch ends by itself (tests). */
  runsLeft: number;
}

async function watchOne(io: CliIO, entry: ExerciseEntry, settings: WatchSettings): Promise<Outcome> {
  const file = exercisePath(io.root, entry);
  const c = palette(io.color);
  // Workers started and loaded ahead of the next save, so a re-grade only runs the checks: one
  // per grading lane (the second is let go where the machine grades with one).
  let warm: WarmWorker | undefined;
  let warmSecond: WarmWorker | undefined;
  let grading = false;
  let again = false;
  let passed = false;
  let busyWithKey = false;
  let timer: NodeJS.Timeout | undefined;
  let settle!: (outcome: Outcome) => void;
  const done = new Promise<Outcome>((resolve) => (settle = resolve));
  let failure: unknown;

  const footer = (): string => {
    const state = passed ? c.green('Passing.') : 'Not passing yet.';
    const where = `Watching ${path.relative(io.root, file)}${watcher.polling() ? ' (polling)' : ''}.`;
    const next = passed ? nextAfter(io.root, entry) : undefined;
    const offer = passed ? (next ? `\n${c.cyan(`Press n for the next exercise: ${next.title} (${next.id}).`)}` : `\n${c.green('Every exercise passes: `scorecard` shows your mastery gate.')}`) : '';
    const keys = io.input?.isTTY ? c.dim(`\nKeys: ${KEYS}`) : c.dim(' Ctrl-C to stop.');
    return `\n${state} ${c.dim(where)}${offer}${keys}`;
  };

  const grade = async (): Promise<void> => {
    if (grading) {
      again = true;
      return;
    }
    grading = true;
    do {
      again = false;
      const onProgress = io.status && ((title: string): void => io.status!(`checking: ${title}`));
      let kept: readonly WarmWorker[] = [];
      const result = await gradeExercise({ root: io.root, entry, seed: settings.seed, warm, warmSecond, onProgress, keepWorkers: (workers) => (kept = workers) });
      io.status?.('');
      // Ctrl-C came while grading: this verdict is not shown or saved.
      if (io.signal.aborted) {
        for (const idle of kept) discardWarmWorker(idle);
        return;
      }
      settings.runsLeft -= 1;
      // The workers that just graded, their code compiled and optimised, grade the next save;
      // fresh ones, started now, stand in for any that did not finish cleanly.
      const wanted = settings.runsLeft > 0 ? laneCount(Infinity) : 0;
      const next = [...kept.slice(0, wanted)];
      for (const extra of kept.slice(wanted)) discardWarmWorker(extra);
      while (next.length < wanted) next.push(warmWorker(io.root, graderPath(io.root, entry)));
      [warm, warmSecond] = next;
      if (io.interactive && io.env.TERM !== 'dumb') io.out('\x1Bc');
      io.out(renderGradeResult(result, { color: io.color, replay: replayCommand(entry.id, result.seed), readSource: sourceReader(io.root) }));
      passed = isPass(result);
      // A progress file that cannot be saved is reported, and watching goes on.
      await updateProgress(io.root, (progress) => recordRun(progress, result, new Date())).catch((error: unknown) =>
        io.err(error instanceof WorkbookError ? error.message : `Could not save progress: ${String(error)}`),
      );
      io.out(footer());
    } while (again && settings.runsLeft > 0);
    grading = false;
    if (settings.runsLeft <= 0) settle({ kind: 'stop', code: EXIT.ok });
  };

  // Grading runs from a file event or a key, where nobody awaits it: a failure of the workbook
  // itself is reported and ends the watch instead of escaping as an unhandled rejection.
  const gradeSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      grade().catch((error: unknown) => {
        failure = error;
        settle({ kind: 'stop', code: EXIT.ok });
      });
    }, DEBOUNCE_MS);
  };
  const watcher = watchFile(file, {
    poll: settings.poll,
    onChange: gradeSoon,
    onSwitchToPolling: (reason) => io.err(c.yellow(`File events do not work here (${reason}): switched to polling every 250 ms.`)),
  });

  const handOver = async (name: string, id?: string): Promise<void> => {
    busyWithKey = true;
    const command = await findCommand(name);
    await command?.run(io, { positionals: id ? [id] : [], flags: {} }).catch((error: unknown) => io.err(error instanceof Error ? error.message : String(error)));
    io.out(footer());
    busyWithKey = false;
  };
  const stopKeys = listenForKeys(io.input ?? process.stdin, (key) => {
    if (busyWithKey) return;
    if (key === 'q') settle({ kind: 'stop', code: EXIT.ok });
    else if (key === 'r') gradeSoon();
    else if (key === 'h') void handOver('hint', entry.id);
    else if (key === 'l') void handOver('list');
    else if (key === 'n') {
      const next = nextAfter(io.root, entry);
      if (next) settle({ kind: 'next', entry: next });
      else io.out(c.green('Every other exercise already passes.'));
    }
  });
  const onAbort = (): void => settle({ kind: 'stop', code: EXIT.interrupted });
  io.signal.addEventListener('abort', onAbort, { once: true });

  gradeSoon();
  const outcome = await done;
  // Nothing of ours may keep the process alive once we return: no timer, watcher, key reader or idle worker.
  clearTimeout(timer);
  watcher.close();
  stopKeys();
  io.signal.removeEventListener('abort', onAbort);
  for (const idle of [warm, warmSecond]) if (idle) discardWarmWorker(idle);
  // After Ctrl-C a failure is only the interrupted work (esbuild's process got the Ctrl-C too).
  if (failure && !io.signal.aborted) throw failure;
  return outcome;
}

export const command: Command = {
  name: 'watch',
  summary: 'Re-grade an exercise on every save, with keys for hints, the list and the next exercise (default: your next unfinished one)',
  usage: 'watch [id] [--poll] [--seed N] [--max-runs N]',
  flags: { poll: 'boolean', seed: 'string', 'max-runs': 'string' },
  async run(io, args) {
    const query = args.positionals[0];
    let entry = query ? resolveExercise(manifest, query) : nextUnfinished(manifest, readProgress(io.root));
    if (!entry) throw new WorkbookError('Every exercise already passes; name one to watch it.', EXIT.usage);
    const settings: WatchSettings = {
      seed: seedFlag(args),
      poll: args.flags.poll === true || io.env.WORKBOOK_WATCH_POLL === '1',
      runsLeft: countFlag(args, 'max-runs') ?? Infinity,
    };
    for (;;) {
      const outcome = await watchOne(io, entry, settings);
      if (outcome.kind === 'next') {
        entry = outcome.entry;
        io.out(palette(io.color).bold(`\nNext: ${entry.title} (${entry.id}). Edit exercises/${entry.file}.`));
        continue;
      }
      io.out(palette(io.color).dim('Stopped watching.'));
      return io.signal.aborted ? EXIT.interrupted : outcome.code;
    }
  },
};
