import { parseArgs } from 'node:util';
import { nearestWords } from '../core/resolve.ts';
import { UsageError, type Command, type ParsedArgs } from './command.ts';

/** Splits argv into a command name and its parsed arguments; the only place argv is read. */

export const GLOBAL_FLAGS = { help: 'boolean', 'no-color': 'boolean' } as const;

export function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return { name: undefined, rest: [...argv] };
  return { name: first, rest };
}

export function parseCommandArgs(command: Pick<Command, 'name' | 'flags' | 'usage'>, argv: readonly string[]): ParsedArgs {
  const spec = { ...GLOBAL_FLAGS, ...(command.flags ?? {}) };
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { positionals, flags: values as ParsedArgs['flags'] };
  } catch (error) {
    const message = (error as Error).message;
    // A mistyped flag gets the nearest real one, the way a mistyped id does.
    const typo = /^Unknown option '--?([^']+)'/.exec(message)?.[1];
    const near = typo ? nearestWords(typo, Object.keys(spec)) : [];
    const hint = near.length > 0 ? ` Did you mean ${near.map((f) => `--${f}`).join(' or ')}?` : '';
    const said = typo ? `unknown option --${typo}.` : message;
    throw new UsageError(`${said}${hint}\nUsage: npm run exercise -- ${command.usage}`);
  }
}

/** Reads a whole-number flag, or throws a usage error naming it. */
export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = args.flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < 0) {
    throw new UsageError(`--${name} takes a whole number, not "${String(raw)}"`);
  }
  return value;
}

export function requirePositional(args: ParsedArgs, index: number, what: string, usage: string): string {
  const value = args.positionals[index];
  if (!value) throw new UsageError(`missing ${what}.\nUsage: npm run exercise -- ${usage}`);
  return value;
}
