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

/** `help <command>` and `<command> --help`: its usage, what it does and the flags it takes. */
export function renderCommandHelp(command: Command, color: boolean): string {
  const c = palette(color);
  const flags = Object.entries(command.flags ?? {}).map(([name, type]) => `  --${name}${type === 'string' ? ' <value>' : ''}`);
  return [
    `Usage: npm run exercise -- ${command.usage}`,
    c.dim(command.summary),
    ...(flags.length > 0 ? ['', 'Flags:', ...flags] : []),
  ].join('\n');
}
