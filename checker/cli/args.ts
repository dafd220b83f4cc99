import { parseArgs } from 'node:util';
import { nearestWords } from '../core/resolve.ts';
import { UsageError, type Command, type ParsedArgs } from './command.ts';

/** Splits argv into a command name and its parsed arguments; the only place argv is read. */

export const GLOBAL_FLAGS = { help: 'boolean', 'no-color': 'boolean' } as const;

/**
 * The largest seed: seeds are whole numbers from 0 to 2^31 - 1, the range fresh seeds are drawn
 * from (engine/grade-exercise.ts freshSeed) and one fast-check takes as it is. A larger number is
 * refused rather than folded into this range, so a printed seed always replays exactly.
 */
export const MAX_SEED = 2 ** 31 - 1;

export function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return { name: undefined, rest: [...argv] };
  return { name: first, rest };
}

/**
 * `--seed -5` would read to parseArgs as a flag with no value followed by an unknown flag `-5`;
 * joined as `--seed=-5` it reaches the flag's own check, which explains what the flag takes.
 */
function joinNegativeValues(argv: readonly string[], stringFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];
    if (token.startsWith('--') && stringFlags.has(token.slice(2)) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${token}=${next}`);
      i += 1;
    } else out.push(token);
  }
  return out;
}

export function parseCommandArgs(command: Pick<Command, 'name' | 'flags' | 'usage'>, argv: readonly string[]): ParsedArgs {
  const spec = { ...GLOBAL_FLAGS, ...(command.flags ?? {}) };
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
  const stringFlags = new Set(Object.entries(spec as Record<string, string>).filter(([, type]) => type === 'string').map(([name]) => name));
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, stringFlags), options, allowPositionals: true, strict: true });
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

interface IntRange {
  readonly min?: number;
  readonly max?: number;
  /** Why the lower bound is there, said after a refusal of a smaller number. */
  readonly why?: string;
}

function describeRange(min: number, max: number): string {
  return max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
}

/** Reads a whole-number flag (decimal digits only), or throws a usage error naming it and what it takes. */
export function intFlag(args: ParsedArgs, name: string, range: IntRange = {}): number | undefined {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  const raw = args.flags[name];
  if (raw === undefined) return undefined;
  const takes = describeRange(min, max);
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError(`--${name} needs a value: ${takes}`);
  // Number() would also accept " 7", "0x10", "1e3" and "" (as 0); a seed must be typed as printed.
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`--${name} takes ${takes}, not "${raw}"`);
  if (value < min) throw new UsageError(`--${name} takes ${takes}, not ${raw}${range.why ? ` (${range.why})` : ''}`);
  if (value > max) throw new UsageError(`--${name} takes ${takes}, not ${raw}; it is not wrapped into that range, so pick a number inside it`);
  return value;
}

/** `--seed N`: 0 to MAX_SEED. */
export function seedFlag(args: ParsedArgs): number | undefined {
  return intFlag(args, 'seed', { min: 0, max: MAX_SEED });
}

/** A count such as `--runs`, `--jobs` or `--max-runs`: at least 1, since zero would check or do nothing. */
export function countFlag(args: ParsedArgs, name: string): number | undefined {
  const why = name === 'runs' ? 'with no runs a randomised requirement would check nothing and pass' : `zero ${name} would do nothing`;
  return intFlag(args, name, { min: 1, why });
}

export function requirePositional(args: ParsedArgs, index: number, what: string, usage: string): string {
  const value = args.positionals[index];
  if (!value) throw new UsageError(`missing ${what}.\nUsage: npm run exercise -- ${usage}`);
  return value;
}
