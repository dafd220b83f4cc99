/**
 * The contract every CLI command follows (after changesets' CLI): a command reads what it needs,
 * computes with the pure core, renders through `io`, and returns an exit code. Expected failures
 * are thrown as WorkbookError subclasses; the one top-level catch in main.ts maps them to
 * messages and exit codes. Nothing else calls process.exit.
 */

export interface CliIO {
  /** Workbook root (where package.json, exercises/, solutions/ live). */
  readonly root: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stdin and stdout are terminals and we may ask questions. */
  readonly interactive: boolean;
  /** True when colour is wanted (TTY and no NO_COLOR). */
  readonly color: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: long-running commands stop cleanly and keep what they saved. */
  readonly signal: AbortSignal;
  /** A transient line on a terminal ('' clears it): what is running right now. Absent elsewhere. */
  readonly status?: (text: string) => void;
  /** Keystrokes, when interactive (`watch` reads single keys from it). */
  readonly input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

export interface Command {
  readonly name: string;
  /** One line, shown in `--help`. */
  readonly summary: string;
  /** e.g. "run <id> [--seed N] [--json]" */
  readonly usage: string;
  /** Flags this command accepts: name -> 'boolean' | 'string'. */
  readonly flags?: Readonly<Record<string, 'boolean' | 'string'>>;
  run(io: CliIO, args: ParsedArgs): Promise<number>;
}

export const EXIT = {
  ok: 0,
  /** The graded work does not pass yet (a verdict, not an error). */
  failed: 1,
  /** The command line was wrong: unknown id, unknown flag, missing argument. */
  usage: 2,
  /** Saved progress could not be read; it was kept aside, nothing was lost. */
  progress: 3,
  /** Another workbook command holds the progress lock. */
  busy: 4,
  /** Interrupted with Ctrl-C; what was answered is saved. */
  interrupted: 130,
} as const;

/** An expected failure with a message for the learner and an exit code. */
export class WorkbookError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.usage) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends WorkbookError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
