import { select } from '@inquirer/prompts';
import { allExercises, challengeExercises, manifest } from '../../manifest/index.ts';
import { readProgress } from '../../core/progress/store.ts';
import { nextUnfinished, statusOf } from '../../core/workflow.ts';
import { dueCount, localDay } from '../../core/quiz/index.ts';
import { EXIT, type CliIO, type Command, type ParsedArgs } from '../command.ts';
import { palette } from '../render/style.ts';

/** Commands the menu can hand over to, looked up by name so the menu never imports them all. */
export type CommandLookup = (name: string) => Promise<Command | undefined>;

function args(...positionals: string[]): ParsedArgs {
  return { positionals, flags: {} };
}

function summary(io: CliIO): string {
  const c = palette(io.color);
  const progress = readProgress(io.root);
  const lines: string[] = [c.bold('Consensus workbook')];
  for (const module of manifest.modules) {
    const done = module.exercises.filter((e) => statusOf(progress, e.id) === 'done').length;
    lines.push(`  ${module.title}: ${done}/${module.exercises.length} passing`);
  }
  const next = nextUnfinished(manifest, progress);
  lines.push('');
  lines.push(
    next
      ? `Next: ${next.title}\n  read the guide:  npm run exercise -- guide ${next.id}\n  edit:            exercises/${next.file}\n  get a verdict:   npm run exercise -- run ${next.id}`
      : 'Every exercise passes: `npm run exercise -- scorecard` shows your mastery gate.',
  );
  const due = dueCount(progress, localDay(new Date()));
  if (due > 0) lines.push(`\n${due} quiz item${due === 1 ? ' is' : 's are'} due for review: npm run exercise -- review`);
  lines.push(c.dim('\nAll commands: npm run exercise -- help'));
  return lines.join('\n');
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
      const hand = async (name: string, a: ParsedArgs): Promise<void> => {
        const command = await lookup(name);
        if (command) await command.run(io, a);
      };
      for (;;) {
        const progress = readProgress(io.root);
        const next = nextUnfinished(manifest, progress);
        const choice = await select(
          {
            message: 'What next?',
            choices: [
              ...(next ? [{ name: `Continue: ${next.title}`, value: 'continue' }] : []),
              { name: 'Pick an exercise', value: 'pick' },
              { name: 'Read a guide', value: 'guide' },
              { name: 'Debugging challenges', value: 'challenge' },
              { name: 'Quiz: predict, explain, decide', value: 'quiz' },
              { name: `Review (${dueCount(progress, localDay(new Date()))} due today)`, value: 'review' },
              { name: 'Scorecard and mastery gate', value: 'scorecard' },
              { name: 'Journal: your answers, as a workbook', value: 'journal' },
              { name: 'Quit', value: 'quit' },
            ],
          },
          { signal: io.signal },
        ).catch(() => 'interrupted');
        if (choice === 'quit') return EXIT.ok;
        // Ctrl-C at the menu: everything is saved as it happens, so just leave, saying so.
        if (choice === 'interrupted') return EXIT.interrupted;
        if (choice === 'continue' && next) {
          if (next.kind === 'pattern') {
            if (statusOf(progress, next.id) === 'new') await hand('guide', args(next.id));
            await hand('run', args(next.id));
          } else {
            // A challenge shows its own brief and the bug happening before the verdict.
            await hand('challenge', args(next.id));
          }
        } else if (choice === 'pick' || choice === 'guide' || choice === 'challenge') {
          const pool = choice === 'challenge' ? challengeExercises(manifest) : allExercises(manifest);
          const id = await select({ message: 'Which one?', choices: pool.map((e) => ({ name: `${e.title} (${e.id})`, value: e.id })) }, { signal: io.signal }).catch(() => undefined);
          if (!id) continue;
          if (choice === 'guide') await hand('guide', args(id));
          else if (choice === 'challenge') await hand('challenge', args(id));
          else {
            const action = await select(
              { message: id, choices: ['run', 'watch', 'hint', 'guide', 'demo', 'reset'].map((a) => ({ name: a, value: a })) },
              { signal: io.signal },
            ).catch(() => undefined);
            if (action) await hand(action, args(id));
          }
        } else {
          await hand(choice, args());
        }
      }
    },
  };
}
