import { select } from '@inquirer/prompts';
import { allExercises, challengeExercises, manifest, moduleOf } from '../../manifest/index.ts';
import type { ExerciseEntry } from '../../manifest/types.ts';
import { readProgress } from '../../core/progress/store.ts';
import type { Progress } from '../../core/progress/schema.ts';
import { nextUnfinished, predictionsToMake, statusLabel, statusOf } from '../../core/workflow.ts';
import { dueCount, loadQuiz, localDay, patternIdsOf } from '../../core/quiz/index.ts';
import { keepWorkersBetweenVerdicts } from '../../engine/grade.ts';
import { EXIT, type CliIO, type Command, type ParsedArgs } from '../command.ts';
import { wrapText } from '../render/markdown.ts';
import { palette } from '../render/style.ts';

/** Commands the menu can hand over to, looked up by name so the menu never imports them all. */
export type CommandLookup = (name: string) => Promise<Command | undefined>;

function args(positionals: string[] = [], flags: ParsedArgs['flags'] = {}): ParsedArgs {
  return { positionals, flags };
}

/** How many of some exercises pass, as "N/M passing". */
function passingOf(progress: Progress, entries: readonly ExerciseEntry[]): string {
  return `${entries.filter((e) => statusOf(progress, e.id) === 'done').length}/${entries.length} passing`;
}

function summary(io: CliIO): string {
  const c = palette(io.color);
  const progress = readProgress(io.root);
  const lines: string[] = [c.bold('Distributed systems workbook')];
  for (const module of manifest.modules) {
    lines.push(`  ${module.title}: ${passingOf(progress, module.exercises)}`);
  }
  const next = nextUnfinished(manifest, progress);
  lines.push('');
  lines.push(
    next
      ? [
          `Next: ${next.title}`,
          `  read the guide:  npm run exercise -- guide ${next.id}`,
          `  edit:            exercises/${next.file}`,
          `  get a verdict:   npm run exercise -- run ${next.id}`,
          `  or on each save: npm run exercise -- watch ${next.id}`,
        ].join('\n')
      : 'Every exercise passes: `npm run exercise -- scorecard` shows your mastery gate.',
  );
  const due = dueCount(progress, localDay(new Date()));
  if (due > 0) lines.push(`\n${due} quiz item${due === 1 ? ' is' : 's are'} due for review: npm run exercise -- review`);
  lines.push(c.dim('\nAll commands: npm run exercise -- help'));
  return lines.join('\n');
}

/** Predictions still to make for a pattern the learner has not started. */
function predictionsPending(io: CliIO, progress: Progress, entry: ExerciseEntry): number {
  if (entry.kind !== 'pattern' || statusOf(progress, entry.id) !== 'new') return 0;
  return predictionsToMake(loadQuiz(io.root, moduleOf(entry.id)), progress, entry.id, patternIdsOf(manifest));
}

/** What to do first on an exercise never run: a few lines, not the whole guide and a wall of failures. */
function firstSteps(io: CliIO, entry: ExerciseEntry, predictions: number): string {
  const c = palette(io.color);
  return [
    c.bold(entry.title),
    wrapText(entry.summary),
    '',
    c.bold('What to do first'),
    ...(predictions > 0 ? [`  0. Make your ${predictions} prediction${predictions === 1 ? '' : 's'} about it: guessing first is the point.`] : []),
    `  1. Read its guide: npm run exercise -- guide ${entry.id}`,
    `  2. Open exercises/${entry.file} and fill in each TODO, in order.`,
    `  3. Watch it: every save re-grades it; h shows a hint, n moves on once it passes.`,
  ].join('\n');
}

export function makeMenu(lookup: CommandLookup): Command {
  return {
    name: 'menu',
    summary: 'The interactive menu (what `npm run exercise` opens); without a terminal, your progress and next step',
    usage: 'menu',
    async run(io) {
      if (!io.interactive) {
        io.out(summary(io));
        return EXIT.ok;
      }
      const hand = async (name: string, a: ParsedArgs = args()): Promise<void> => {
        const command = await lookup(name);
        // Ctrl-C inside a command the menu started (a quiz prompt, the notes of a challenge) leaves
        // the menu too, as it does at the menu's own prompts, rather than dropping back into it.
        if (command && (await command.run(io, a)) === EXIT.interrupted) throw new MenuInterrupted();
      };
      // Every prompt shows all its entries: nothing hidden below the fold. Ctrl-C at any prompt
      // leaves the menu (everything is saved as it happens).
      const ask = <T>(message: string, choices: { name: string; value: T }[]): Promise<T> =>
        select({ message, choices, pageSize: choices.length, loop: false }, { signal: io.signal }).catch(() => {
          throw new MenuInterrupted();
        });
      // Every exercise of the workbook is more than a 24-row terminal shows at once (the top ones,
      // cursor included, would scroll away): the module first, then its exercises.
      const pickExercise = async (message: string, pool: readonly ExerciseEntry[], progress: Progress): Promise<string> => {
        const modules = manifest.modules
          .map((m) => ({ module: m, entries: pool.filter((e) => moduleOf(e.id) === m.id) }))
          .filter((m) => m.entries.length > 0);
        const moduleWidth = Math.max(...modules.map((m) => m.module.title.length));
        const chosen =
          modules.length === 1
            ? modules[0]!.entries
            : await ask('Which module?', modules.map((m) => ({ name: `${m.module.title.padEnd(moduleWidth)}  ${passingOf(progress, m.entries)}`, value: m.entries })));
        const width = Math.max(...chosen.map((e) => e.title.length));
        return ask(message, chosen.map((e) => ({ name: `${e.title.padEnd(width)}  ${statusLabel(progress, e.id)}`, value: e.id })));
      };

      // A learner grades the same exercise again and again from here: each verdict's workers,
      // their code compiled and optimised, grade the next (as in watch).
      keepWorkersBetweenVerdicts(true);
      try {
        await loop(io, ask, hand, pickExercise);
        return EXIT.ok;
      } catch (error) {
        if (error instanceof MenuInterrupted) return EXIT.interrupted;
        throw error;
      } finally {
        keepWorkersBetweenVerdicts(false);
      }
    },
  };
}

