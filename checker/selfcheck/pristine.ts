import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ExerciseEntry, Manifest } from '../manifest/types.ts';
import { allExercises } from '../manifest/index.ts';

/**
 * The stubs as shipped, whatever a learner has done to exercises/ since. `checker/manifest/stubs.json`
 * records the content hash of every shipped stub; the workbook's own tests grade and type-check those
 * exact contents: the working file when it still matches, otherwise the version git holds for that
 * hash. So `npm test` passes on a clone in any state, and `author check` can say when a learner's
 * file is no longer the stub.
 */

export const STUB_HASHES_FILE = 'checker/manifest/stubs.json';

export type StubHashes = Record<string, string>;

export const contentHash = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

export function readStubHashes(root: string): StubHashes {
  const file = path.join(root, STUB_HASHES_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as StubHashes) : {};
}

/** The hashes of the stubs as they are in exercises/ now (what `author stubs` records). */
export function currentStubHashes(root: string, manifest: Manifest): StubHashes {
  const files = [...new Set(allExercises(manifest).map((e) => e.file))].sort();
  return Object.fromEntries(files.filter((f) => fs.existsSync(stubFile(root, f))).map((f) => [f, contentHash(fs.readFileSync(stubFile(root, f)))]));
}

export function writeStubHashes(root: string, hashes: StubHashes): void {
  fs.writeFileSync(path.join(root, STUB_HASHES_FILE), `${JSON.stringify(hashes, null, 2)}\n`);
}

const stubFile = (root: string, file: string): string => path.join(root, 'exercises', file);

function git(root: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** The content of exercises/<file> whose hash is `wanted`, from the newest commit that holds it. */
function fromHistory(root: string, file: string, wanted: string): string | undefined {
  const relative = `exercises/${file}`;
  const commits = git(root, ['log', '--format=%H', '--all', '--', relative])?.split('\n').filter(Boolean) ?? [];
  for (const commit of commits) {
    const text = git(root, ['show', `${commit}:${relative}`]);
    if (text !== undefined && contentHash(text) === wanted) return text;
  }
  return undefined;
}

export type StubState =
  | { readonly kind: 'untouched'; readonly text: string }
  /** The working file differs from the shipped stub; `text` is the shipped stub, from git. */
  | { readonly kind: 'edited'; readonly text: string; readonly committed: boolean }
  /** No record of the stub yet (a new exercise before `author stubs`): the working file stands in. */
  | { readonly kind: 'unrecorded'; readonly text: string }
  | { readonly kind: 'lost'; readonly reason: string };

/** Where the shipped stub of one exercise file is to be found. */
export function stubState(root: string, file: string, hashes: StubHashes = readStubHashes(root)): StubState {
  const working = fs.existsSync(stubFile(root, file)) ? fs.readFileSync(stubFile(root, file), 'utf8') : undefined;
  const wanted = hashes[file];
  if (wanted === undefined) {
    return working === undefined ? { kind: 'lost', reason: `exercises/${file} is missing` } : { kind: 'unrecorded', text: working };
  }
  if (working !== undefined && contentHash(working) === wanted) return { kind: 'untouched', text: working };
  const shipped = fromHistory(root, file, wanted);
  if (shipped === undefined) {
    return {
      kind: 'lost',
      reason: `exercises/${file} is not the stub recorded in ${STUB_HASHES_FILE}, and no git commit holds that stub: if you changed the stub on purpose, run \`npm run author -- stubs\``,
    };
  }
  const head = git(root, ['show', `HEAD:exercises/${file}`]);
  return { kind: 'edited', text: shipped, committed: head !== undefined && head === working };
}

/**
 * A path holding the shipped stub of `entry`: the working file when untouched, otherwise a copy
 * written under .workbook/pristine/. Throws when the stub cannot be found.
 */
export function pristineStubPath(root: string, entry: ExerciseEntry): string {
  const state = stubState(root, entry.file);
  if (state.kind === 'lost') throw new Error(state.reason);
  if (state.kind !== 'edited') return stubFile(root, entry.file);
  const out = path.join(root, '.workbook', 'pristine', 'exercises', entry.file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== state.text) fs.writeFileSync(out, state.text);
  return out;
}

/** Writes the shipped stub of every exercise into `dir`/exercises (for a fixture workbook). */
export function writePristineStubs(root: string, manifest: Manifest, dir: string): void {
  const hashes = readStubHashes(root);
  for (const file of new Set(allExercises(manifest).map((e) => e.file))) {
    const state = stubState(root, file, hashes);
    if (state.kind === 'lost') throw new Error(state.reason);
    const out = path.join(dir, 'exercises', file);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, state.text);
  }
}
