import { prestartGrading } from './prestart.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { parseCommandArgs, splitCommand } from './args.ts';
import { EXIT, UsageError, WorkbookError, type CliIO, type Command } from './command.ts';
import { allCommands, commandNames, findCommand } from './registry.ts';
import { renderCommandHelp, renderHelp } from './render/help.ts';
import { wantsColor } from './render/style.ts';
import { nearestWords } from '../core/resolve.ts';

/**
 * Entry point of `npm run exercise`: builds the terminal IO, dispatches to one command, and is the
 * only place that turns errors into messages and exit codes.
 */

/** One line on stderr, rewritten in place and cut to the terminal's width; '' clears it. */
function statusLine(text: string): void {
  const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
  process.stderr.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
}

function makeIO(argv: readonly string[]): { io: CliIO; abort: AbortController } {
  const abort = new AbortController();
  const env = process.env;
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !env.CI;
  const color = wantsColor(process.stdout.isTTY, env, argv);
  const io: CliIO = {
    root: WORKBOOK_ROOT,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive,
    color,
    env,
    signal: abort.signal,
    ...(interactive ? { input: process.stdin } : {}),
    ...(process.stderr.isTTY && env.TERM !== 'dumb' ? { status: statusLine } : {}),
  };
  return { io, abort };
}

/** The command of that name, or a usage error suggesting the nearest names. */
async function knownCommand(name: string): Promise<Command> {
  const command = await findCommand(name);
  if (command) return command;
  const near = nearestWords(name, commandNames);
  const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
  throw new UsageError(`unknown command "${name}".${hint} Commands: ${commandNames.join(', ')}`);
}

/** How long a command gets, after Ctrl-C, to stop on its own before the process exits anyway. */
const INTERRUPT_GRACE_MS = 1000;

/**
 * Ctrl-C: the first one aborts `io.signal`, so the running command stops and keeps what it saved
 * (saves are synchronous, so no exit can cut one in half). The terminal sends SIGINT to the whole
 * process group, esbuild's service process included, so work in flight may never settle: if the
 * command has not returned within the grace period the process exits 130 anyway. A second Ctrl-C
 * exits at once.
 */
function exitOnInterrupt(abort: AbortController): void {
  process.once('SIGINT', () => {
    abort.abort();
    setTimeout(() => process.exit(EXIT.interrupted), INTERRUPT_GRACE_MS).unref();
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  });
}

/**
 * The exit code after Ctrl-C: a command that stopped with a verdict or "ok" was interrupted; one
 * that failed with its own error keeps that code.
 */
function interruptedCode(code: number): number {
  return code === EXIT.ok || code === EXIT.failed ? EXIT.interrupted : code;
}

async function main(argv: readonly string[], io: CliIO, abort: AbortController): Promise<number> {
  prestartGrading(argv);
  try {
    const { name, rest } = splitCommand(argv);
    if (name === 'help' && rest[0] !== undefined && !rest[0].startsWith('-')) {
      io.out(renderCommandHelp(await knownCommand(rest[0]), io.color));
      return EXIT.ok;
    }
    if (name === 'help' || (name === undefined && (rest.includes('--help') || rest.includes('-h')))) {
      io.out(renderHelp(await allCommands(), io.color));
      return EXIT.ok;
    }
    const command = await knownCommand(name ?? 'menu');
    const args = parseCommandArgs(command, rest);
    if (args.flags.help) {
      io.out(renderCommandHelp(command, io.color));
      return EXIT.ok;
    }
    return await command.run(io, args);
  } catch (error) {
    if (error instanceof WorkbookError) {
      io.err(error.message);
      return error.exitCode;
    }
    if (abort.signal.aborted) return EXIT.interrupted;
    // Anything else is a bug in the workbook, not in the learner's code: say so plainly.
    io.err(`The workbook itself failed (this is our bug, not yours): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 70;
  }
}

// A reader that stops early (`list | head -1`) closes the pipe: that ends our output, it is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

const argv = process.argv.slice(2);
const { io, abort } = makeIO(argv);
exitOnInterrupt(abort);
const code = await main(argv, io, abort);
// After Ctrl-C nothing the command left behind (a grading worker, a watcher, esbuild) may keep us here.
if (abort.signal.aborted) process.exit(interruptedCode(code));
process.exitCode = code;
