// Plain JavaScript on purpose: the launcher (cli/launch.mjs) reads it before any TypeScript loader
// exists. Types: build-cache.d.mts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Remembers what a build read, so the next start can reuse its output without running esbuild.
 *
 * A record (JSON, beside the output) lists every input file with its size, mtime, ctime and content
 * hash. A start stats each input: all the same, nothing to do. A different stat is not yet a change
 * (a git checkout or a copy touches the times without changing a byte), so that file's contents
 * are hashed and compared; only a different hash, or a missing file, means a rebuild. The ctime
 * is there because no tool can set it: a write that kept the size and put the mtime back (an
 * editor's "preserve timestamps", a tar extract) still changes it.
 * A record whose stats were stale but whose hashes held is rewritten, so the next start is back
 * to stats only.
 */

/** First 16 hex digits of the sha-256: the names our bundles carry (engine/sandbox/content-address.ts). */
export const contentHash = (contents) => createHash('sha256').update(contents).digest('hex').slice(0, 16);

/**
 * The name of a build that is a folder of files (the CLI's bundle and its chunks): the hash of
 * every file name with the hash of its contents, so the folder's name vouches for all of it.
 */
export function folderContentHash(dir) {
  const files = fs.readdirSync(dir).sort();
  return contentHash(files.map((file) => `${file}\n${contentHash(fs.readFileSync(path.join(dir, file)))}`).join('\n'));
}

function stamp(file) {
  const stat = fs.statSync(file);
  return { file, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, hash: contentHash(fs.readFileSync(file)) };
}

/** Writes through a temporary file and a rename, so no reader ever sees half of it. */
export function writeAtomically(file, contents, mode = 0o644) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, contents, { mode });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * The data saved with the last build recorded at `recordFile`, if that build was made under the
 * same `key` and none of its inputs changed since; undefined when it must be built again.
 */
export function reusableBuild(recordFile, key) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (record?.key !== key || !Array.isArray(record.inputs)) return undefined;
  let restamped = false;
  for (const input of record.inputs) {
    const stat = fs.statSync(input.file, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (stat.size === input.size && stat.mtimeMs === input.mtimeMs && stat.ctimeMs === input.ctimeMs) continue;
    if (stat.size !== input.size || contentHash(fs.readFileSync(input.file)) !== input.hash) return undefined;
    input.mtimeMs = stat.mtimeMs;
    input.ctimeMs = stat.ctimeMs;
    restamped = true;
  }
  if (restamped) {
    try {
      writeAtomically(recordFile, JSON.stringify(record));
    } catch {
      // a read-only build folder: the hashes are checked again next time, nothing worse
    }
  }
  return record.data;
}

/**
 * Records a build made under `key` from `inputs` (absolute paths), with `data` to hand back later.
 * An input modified while the build ran (after `startedAtMs`, from Date.now(), and not after now)
 * may have been read in its old state, and its new hash would vouch for a stale bundle: such a
 * build is not recorded (returns false), so the next start builds again. An mtime well beyond now
 * is a clock's skew (a tarball from another machine), not a write during the build; "well", since
 * file times and Date.now() round differently.
 */
export function recordBuild(recordFile, key, inputs, data, startedAtMs = Infinity) {
  const stamps = [...new Set(inputs)].sort().map(stamp);
  const now = Date.now() + 2000;
  if (stamps.some((input) => input.mtimeMs > startedAtMs && input.mtimeMs <= now)) return false;
  writeAtomically(recordFile, JSON.stringify({ key, data, inputs: stamps }));
  return true;
}

/** The files an esbuild metafile says the build read, as absolute paths (virtual modules left out). */
export function metafileInputs(metafile, workingDir) {
  return Object.keys(metafile.inputs)
    .filter((input) => !/^[a-z-]+:/.test(input) && !input.startsWith('<'))
    .map((input) => path.resolve(workingDir, input));
}
