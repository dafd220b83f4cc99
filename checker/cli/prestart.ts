import path from 'node:path';
import { startCompiler } from '../engine/compile.ts';
import { prestartWorker } from '../engine/grade.ts';
import { resolveExercise } from '../core/resolve.ts';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';

/**
 * Starts the grading worker for a command line that will grade, before the command itself loads:
 * the worker's start (a thread, SES lockdown, the engine) then overlaps with loading the rest of
 * the CLI. The launcher runs this ahead of the CLI's other modules; main.ts calls it too (when
 * run from sources), where it is a no-op if the worker is already started.
 */

/** Commands whose first act is to grade a file. */
const GRADING_COMMANDS = new Set(['run', 'watch', 'challenge', 'solution']);

/**
 * The grader the command will use, when its first argument names one exercise: the worker then
 * loads that grader too, while the command loads and compiles the file.
 */
function namedGrader(argv: readonly string[]): string | undefined {
  const query = argv[1];
  if (query === undefined || query.startsWith('-')) return undefined;
  try {
    return path.join(WORKBOOK_ROOT, resolveExercise(manifest, query).grader);
  } catch {
    return undefined; // the command itself says what is wrong with the id
  }
}

let started = false;

export function prestartGrading(argv: readonly string[]): void {
  if (started || !GRADING_COMMANDS.has(argv[0] ?? '')) return;
  started = true;
  prestartWorker(WORKBOOK_ROOT, namedGrader(argv));
  startCompiler();
}
