import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, REAL_ROOT, type FixtureWorkbook } from './fixture.ts';

/**
 * The CLI at its edges: Ctrl-C in `watch`, bad flag values, a progress file that cannot be used,
 * and terminals that cannot show colour.
 */

const MAIN = path.join(REAL_ROOT, 'checker/cli/launch.mjs');
const LEADER = 'exercises/consensus/leader-election.ts';

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from SIGINT to exit. */
  readonly stoppedInMs: number;
}

/** Starts the CLI, calls `whenReady` with its output so far until it returns true, then sends SIGINT once. */
function interruptWhen(wb: FixtureWorkbook, args: readonly string[], ready: (stdout: string) => boolean, act?: () => void): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: REAL_ROOT,
      env: { ...process.env, CI: '1', NO_COLOR: '1', WORKBOOK_ROOT: wb.root },
    });
    let stdout = '';
    let stderr = '';
    let sentAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (sentAt === undefined && ready(stdout)) {
        act?.();
        // Give an action (a save) time to start a re-grade before the interrupt lands.
        setTimeout(
          () => {
            sentAt = Date.now();
            child.kill('SIGINT');
          },
          act ? 1500 : 0,
        );
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, stoppedInMs: Date.now() - (sentAt ?? Date.now()) }));
  });
}

describe('Ctrl-C in watch', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('while idle, stops promptly with exit 130', async () => {
    const run = await interruptWhen(wb, ['watch', 'leader', '--seed', '7'], (out) => out.includes('Ctrl-C to stop'));
    expect(run.signal).toBeNull();
    expect(run.code).toBe(130);
    expect(run.stdout).toContain('Stopped watching.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // Generous: "within a second" is measured by hand, not asserted against a loaded machine.
    expect(run.stoppedInMs).toBeLessThan(5000);
  });

  it('while grading a file that never finishes loading, stops promptly with exit 130', async () => {
    const stub = wb.read(LEADER);
    try {
      const run = await interruptWhen(
        wb,
        ['watch', 'leader', '--seed', '7'],
        (out) => out.includes('Ctrl-C to stop'),
        // The save starts a re-grade that spins forever at load time (until the 30 s loading guard).
        () => wb.write(LEADER, `${stub}\nwhile (Date.now() > 0) {}\n`),
      );
      expect(run.signal).toBeNull();
      expect(run.code).toBe(130);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout.match(/requirements met/g)).toHaveLength(1);
      expect(run.stoppedInMs).toBeLessThan(5000);
    } finally {
      wb.write(LEADER, stub);
    }
  });
});

describe('Ctrl-C in the menu', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('on a terminal (util-linux `script`), Ctrl-C at the menu exits 130', async () => {
    const command = [process.execPath, MAIN].map((part) => `'${part}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, WORKBOOK_ROOT: wb.root, TERM: 'xterm' };
    delete env.CI;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REAL_ROOT, env });
    let screen = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!sent && screen.includes('What next?')) {
        sent = true;
        // The menu reads the terminal raw, so Ctrl-C arrives as a byte, not as SIGINT.
        setTimeout(() => child.stdin.write('\x03'), 300);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(screen).not.toMatch(/\n\s+at /);
  });
});

describe('bad flag values are usage errors (exit 2) that say what the flag takes', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  const cases: [string[], string][] = [
    [['run', 'leader', '--seed', ''], '--seed needs a value: a whole number from 0 to 2147483647'],
    [['run', 'leader', '--seed', '-5'], '--seed takes a whole number from 0 to 2147483647, not "-5"'],
    [['run', 'leader', '--seed=-1'], '--seed takes a whole number from 0 to 2147483647, not "-1"'],
    [['run', 'leader', '--seed', '2147483648'], 'not wrapped'],
    [['watch', 'leader', '--seed', ''], '--seed needs a value'],
    [['watch', 'leader', '--max-runs', '0'], '--max-runs takes a whole number of at least 1, not 0'],
    [['challenge', '1', '--seed', '-3'], '--seed takes a whole number from 0 to 2147483647'],
    [['ui', '--seed', '4294967296'], 'not wrapped'],
    [['scorecard', '--runs', '0'], '--runs takes a whole number of at least 1, not 0'],
    // Batch grading reads its numbers through the same flag helpers as every other command.
    [['grade', '.', '--seed', ''], '--seed needs a value: a whole number from 0 to 2147483647'],
    [['grade', '.', '--seed', '2147483648'], 'not wrapped'],
    [['grade', '.', '--jobs', '0'], '--jobs takes a whole number of at least 1, not 0'],
  ];
  for (const [args, message] of cases) {
    it(`${args.map((a) => (a === '' ? "''" : a)).join(' ')}`, async () => {
      const run = await wb.cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
    });
  }

  it('takes the largest seed as it is and replays with it', async () => {
    const run = await wb.cli(['run', 'leader', '--seed', '2147483647']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Seed 2147483647. Replay exactly this run: npm run exercise -- run consensus/leader-election --seed 2147483647');
  });
});

describe('a progress file that cannot be used', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('a folder at its path: exit 3 with a plain message, no stack trace, the folder untouched', async () => {
    fs.mkdirSync(wb.file('workbook-progress.json'));
    wb.write('workbook-progress.json/keep.txt', 'mine');
    try {
      for (const args of [['list'], ['run', 'leader', '--seed', '3']]) {
        const run = await wb.cli(args);
        expect(run.code).toBe(3);
        expect(run.stderr).toContain('there is a folder at');
        expect(run.stderr).not.toMatch(/\n\s+at |our bug/);
      }
      expect(wb.read('workbook-progress.json/keep.txt')).toBe('mine');
    } finally {
      fs.rmSync(wb.file('workbook-progress.json'), { recursive: true });
    }
  });

  it('a file saved with a byte-order mark reads and updates', async () => {
    wb.write('workbook-progress.json', `\uFEFF${JSON.stringify({ schemaVersion: 2, exercises: { 'consensus/leader-election': { runs: 4, hintsShown: 1 } } })}`);
    const run = await wb.cli(['run', 'leader', '--seed', '3']);
    expect(run.code).toBe(1);
    expect(JSON.parse(wb.read('workbook-progress.json')).exercises['consensus/leader-election']).toMatchObject({ runs: 5, hintsShown: 1 });
  });
});

describe('colour on a real terminal', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  /** Runs `list` under a pseudo-terminal (util-linux `script`), so stdout is a TTY. */
  function listOnTerminal(term: string): string {
    const command = [process.execPath, MAIN, 'list'].map((part) => `'${part}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', WORKBOOK_ROOT: wb.root, TERM: term };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REAL_ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    return result.stdout;
  }

  it('colours for TERM=xterm and not for TERM=dumb', () => {
    expect(listOnTerminal('xterm')).toContain('\x1b[');
    const dumb = listOnTerminal('dumb');
    expect(dumb).toContain('consensus/leader-election');
    expect(dumb).not.toContain('\x1b[');
  });
});
