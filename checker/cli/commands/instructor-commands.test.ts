import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import { parseCommandArgs } from '../args.ts';
import { WorkbookError, type CliIO, type Command } from '../command.ts';
import { WORKBOOK_ROOT } from '../../paths.ts';
import { manifest } from '../../manifest/index.ts';
import { command as solution } from './solution.ts';
import { command as grade } from './grade.ts';
import { command as author } from './author.ts';

/** Runs a command with a fake terminal; thrown WorkbookErrors become exit codes as in main.ts. */
async function run(command: Command, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { root: WORKBOOK_ROOT, out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, color: false, env, signal: new AbortController().signal };
  try {
    const code = await command.run(io, parseCommandArgs(command, argv));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } catch (error) {
    if (!(error instanceof WorkbookError)) throw error;
    return { code: error.exitCode, out: out.join('\n'), err: [...err, error.message].join('\n') };
  }
}

const ready = manifest.modules.flatMap((m) => m.exercises).find((e) => e.kind === 'pattern')!;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'instructor-commands-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('solution', () => {
  it('shows the diff at any time to an instructor, with --stat as a summary', async () => {
    const shown = await run(solution, [ready.id, '--instructor']);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`--- exercises/${ready.file}`);
    expect(shown.out).toContain(`+++ solutions/${ready.file}`);
    const stat = await run(solution, [ready.id, '--stat'], { WORKBOOK_INSTRUCTOR: '1' });
    expect(stat.code).toBe(0);
    expect(stat.out).toMatch(/\d+ hunks?, \d+ lines? only in the reference/);
  });

  it('refuses a learner whose own file does not pass yet (graded for real), exit 1', async () => {
    const refused = await run(solution, [ready.id]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/shown after you pass/);
    expect(refused.out).toBe('');
  });

  it('rejects an unknown id with exit 2', async () => {
    expect((await run(solution, ['no-such-exercise-at-all'])).code).toBe(2);
  });
});

describe('grade', () => {
  it('rejects bad arguments with exit 2', async () => {
    expect((await run(grade, [])).code).toBe(2);
    expect((await run(grade, [path.join(tmp, 'missing')])).code).toBe(2);
    fs.mkdirSync(path.join(tmp, 'ok', 'exercises'), { recursive: true });
    expect((await run(grade, [path.join(tmp, 'ok'), '--runs', 'many'])).code).toBe(2);
  });

  it('grades a batch, keeps going past a broken submission, and writes one Gradescope file per learner', async () => {
    const batch = path.join(tmp, 'batch');
    const put = (learner: string, text: string): void => {
      const file = path.join(batch, learner, 'exercises', ready.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    };
    put('good', fs.readFileSync(path.join(WORKBOOK_ROOT, 'solutions', ready.file), 'utf8'));
    put('broken', 'export const = 1;\n');
    const gs = path.join(tmp, 'gs');
    const res = await run(grade, [batch, '--exercise', ready.id, '--runs', '20', '--seed', '3', '--json', '--gradescope', gs]);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.out) as { seed: number; learners: { learner: string; score: number; maxScore: number }[] };
    expect(json.seed).toBe(3);
    const byName = Object.fromEntries(json.learners.map((l) => [l.learner, l]));
    expect(byName.good!.score).toBe(byName.good!.maxScore);
    expect(byName.broken!.score).toBe(0);
    expect(byName.broken!.maxScore).toBe(byName.good!.maxScore);
    const written = JSON.parse(fs.readFileSync(path.join(gs, 'good.json'), 'utf8')) as { score: number; tests: { status: string }[] };
    expect(written.score).toBe(byName.good!.score);
    expect(written.tests.every((t) => t.status === 'passed')).toBe(true);
    expect(fs.existsSync(path.join(gs, 'broken.json'))).toBe(true);
  });
});

describe('author', () => {
  it('wants a subcommand and a kebab-case id for new', async () => {
    expect((await run(author, [])).code).toBe(2);
    expect((await run(author, ['new', 'NotKebab'])).code).toBe(2);
    expect((await run(author, ['new', 'consensus/raft'])).code).toBe(2);
  });
});
