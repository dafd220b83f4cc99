import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupPath } from './backups.ts';
import { contentHash, readStubHashes, type StubHashes } from '../selfcheck/pristine.ts';

/**
 * Taking a new version of the workbook without losing a learner's work. `checker/manifest/stubs.json`
 * says which stub every learner file started from. Before pulling, each edited file is backed up and
 * its stub put back, so git can fast-forward the workbook; afterwards each file is merged three ways
 * (the stub it started from, the learner's version, the new stub): a file whose stub did not change
 * gets the learner's version back as it was, and conflicting edits are marked in the file, never
 * dropped. Files the learner never touched simply become the new stubs.
 */

export interface FileOutcome {
  /** Relative to exercises/. */
  readonly file: string;
  readonly outcome: 'kept' | 'merged' | 'conflicts';
  /** Conflict blocks left marked in the file. */
  readonly conflicts?: number;
}

export interface UpdateReport {
  readonly backupDir?: string;
  /** Stubs the learner never touched that the update changed. */
  readonly replaced: readonly string[];
  readonly edited: readonly FileOutcome[];
  readonly from: string;
  readonly to: string;
}

export class UpdateError extends Error {}

function git(root: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The text of exercises/<file> at a commit, or undefined where it did not exist. */
function atCommit(root: string, commit: string, file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${commit}:exercises/${file}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** `git merge-file`: mine, base, theirs -> merged text and how many conflict blocks it marked. */
export function mergeThreeWays(mine: string, base: string, theirs: string): { text: string; conflicts: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-merge-'));
  try {
    const [m, b, t] = ['yours', 'base', 'new'].map((name) => path.join(dir, name));
    fs.writeFileSync(m!, mine);
    fs.writeFileSync(b!, base);
    fs.writeFileSync(t!, theirs);
    const run = spawnSync('git', ['merge-file', '-p', '-L', 'your work', '-L', 'the stub you started from', '-L', 'the new stub', m!, b!, t!], { encoding: 'utf8' });
    if (run.status === null || run.status < 0 || run.error) throw new UpdateError(`git merge-file failed: ${run.error?.message ?? run.stderr}`);
    return { text: run.stdout, conflicts: run.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pulls the workbook's upstream (or runs `pull`, for tests) and reconciles the learner's files.
 * Throws UpdateError, with every learner file restored, when the pull fails.
 */
export function updateWorkbook(root: string, options: { pull?: () => void; now?: Date } = {}): UpdateReport {
  try {
    git(root, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    throw new UpdateError('this workbook is not a git clone, so there is nothing to update from: download the new version and copy your exercises/ files into it');
  }
  const before: StubHashes = readStubHashes(root);
  const from = git(root, ['rev-parse', '--short', 'HEAD']);
  const exercises = path.join(root, 'exercises');

  // The learner's edited files, and the stub each started from (committed work is git's to merge).
  const edited = new Map<string, { mine: string | undefined; base: string }>();
  for (const [file, hash] of Object.entries(before)) {
    const full = path.join(exercises, file);
    const mine = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (mine !== undefined && contentHash(mine) === hash) continue;
    const base = atCommit(root, 'HEAD', file);
    if (base === undefined || contentHash(base) !== hash) continue;
    edited.set(file, { mine, base });
  }

  let backupDir: string | undefined;
  if (edited.size > 0) {
    backupDir = backupPath(root, 'update-', options.now ?? new Date());
    for (const [file, { mine }] of edited) {
      if (mine === undefined) continue;
      fs.mkdirSync(path.dirname(path.join(backupDir, file)), { recursive: true });
      fs.writeFileSync(path.join(backupDir, file), mine);
    }
  }
  const restoreMine = (): void => {
    for (const [file, { mine }] of edited) if (mine !== undefined) fs.writeFileSync(path.join(exercises, file), mine);
  };
  // Put the stubs back so the pull is a clean fast-forward.
  for (const [file, { base }] of edited) fs.writeFileSync(path.join(exercises, file), base);
  try {
    if (options.pull) options.pull();
    else git(root, ['pull', '--ff-only', '--quiet']);
  } catch (error) {
    restoreMine();
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim() : String(error);
    throw new UpdateError(`could not pull the new version (${detail || 'git pull failed'}); your files are as they were`);
  }
  const to = git(root, ['rev-parse', '--short', 'HEAD']);
  const after = readStubHashes(root);

  const outcomes: FileOutcome[] = [];
  for (const [file, { mine, base }] of edited) {
    const full = path.join(exercises, file);
    const theirs = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (mine === undefined) continue;
    if (theirs === undefined || theirs === base) {
      // The stub did not change (or is gone from the workbook): the learner's file comes back as it was.
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, mine);
      outcomes.push({ file, outcome: 'kept' });
      continue;
    }
    const merged = mergeThreeWays(mine, base, theirs);
    fs.writeFileSync(full, merged.text);
    outcomes.push(merged.conflicts === 0 ? { file, outcome: 'merged' } : { file, outcome: 'conflicts', conflicts: merged.conflicts });
  }
  const replaced = Object.keys(after).filter((file) => !edited.has(file) && before[file] !== after[file]);
  return { ...(backupDir ? { backupDir } : {}), replaced, edited: outcomes, from, to };
}