class MenuInterrupted extends Error {}

type Ask = <T>(message: string, choices: { name: string; value: T }[]) => Promise<T>;
type Hand = (name: string, a?: ParsedArgs) => Promise<void>;
type PickExercise = (message: string, pool: readonly ExerciseEntry[], progress: Progress) => Promise<string>;

/** The menu's rounds until Quit; Ctrl-C at any prompt ends it by throwing MenuInterrupted. */
async function loop(io: CliIO, ask: Ask, hand: Hand, pickExercise: PickExercise): Promise<void> {
  for (;;) {
    const progress = readProgress(io.root);
    const next = nextUnfinished(manifest, progress);
    const predictions = next ? predictionsPending(io, progress, next) : 0;
    const choice = await ask('What next?', [
      ...(next && predictions > 0 ? [{ name: `Predict first: ${predictions} question${predictions === 1 ? '' : 's'} before you start ${next.title}`, value: 'predict' }] : []),
      ...(next ? [{ name: `Continue: ${next.title}`, value: 'continue' }] : []),
      { name: 'Pick an exercise', value: 'pick' },
      { name: 'Read a guide', value: 'guide' },
      { name: 'Debugging challenges', value: 'challenge' },
      { name: 'Quiz: predict, explain, decide', value: 'quiz' },
      { name: `Review (${dueCount(progress, localDay(new Date()))} due today)`, value: 'review' },
      { name: 'Scorecard and mastery gate', value: 'scorecard' },
      { name: 'Journal: your answers, as a workbook', value: 'journal' },
      { name: 'Quit', value: 'quit' },
    ]);
    if (choice === 'quit') return;
    if (choice === 'predict' && next) {
      await hand('quiz', args([moduleOf(next.id)], { before: true }));
    } else if (choice === 'continue' && next) {
      if (next.kind !== 'pattern') {
        // A challenge shows its own brief and the bug happening before the verdict.
        await hand('challenge', args([next.id]));
      } else if (statusOf(progress, next.id) === 'new') {
        io.out(firstSteps(io, next, predictions));
        const first = await ask('Start with', [
          { name: 'The guide', value: 'guide' },
          { name: 'Watching the file (re-grades on every save)', value: 'watch' },
          { name: 'Back to the menu', value: 'back' },
        ]);
        if (first === 'guide' || first === 'watch') await hand(first, args([next.id]));
      } else {
        await hand('watch', args([next.id]));
      }
    } else if (choice === 'pick' || choice === 'guide' || choice === 'challenge') {
      const pool = choice === 'challenge' ? challengeExercises(manifest) : allExercises(manifest);
      const id = await pickExercise('Which one?', pool, progress);
      if (choice === 'guide') await hand('guide', args([id]));
      else if (choice === 'challenge') await hand('challenge', args([id]));
      else {
        const action = await ask(id, ['watch', 'run', 'hint', 'guide', 'demo', 'reset'].map((a) => ({ name: a, value: a })));
        await hand(action, args([id]));
      }
    } else if (choice === 'quiz') {
      await quizBySection(io, ask, hand);
    } else {
      await hand(choice);
    }
  }
}

/** The quiz by module and section, so a learner can go straight to the part they want. */
async function quizBySection(io: CliIO, ask: Ask, hand: Hand): Promise<void> {
  const withQuiz = manifest.modules.filter((m) => m.quiz);
  const moduleId = withQuiz.length === 1 ? withQuiz[0]!.id : await ask('Which module?', withQuiz.map((m) => ({ name: m.title, value: m.id })));
  const quiz = loadQuiz(io.root, moduleId);
  if (!quiz) return;
  const section = await ask('Which section?', [
    { name: 'Everything waiting for me', value: '' },
    ...quiz.sections.map((s) => ({ name: `${s.title} (${s.itemIds.length})`, value: s.id })),
  ]);
  await hand('quiz', args([moduleId], section ? { section } : {}));
}
