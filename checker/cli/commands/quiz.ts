import fs from 'node:fs';
import path from 'node:path';
import { allExercises, manifest } from '../../manifest/index.ts';
import { updateProgress, readProgress } from '../../core/progress/store.ts';
import {
  isIsoDate, isSelfRating, loadQuiz, localDay, outcomeFor, patternIdsOf, recordAnswer, responseProblem,
  isPending, stageOf, type Outcome, type Quiz, type QuizItem, type Response, type Schedule, type SelfRating,
} from '../../core/quiz/index.ts';
import { userPath } from '../user-path.ts';
import { predictionsFor } from '../../core/workflow.ts';
import { EXIT, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.ts';
import { renderItemHeader, renderModelAnswer, renderOutcome, renderPendingList, renderSchedule } from '../render/quiz.ts';
import { palette } from '../render/style.ts';

/**
 * `quiz`: asks a module's questions. Interactive in a terminal (inquirer); otherwise
 * `--answers FILE.json` answers them and nothing waits for input. Every answer is saved on its
 * own, so Ctrl-C keeps what was answered.
 */

export interface AskEntry {
  readonly item: QuizItem;
  readonly stage: string;
}

interface AnswerSpec {
  readonly response: Response;
  readonly rating?: SelfRating;
}

export interface AnswerReport {
  readonly id: string;
  readonly kind: QuizItem['kind'];
  readonly response: Response;
  readonly outcome?: Outcome;
  readonly ticked?: boolean;
  readonly schedule?: Schedule;
}

export function todayFrom(args: ParsedArgs): string {
  const flag = args.flags.today;
  if (typeof flag === 'string') {
    if (!isIsoDate(flag)) throw new UsageError(`--today wants a date like 2025-03-01, got "${flag}"`);
    return flag;
  }
  return localDay(new Date());
}

export function requireQuiz(root: string, moduleId: string): Quiz {
  if (!manifest.modules.some((m) => m.id === moduleId)) {
    throw new UsageError(`no module "${moduleId}"; modules: ${manifest.modules.map((m) => m.id).join(', ')}`);
  }
  const quiz = loadQuiz(root, moduleId);
  if (!quiz) throw new UsageError(`module "${moduleId}" has no quiz`);
  return quiz;
}

/** Reads and checks an answers file; every problem is reported at once, before anything is saved. */
export function readAnswersFile(file: string, items: ReadonlyMap<string, QuizItem>): Map<string, AnswerSpec> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`could not read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${file} should hold a JSON object: item id -> answer`);
  const specs = new Map<string, AnswerSpec>();
  const problems: string[] = [];
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const item = items.get(id);
    if (!item) {
      problems.push(`${id}: no such item here`);
      continue;
    }
    const spec = toSpec(item, value);
    if (typeof spec === 'string') problems.push(`${id}: ${spec}`);
    else specs.set(id, spec);
  }
  if (problems.length > 0) throw new UsageError(`${file} has problems; nothing was saved:\n  ${problems.join('\n  ')}`);
  return specs;
}

function toSpec(item: QuizItem, value: unknown): AnswerSpec | string {
  if (item.kind === 'check') {
    if (typeof value === 'boolean') return { response: value ? 'yes' : 'no' };
    if (value === 'yes' || value === 'no') return { response: value };
    return 'tick with true or false';
  }
  let response: unknown = value;
  let rating: unknown;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    response = (value as Record<string, unknown>).answer ?? (value as Record<string, unknown>).rating;
    rating = (value as Record<string, unknown>).rating;
  }
  const isResponse = typeof response === 'string' || (Array.isArray(response) && response.every((r) => typeof r === 'string'));
  if (!isResponse) return 'give a string, a list of strings, or {"answer": ..., "rating": ...}';
  const problem = responseProblem(item, response as Response);
  if (problem) return problem;
  if (item.kind === 'free' && !isSelfRating(rating)) return 'free answers need "rating": "missed" | "partly" | "got-it" (read the model answer first: npm run exercise -- journal)';
  return { response: response as Response, ...(isSelfRating(rating) ? { rating } : {}) };
}

