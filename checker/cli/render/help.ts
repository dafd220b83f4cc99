import type { Command } from '../command.ts';
import { palette } from './style.ts';

export function renderHelp(commands: readonly Command[], color: boolean): string {
  const c = palette(color);
  return [
    c.bold('Consensus workbook'),
    '',
    'Usage: npm run exercise -- <command> [options]   (no command: the menu)',
    '',
    ...commands.flatMap((cmd) => [`  ${c.bold(cmd.usage)}`, `      ${c.dim(cmd.summary)}`]),
    '',
    'Exercise ids are <module>/<name>; any unique prefix works (raft, consensus/lead, lock).',
    'Colour follows the terminal; set NO_COLOR=1 or pass --no-color to turn it off.',
  ].join('\n');
}
