import type { Command } from './command.ts';
import { command as challenge } from './commands/challenge.ts';
import { command as demo } from './commands/demo.ts';
import { command as guide } from './commands/guide.ts';
import { command as hint } from './commands/hint.ts';
import { command as list } from './commands/list.ts';
import { makeMenu } from './commands/menu.ts';
import { command as reset } from './commands/reset.ts';
import { command as run } from './commands/run.ts';
import { command as ui } from './commands/ui.ts';
import { command as watch } from './commands/watch.ts';

/** Every subcommand, in the order `help` lists them. */
export const commands: Command[] = [];
const menu = makeMenu((name) => commands.find((c) => c.name === name));
commands.push(menu, list, run, watch, hint, guide, demo, reset, challenge, ui);
