import type { Command } from './command.ts';

/**
 * Every subcommand, in the order `help` lists them. Each is imported only when it runs, so a
 * verdict does not pay for loading the quiz, the instructor tools or the prompts library.
 */
const loaders: Record<string, () => Promise<Command>> = {
  menu: async () => (await import('./commands/menu.ts')).makeMenu(findCommand),
  list: async () => (await import('./commands/list.ts')).command,
  run: async () => (await import('./commands/run.ts')).command,
  watch: async () => (await import('./commands/watch.ts')).command,
  hint: async () => (await import('./commands/hint.ts')).command,
  guide: async () => (await import('./commands/guide.ts')).command,
  demo: async () => (await import('./commands/demo.ts')).command,
  reset: async () => (await import('./commands/reset.ts')).command,
  challenge: async () => (await import('./commands/challenge.ts')).command,
  trace: async () => (await import('./commands/trace.ts')).command,
  quiz: async () => (await import('./commands/quiz.ts')).command,
  review: async () => (await import('./commands/review.ts')).command,
  journal: async () => (await import('./commands/journal.ts')).command,
  scorecard: async () => (await import('./commands/scorecard.ts')).command,
  ui: async () => (await import('./commands/ui.ts')).command,
  update: async () => (await import('./commands/update.ts')).command,
  progress: async () => (await import('./commands/progress.ts')).command,
  solution: async () => (await import('./commands/solution.ts')).command,
  grade: async () => (await import('./commands/grade.ts')).command,
  author: async () => (await import('./commands/author.ts')).command,
};

export const commandNames: readonly string[] = Object.keys(loaders);

export async function findCommand(name: string): Promise<Command | undefined> {
  return loaders[name]?.();
}

export async function allCommands(): Promise<Command[]> {
  return Promise.all(commandNames.map((name) => loaders[name]!()));
}
