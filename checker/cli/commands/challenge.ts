import fs from 'node:fs';
import path from 'node:path';
import { input } from '@inquirer/prompts';
import { challengeExercises, manifest } from '../../manifest/index.ts';
import type { ExerciseEntry } from '../../manifest/types.ts';
import { gradeExercise } from '../../engine/grade-exercise.ts';
import { isPass } from '../../engine/results.ts';
import { exercisePath } from '../../engine/targets.ts';
import { extractQuestions, readSection } from '../../core/guide.ts';
import { challengeProgress } from '../../core/progress/schema.ts';
import { updateProgress } from '../../core/progress/store.ts';
import { resolveExercise, UnknownExerciseError } from '../../core/resolve.ts';
import { recordRun } from '../../core/workflow.ts';
import { requirePositional, seedFlag } from '../args.ts';
import { sourceReader, userPath } from '../user-path.ts';
import { EXIT, UsageError, type CliIO, type Command } from '../command.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { palette } from '../render/style.ts';
import { describeProblem, renderGradeResult } from '../render/verdict.ts';
import { runDemo } from '../../engine/demo.ts';

/**
 * `challenge 3` and `challenge incident` name the consensus module's challenges (the chapter's
 * numbering); `challenge <module>/<n>` numbers another module's; any challenge id or unique prefix
 * works too.
 */
export function resolveChallenge(query: string): ExerciseEntry {
  const [moduleId, numberText] = query.includes('/') ? query.split('/', 2) as [string, string] : ['consensus', query];
  const number = Number(numberText);
  if (numberText !== '' && Number.isInteger(number)) {
    const challenges = challengeExercises(manifest, moduleId).filter((e) => e.kind === 'challenge');
    if (challenges.length === 0) throw new UsageError(`Module "${moduleId}" has no debugging challenges.`);
    const entry = challenges[number - 1];
    if (!entry) throw new UsageError(`${moduleId === 'consensus' ? 'There are' : `Module "${moduleId}" has`} challenges 1 to ${challenges.length}${moduleId === 'consensus' ? ', and `incident`' : ''}.`);
    return entry;
  }
  const all = challengeExercises(manifest);
  const entry = resolveExercise(manifest, query);
  if (!all.includes(entry)) throw new UnknownExerciseError(query, all.map((e) => e.id));
  return entry;
}

async function showScenario(io: CliIO, entry: ExerciseEntry): Promise<void> {
  if (!entry.demo) return;
  const problem = await runDemo({
    root: io.root,
    demoPath: path.join(io.root, entry.demo),
    targetPath: exercisePath(io.root, entry),
    out: (line) => io.out(`  ${line}`),
  });
  if (problem) io.out(`  (the scenario stopped: ${describeProblem(problem)})`);
}

function readAnswersFile(file: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object of question id to answer');
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch (error) {
    throw new UsageError(`--answers ${file}: ${(error as Error).message}`);
  }
}

export const command: Command = {
  name: 'challenge',
  summary: 'A debugging challenge (1-6, or incident): the brief, the bug happening, your verdict, then the model answer',
  usage: 'challenge <n|incident> [--reveal] [--answers FILE.json] [--seed N] [--quiet]',
  flags: { reveal: 'boolean', answers: 'string', seed: 'string', quiet: 'boolean' },
  async run(io, args) {
    const entry = resolveChallenge(requirePositional(args, 0, 'a challenge number (1-6) or "incident"', this.usage));
    const seed = seedFlag(args);
    const c = palette(io.color);
    const brief = entry.brief ? readSection(io.root, entry.brief) : '';
    if (!args.flags.quiet) {
      io.out(renderMarkdown(brief, io.color));
      // Without a demo program the verdict below is the scenario (simulator challenges draw it there).
      if (entry.demo) {
        io.out(`\n${c.bold('The scenario, run against your file')} ${c.dim(`(exercises/${entry.file})`)}:`);
        await showScenario(io, entry);
      }
      io.out('');
    }
    const result = await gradeExercise({ root: io.root, entry, seed });
    const fixed = isPass(result);
    io.out(renderGradeResult(result, { color: io.color, replay: `npm run exercise -- challenge ${args.positionals[0]} --seed ${result.seed}`, showPassing: fixed, readSource: sourceReader(io.root) }));

    const given = typeof args.flags.answers === 'string' ? readAnswersFile(userPath(io, args.flags.answers)) : {};
    const reveal = fixed || args.flags.reveal === true;
    const saved = await updateProgress(io.root, (progress) => {
      recordRun(progress, result, new Date());
      const record = challengeProgress(progress, entry.id);
      Object.assign(record.answers, given);
      if (fixed) record.solvedAt ??= new Date().toISOString();
      if (reveal) record.answerRevealed = true;
    });

    // The learner's own answers to the brief's questions, asked once the run is in.
    const questions = extractQuestions(brief);
    const answered = challengeProgress(saved, entry.id).answers;
    if (io.interactive && questions.some((q) => !answered[q.id])) {
      io.out(`\n${c.bold('Your debugging notes')} ${c.dim('(saved as you go; leave empty to skip)')}`);
      for (const question of questions.filter((q) => !answered[q.id])) {
        const answer = await input({ message: `${question.id}. ${question.text}` }, { signal: io.signal }).catch(() => undefined);
        if (answer === undefined) return EXIT.interrupted;
        if (answer.trim()) await updateProgress(io.root, (p) => void (challengeProgress(p, entry.id).answers[question.id] = answer.trim()));
      }
    }

    if (reveal && entry.answer) {
      io.out(`\n${c.bold(fixed ? 'Fixed. The model answer:' : 'The model answer (revealed on request):')}\n`);
      io.out(renderMarkdown(readSection(io.root, entry.answer), io.color));
    } else if (!fixed) {
      io.out(c.dim(`\nFix exercises/${entry.file} and run this again; \`--reveal\` shows the model answer, \`hint ${entry.id}\` a hint.`));
    }
    return fixed ? EXIT.ok : EXIT.failed;
  },
};
