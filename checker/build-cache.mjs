// Plain JavaScript on purpose: the launcher (cli/launch.mjs) reads it before any TypeScript loader
// exists. Types: build-cache.d.mts.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Remembers what a build read and wrote, so the next start can reuse its output without running
 * esbuild, and never uses an output it cannot vouch for.
 *
 * A record (beside the output) lists every input file and every output file with its size, mtime,
 * ctime and content hash. A start stats each one: all the same, nothing to do. A different stat is
 * not yet a change (a git checkout or a copy touches the times without changing a byte), so that
 * file's contents are hashed and compared; only a different hash, or a missing file, means a
 * rebuild. The ctime is there because no tool can set it: a write that kept the size and put the
 * mtime back (an editor's "preserve timestamps", a tar extract) still changes it. A record whose
 * stats were stale but whose hashes held is rewritten, so the next start is back to stats only.
 *
 * Everything under .workbook may come from someone else (`git add -f .workbook` ships it with a
 * repository; a copy carries it to another folder), and what it holds is imported with the user's
 * rights, before any lockdown. So a record is used only when
 *   - it is signed (HMAC-SHA-256) with this user's key, which lives outside every checkout
 *     (SIGNING_KEY_FILE): a content hash alone proves nothing, since whoever plants a bundle can
 *     compute its hash and write a record to match;
 *   - it was written at the path it is read from: a copied or moved workbook builds its own, as
 *     bundles hold the absolute paths of the sources they were built from;
 *   - it lists every input the caller knows the build reads (its entry points, its build scripts),
 *     and every file it lists, outputs included, is unchanged as above.
 * What runs is then always what this checkout's sources build.
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

/** The user's cache folder (XDG_CACHE_HOME, else the platform's own). */
function userCacheDir() {
  if (process.env.XDG_CACHE_HOME) return process.env.XDG_CACHE_HOME;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches');
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
  return path.join(home, '.cache');
}

/**
 * The key records are signed with: 32 random bytes made on first use, readable by this user only.
 * Settled when this module loads (a test that points HOME elsewhere afterwards still signs with
 * the real key).
 */
export const SIGNING_KEY_FILE = path.join(userCacheDir(), 'consensus-workbook', 'build-key');
let signingKey;

function readKey() {
  const key = Buffer.from(fs.readFileSync(SIGNING_KEY_FILE, 'utf8').trim(), 'hex');
  if (key.length < 32) throw new Error(`${SIGNING_KEY_FILE} is not a key`);
  return key;
}

function createKey() {
  fs.mkdirSync(path.dirname(SIGNING_KEY_FILE), { recursive: true, mode: 0o700 });
  const temp = `${SIGNING_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    // A link creates the key only if none exists: of two CLIs starting at once, both use the first's.
    try {
      fs.linkSync(temp, SIGNING_KEY_FILE);
    } catch (error) {
      if (error.code !== 'EEXIST') fs.renameSync(temp, SIGNING_KEY_FILE);
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return readKey();
}

function key() {
  if (!signingKey) {
    try {
      signingKey = readKey();
    } catch {
      try {
        signingKey = createKey();
      } catch {
        // No cache folder to keep a key in: one for this process only, so nothing is reused
        // across starts (every start builds; slower, never unsafe).
        signingKey = randomBytes(32);
      }
    }
  }
  return signingKey;
}

const sign = (body) => createHmac('sha256', key()).update(body).digest('hex');

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

/** The record at `recordFile` when we signed it there; undefined otherwise. */
function readSigned(recordFile) {
  let text;
  try {
    text = fs.readFileSync(recordFile, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  const mac = Buffer.from(text.slice(0, Math.max(newline, 0)), 'hex');
  const body = text.slice(newline + 1);
  const expected = Buffer.from(sign(body), 'hex');
  if (newline < 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
  try {
    const record = JSON.parse(body);
    return record?.location === path.resolve(recordFile) ? record : undefined;
  } catch {
    return undefined;
  }
}

function writeSigned(recordFile, record) {
  const body = JSON.stringify({ ...record, location: path.resolve(recordFile) });
  writeAtomically(recordFile, `${sign(body)}\n${body}`);
}

/**
 * Whether every stamped file still has the contents it had: 'same', 'restamped' (a stat had moved
 * on, the contents had not; the stamp now holds the new stat) or false.
 */
function unchanged(stamps) {
  let restamped = false;
  for (const recorded of stamps) {
    const stat = fs.statSync(recorded.file, { throwIfNoEntry: false });
    if (!stat?.isFile()) return false;
    if (stat.size === recorded.size && stat.mtimeMs === recorded.mtimeMs && stat.ctimeMs === recorded.ctimeMs) continue;
    if (stat.size !== recorded.size || contentHash(fs.readFileSync(recorded.file)) !== recorded.hash) return false;
    recorded.mtimeMs = stat.mtimeMs;
    recorded.ctimeMs = stat.ctimeMs;
    restamped = true;
  }
  return restamped ? 'restamped' : 'same';
}

/**
 * The data saved with the last build recorded at `recordFile`, if we recorded it there, under the
 * same `key`, with every one of `expectedInputs` (absolute paths) among its inputs, and none of its
 * inputs or outputs changed since; undefined when it must be built again.
 */
export function reusableBuild(recordFile, key, expectedInputs = []) {
  const record = readSigned(recordFile);
  if (record?.key !== key || !Array.isArray(record.inputs) || !Array.isArray(record.outputs)) return undefined;
  const listed = new Set(record.inputs.map((input) => input.file));
  if (listed.size === 0 || record.outputs.length === 0 || !expectedInputs.every((file) => listed.has(file))) return undefined;
  const inputs = unchanged(record.inputs);
  const outputs = inputs && unchanged(record.outputs);
  if (!outputs) return undefined;
  if (inputs === 'restamped' || outputs === 'restamped') {
    try {
      writeSigned(recordFile, record);
    } catch {
      // a read-only build folder: the hashes are checked again next time, nothing worse
    }
  }
  return record.data;
}

/**
 * Records a build made under `key` from `inputs`, which wrote `outputs` (absolute paths), with
 * `data` to hand back later. An input modified while the build ran (after `startedAtMs`, from
 * Date.now(), and not after now) may have been read in its old state, and its new hash would vouch
 * for a stale bundle: such a build is not recorded (returns false), so the next start builds
 * again. An mtime well beyond now is a clock's skew (a tarball from another machine), not a write
 * during the build; "well", since file times and Date.now() round differently.
 */
export function recordBuild(recordFile, key, { inputs, outputs, data }, startedAtMs = Infinity) {
  const stamps = [...new Set(inputs)].sort().map(stamp);
  const now = Date.now() + 2000;
  if (stamps.some((input) => input.mtimeMs > startedAtMs && input.mtimeMs <= now)) return false;
  writeSigned(recordFile, { key, data, inputs: stamps, outputs: [...new Set(outputs)].sort().map(stamp) });
  return true;
}

/** The files an esbuild metafile says the build read, as absolute paths (virtual modules left out). */
export function metafileInputs(metafile, workingDir) {
  return Object.keys(metafile.inputs)
    .filter((input) => !/^[a-z-]+:/.test(input) && !input.startsWith('<'))
    .map((input) => path.resolve(workingDir, input));
}
