import { describe, expect, it } from 'vitest';
import { countFlag, intFlag, MAX_SEED, parseCommandArgs, seedFlag } from './args.ts';
import { EXIT, UsageError } from './command.ts';
import { wantsColor } from './render/style.ts';

const command = { name: 'run', usage: 'run [id] [--seed N] [--runs N]', flags: { seed: 'string', runs: 'string', json: 'boolean' } } as const;
const parse = (...argv: string[]) => parseCommandArgs(command, argv);

function usageMessage(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT.usage);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('--seed', () => {
  it('accepts both ends of the documented range', () => {
    expect(seedFlag(parse('--seed', '0'))).toBe(0);
    expect(seedFlag(parse('--seed', String(MAX_SEED)))).toBe(2147483647);
    expect(seedFlag(parse('--seed=1827311'))).toBe(1827311);
    expect(seedFlag(parse())).toBeUndefined();
  });

  it("refuses an empty seed rather than reading it as 0", () => {
    expect(usageMessage(() => seedFlag(parse('--seed', '')))).toBe('--seed needs a value: a whole number from 0 to 2147483647');
    expect(usageMessage(() => seedFlag(parse('--seed=')))).toContain('--seed needs a value');
  });

  it('refuses negative seeds, written either way, saying what a seed is', () => {
    for (const argv of [['--seed', '-5'], ['--seed=-5'], ['--seed', '-1']]) {
      expect(usageMessage(() => seedFlag(parse(...argv)))).toMatch(/^--seed takes a whole number from 0 to 2147483647, not "-\d"$/);
    }
  });

  it('refuses a seed one past the range instead of wrapping it', () => {
    const message = usageMessage(() => seedFlag(parse('--seed', String(MAX_SEED + 1))));
    expect(message).toContain('--seed takes a whole number from 0 to 2147483647, not 2147483648');
    expect(message).toContain('not wrapped');
    expect(usageMessage(() => seedFlag(parse('--seed', '99999999999999999999')))).toContain('not "99999999999999999999"');
  });

  it('refuses what Number() would quietly accept', () => {
    for (const raw of ['1e3', '0x10', ' 7', '7 ', '1.0', '+3', 'seven']) {
      expect(usageMessage(() => seedFlag(parse('--seed', raw)))).toContain(`not "${raw}"`);
    }
  });
});

describe('counts (--runs, --jobs, --max-runs)', () => {
  it('refuses 0 and says why for --runs', () => {
    expect(usageMessage(() => countFlag(parse('--runs', '0'), 'runs'))).toBe(
      '--runs takes a whole number of at least 1, not 0 (with no runs a randomised requirement would check nothing and pass)',
    );
    expect(countFlag(parse('--runs', '1'), 'runs')).toBe(1);
  });

  it('refuses an empty or negative count', () => {
    expect(usageMessage(() => countFlag(parse('--runs', ''), 'runs'))).toContain('--runs needs a value');
    expect(usageMessage(() => countFlag(parse('--runs', '-2'), 'runs'))).toContain('not "-2"');
  });

  it('plain whole-number flags still take 0', () => {
    expect(intFlag(parse('--runs', '0'), 'runs')).toBe(0);
  });
});

describe('colour', () => {
  it('colours a terminal, but not TERM=dumb, NO_COLOR, --no-color or a pipe', () => {
    expect(wantsColor(true, { TERM: 'xterm-256color' }, [])).toBe(true);
    expect(wantsColor(true, {}, [])).toBe(true);
    expect(wantsColor(true, { TERM: 'dumb' }, [])).toBe(false);
    expect(wantsColor(true, { TERM: 'xterm', NO_COLOR: '' }, [])).toBe(false);
    expect(wantsColor(true, { TERM: 'xterm' }, ['list', '--no-color'])).toBe(false);
    expect(wantsColor(false, { TERM: 'xterm' }, [])).toBe(false);
    expect(wantsColor(undefined, { TERM: 'xterm' }, [])).toBe(false);
  });
});