/** Saves one answer (its own locked write) and returns what happened. */
export async function saveAnswer(root: string, item: QuizItem, spec: AnswerSpec, today: string, prediction = false): Promise<AnswerReport> {
  const outcome = item.kind === 'check' ? undefined : outcomeFor(item, spec.response, spec.rating, prediction);
  let schedule: Schedule | undefined;
  await updateProgress(root, (progress) => {
    recordAnswer(progress, item, spec.response, outcome, new Date().toISOString(), today, { prediction });
    if (item.kind !== 'check' && !prediction) schedule = { box: progress.quiz[item.id]!.box, dueOn: progress.quiz[item.id]!.dueOn };
  });
  return {
    id: item.id,
    kind: item.kind,
    response: spec.response,
    ...(outcome ? { outcome } : { ticked: spec.response === 'yes' }),
    ...(schedule ? { schedule } : {}),
  };
}

// Checking that the file still passes before measuring it; a light run is enough for that.
const MEASURE_RUNS = 50;

const NOTHING_TO_PREDICT =
  'No predictions left to make: a prediction is asked only until its pattern first passes. For a pattern that already passes, plain `quiz` asks the same question to check against what your code did (`quiz --item <id>` asks one by id).';

// Telling a prediction right or wrong at once would spoil the point of predicting.
const PREDICTION_SAVED = 'Prediction saved. Once the pattern passes, `quiz` asks it again so you can check it against what your code did.';

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

/**
 * Shows a measurement beside a verified prediction: the message counts the grading worker measures
 * on the learner's file, which it does only when the file passes.
 */
async function showMeasurement(io: CliIO, quiz: Quiz, item: QuizItem): Promise<void> {
  const entry = allExercises(manifest).find((e) => e.id === item.measure);
  if (!entry) return;
  try {
    const { gradeExercise } = await import('../../engine/grade-exercise.ts');
    const { classifyGrowth } = await import('../../engine/complexity.ts');
    const { renderComplexity } = await import('../render/complexity.ts');
    const result = await gradeExercise({ root: io.root, entry, measure: true, runs: MEASURE_RUNS });
    const measured = result.complexity ?? { problem: `your ${entry.title} does not pass right now, so its message counts are not shown` };
    // The prediction this verify step is about: the last answer given before the pattern passed.
    const prediction = predictionsFor(quiz, readProgress(io.root), entry.id, patternIdsOf(manifest)).filter((p) => p.question === item.title);
    io.out(renderComplexity(measured, 'problem' in measured ? undefined : classifyGrowth(measured.points), io.color, prediction, 'You recorded no prediction for this question before the pattern passed.'));
  } catch {
    // measurement is a bonus: without it the model answer still stands
  }
}

/**
 * A self-rating typed as one letter: no choice is preselected, so a stray Enter records nothing
 * (it asks again) instead of a miss.
 */
async function askRating(io: CliIO, message: string, words: Record<SelfRating, string>): Promise<SelfRating> {
  const { input } = await import('@inquirer/prompts');
  const keys: Record<string, SelfRating> = { m: 'missed', p: 'partly', g: 'got-it' };
  const answer = await input(
    {
      message: `${message}: m) ${words.missed}  p) ${words.partly}  g) ${words['got-it']}`,
      validate: (v) => (keys[v.trim().toLowerCase()[0] ?? ''] ? true : 'type m, p or g'),
    },
    { signal: io.signal },
  );
  return keys[answer.trim().toLowerCase()[0]!]!;
}

