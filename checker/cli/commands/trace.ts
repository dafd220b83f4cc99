import fs from 'node:fs';
import path from 'node:path';
import { gradeExercise } from '../../engine/grade-exercise.ts';
import type { RequirementResult } from '../../engine/results.ts';
import { manifest } from '../../manifest/index.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { replayCommand } from '../../core/workflow.ts';
import { renderTraceHtml } from '../../sim/trace-html.ts';
import { normaliseTrace } from '../../sim/trace-text.ts';
import { intFlag, requirePositional } from '../args.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

/**
 * `trace <id>`: grades the file like `run`, takes the first failing requirement that ran on the
 * simulator, and writes that run as one self-contained HTML page (checker/sim/trace-html.ts) under
 * .workbook/traces/. Prints the page's absolute path, nothing else on success, so scripts can use it.
 */

function pageDetails(r: RequirementResult, seed: number, id: string): string[] {
  const report = r.report!;
  return [
    `${r.title} [${r.kind}]`,
    '',
    ...report.steps.map((step, i) => `${i + 1}. ${step}`),
    '',
    `Expected: ${report.expected}`,
    `Actually: ${report.actual}`,
    '',
    `Seed ${seed}. Replay: ${replayCommand(id, seed)}`,
  ];
}

export const command: Command = {
  name: 'trace',
  summary: 'Draw the failing simulated run of an exercise as a zoomable HTML timeline and print its path',
  usage: 'trace <id> [--seed N] [--only REQ] [--solution]',
  flags: { seed: 'string', only: 'string', solution: 'boolean' },
  async run(io, args) {
    const entry = resolveExercise(manifest, requirePositional(args, 0, 'an exercise id', this.usage));
    const only = typeof args.flags.only === 'string' ? args.flags.only.split(',') : undefined;
    const result = await gradeExercise({ root: io.root, entry, seed: intFlag(args, 'seed'), only, target: args.flags.solution === true ? 'solution' : 'exercise' });
    if (only && !result.loadProblem && result.requirements.length === 0) {
      throw new UsageError(`--only ${only.join(',')} matches no requirement of ${entry.id}; \`run ${entry.id} --json\` lists their ids.`);
    }
    if (result.loadProblem) {
      io.err(`${entry.id}: your file did not load (${result.loadProblem.message}); \`run ${entry.id}\` shows where.`);
      return EXIT.failed;
    }
    const failed = result.requirements.find((r) => r.status === 'failed' && r.report?.trace);
    if (!failed) {
      const anyFailed = result.requirements.some((r) => r.status !== 'passed');
      io.err(anyFailed
        ? `${entry.id}: no failing requirement recorded a simulated run to draw (only simulator scenarios do); \`run ${entry.id}\` shows them.`
        : `${entry.id}: every requirement passes with seed ${result.seed}, so there is no failing run to draw.`);
      return anyFailed ? EXIT.failed : EXIT.ok;
    }
    const html = renderTraceHtml(normaliseTrace(failed.report!.trace), {
      title: `${entry.id}: ${failed.id} (seed ${result.seed})`,
      details: pageDetails(failed, result.seed, entry.id),
    });
    const file = path.resolve(io.root, '.workbook', 'traces', `${entry.id.replaceAll('/', '_')}-${failed.id}-seed-${result.seed}.html`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, html);
    io.out(file);
    return EXIT.ok;
  },
};