/** Asks one item; undefined when the learner skips it (an empty written answer). */
async function askOne(io: CliIO, entry: AskEntry): Promise<AnswerSpec | undefined> {
  const { select, checkbox, input, confirm } = await import('@inquirer/prompts');
  const ctx = { signal: io.signal };
  const { item } = entry;
  const nonEmpty = (v: string): true | string => responseProblem(item, v) ?? true;
  switch (item.kind) {
    case 'single':
      return { response: await select({ message: 'Your answer', choices: item.options.map((o) => ({ name: `${o.key}) ${o.text}`, value: o.key })) }, ctx) };
    case 'multiple':
      return {
        response: await checkbox({
          message: 'Your answer (space to pick, enter to confirm)',
          choices: item.options.map((o) => ({ name: `${o.key}) ${o.text}`, value: o.key })),
          validate: (picked) => (picked.length > 0 ? true : 'pick at least one'),
        }, ctx),
      };
    case 'short':
    case 'numeric':
      return { response: await input({ message: 'Your answer', validate: nonEmpty }, ctx) };
    case 'free': {
      const response = (await input({ message: 'Your answer (one paragraph; leave empty to skip)' }, ctx)).trim();
      if (response === '') return undefined;
      // A prediction is written blind: the model answer waits until the pattern passes.
      if (entry.stage === 'predict') return { response };
      io.out(renderModelAnswer(item, io.color));
      return { response, rating: await askRating(io, 'Compared with the model answer, you', { missed: 'missed it', partly: 'partly had it', 'got-it': 'got it' }) };
    }
    case 'rate':
      return { response: await askRating(io, 'Honestly', { missed: 'not yet', partly: 'partly', 'got-it': 'yes' }) };
    case 'check':
      return { response: (await confirm({ message: 'True for you?', default: false }, ctx)) ? 'yes' : 'no' };
  }
}

/**
 * Runs a session over `entries`: interactive, from an answers file, or (no terminal) a list of
 * what would be asked. Shared by `quiz` and `review`.
 */
export async function runSession(io: CliIO, args: ParsedArgs, quiz: Quiz, entries: readonly AskEntry[], what: string): Promise<number> {
  const today = todayFrom(args);
  const json = args.flags.json === true;
  const c = palette(io.color);
  const answersFile = typeof args.flags.answers === 'string' ? userPath(io, args.flags.answers) : undefined;

  if (answersFile) {
    const allowed = new Map(entries.map((e) => [e.item.id, e.item]));
    const predicting = new Set(entries.filter((e) => e.stage === 'predict').map((e) => e.item.id));
    const known = new Map(quiz.items.map((i) => [i.id, i]));
    const specs = readAnswersFile(answersFile, known);
    const reports: AnswerReport[] = [];
    const skipped: string[] = [];
    for (const [id, spec] of specs) {
      const item = allowed.get(id);
      if (!item) {
        skipped.push(id);
        continue;
      }
      reports.push(await saveAnswer(io.root, item, spec, today, predicting.has(id)));
    }
    if (json) io.out(JSON.stringify({ module: quiz.moduleId, today, answered: reports, skipped }, null, 2));
    else {
      for (const r of reports) {
        const item = known.get(r.id)!;
        io.out(`${c.bold(item.title)} ${c.dim(`[${item.id}]`)}`);
        io.out(
          item.kind === 'check'
            ? r.ticked ? 'Ticked.' : 'Left unticked.'
            : predicting.has(r.id) ? PREDICTION_SAVED : renderOutcome(item, r.response, r.outcome, io.color),
        );
        const due = renderSchedule(r.schedule, io.color);
        if (due) io.out(due);
        io.out('');
      }
      if (skipped.length > 0) io.out(c.dim(`Not among the ${what}, left alone: ${skipped.join(', ')}`));
      io.out(`Saved ${reports.length} answer${reports.length === 1 ? '' : 's'}.`);
    }
    return EXIT.ok;
  }

  if (!io.interactive || json) {
    if (json) io.out(JSON.stringify({ module: quiz.moduleId, today, pending: entries.map((e) => ({ id: e.item.id, kind: e.item.kind, stage: e.stage, title: e.item.title, prompt: e.item.prompt, options: e.item.options.map((o) => ({ key: o.key, text: o.text })) })) }, null, 2));
    else io.out(renderPendingList(entries, what, io.color));
    return EXIT.ok;
  }

  if (entries.length === 0) {
    io.out(`No ${what}.`);
    return EXIT.ok;
  }
  let saved = 0;
  try {
    for (const [index, entry] of entries.entries()) {
      io.out('');
      io.out(renderItemHeader(entry.item, `${index + 1}/${entries.length}`, entry.stage, io.color));
      const spec = await askOne(io, entry);
      if (!spec) {
        io.out(c.dim('Skipped; it stays in the list for next time.'));
        continue;
      }
      const predicting = entry.stage === 'predict';
      const report = await saveAnswer(io.root, entry.item, spec, today, predicting);
      saved++;
      if (predicting) io.out(PREDICTION_SAVED);
      else if (entry.item.kind !== 'check') io.out(renderOutcome(entry.item, report.response, report.outcome, io.color));
      if (entry.stage === 'verify' && entry.item.measure) await showMeasurement(io, quiz, entry.item);
      const due = renderSchedule(report.schedule, io.color);
      if (due) io.out(due);
    }
  } catch (error) {
    if (!isPromptExit(error)) throw error;
    io.err(`\nStopped. ${saved} answer${saved === 1 ? ' was' : 's were'} saved; run the command again to carry on.`);
    return EXIT.interrupted;
  }
  io.out(`\nDone: ${saved} answer${saved === 1 ? '' : 's'} saved. \`npm run exercise -- journal\` shows them all.`);
  return EXIT.ok;
}

/** The items a plain `quiz` asks: what is pending in its current stage, filtered by flags. */
export function selectItems(quiz: Quiz, args: ParsedArgs, progress: ReturnType<typeof readProgress>): AskEntry[] {
  const patternIds = patternIdsOf(manifest);
  const section = typeof args.flags.section === 'string' ? args.flags.section : undefined;
  const only = typeof args.flags.item === 'string' ? args.flags.item.split(',').map((s) => s.trim()) : undefined;
  if (section && !quiz.sections.some((s) => s.id === section))
    throw new UsageError(`no section "${section}"; sections: ${quiz.sections.map((s) => s.id).join(', ')}`);
  for (const id of only ?? []) if (!quiz.items.some((i) => i.id === id)) throw new UsageError(`no item "${id}" in ${quiz.source}`);
  return quiz.items
    .filter((item) => (!section || item.section === section) && (!only || only.includes(item.id)))
    .filter((item) => only || args.flags.all === true || isPending(item, progress, patternIds))
    .filter((item) => !(args.flags.before === true) || stageOf(item, progress, patternIds) === 'predict')
    .map((item) => ({ item, stage: item.kind === 'check' ? 'check' : stageOf(item, progress, patternIds) }));
}

export const command: Command = {
  name: 'quiz',
  summary: 'Answer the module questions: predictions before implementing, explanations after, certification',
  usage: 'quiz [module] [--section ID] [--item ID[,ID]] [--before] [--all] [--answers FILE.json] [--today YYYY-MM-DD] [--json]',
  flags: { section: 'string', item: 'string', before: 'boolean', all: 'boolean', answers: 'string', today: 'string', json: 'boolean' },
  async run(io, args) {
    const quiz = requireQuiz(io.root, args.positionals[0] ?? 'consensus');
    // An answers file may answer any item again; interactively only what is pending is asked.
    const selection = typeof args.flags.answers === 'string' ? { ...args, flags: { ...args.flags, all: true } } : args;
    const entries = selectItems(quiz, selection, readProgress(io.root));
    if (args.flags.before === true && entries.length === 0 && typeof args.flags.answers !== 'string' && args.flags.json !== true) {
      // A prediction is only asked until its pattern first passes; say where the question went.
      io.out(NOTHING_TO_PREDICT);
      return EXIT.ok;
    }
    return runSession(io, args, quiz, entries, args.flags.before === true ? 'predictions to make before implementing' : 'questions waiting for you');
  },
};

