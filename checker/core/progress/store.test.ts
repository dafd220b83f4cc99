import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/command.ts';
import { allExercises } from '../../manifest/index.ts';
import { emptyProgress, migrate, ProgressShapeError, SCHEMA_VERSION } from './schema.ts';
import { ProgressCorruptError, ProgressStoreError, progressPath, readProgress, updateProgress } from './store.ts';
import { fsError, testDeps } from './test-deps.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const tick = (key: string) => (p: ReturnType<typeof emptyProgress>) => void (p.checklist[key] = true);

/** Saves `text` as the progress file and reads it, expecting it to be refused as corrupt. */
function readCorrupt(text: string): ProgressCorruptError {
  fs.writeFileSync(progressPath(root), text);
  try {
    readProgress(root);
  } catch (error) {
    if (error instanceof ProgressCorruptError) return error;
    throw error;
  }
  throw new Error('the file was read as valid');
}

async function storeFailure(promise: Promise<unknown>): Promise<ProgressStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProgressStoreError);
  expect((error as ProgressStoreError).exitCode).toBe(EXIT.progress);
  return error as ProgressStoreError;
}

describe('progress store', () => {
  it('reads a missing file as empty progress', () => {
    expect(readProgress(root)).toEqual(emptyProgress());
  });

  it('writes atomically: no temporary file is left and the result reads back', async () => {
    await updateProgress(root, tick('implementation'));
    expect(readProgress(root).checklist).toEqual({ implementation: true });
    expect(fs.readdirSync(root)).toEqual(['workbook-progress.json']);
  });

  it('leaves the previous state intact when a write dies before the rename', async () => {
    await updateProgress(root, tick('a'));
    // What a kill mid-write leaves behind: a half-written temporary file beside the real one.
    fs.writeFileSync(`${progressPath(root)}.999999.1.tmp`, '{"schemaVersion": 2, "exerc');
    expect(readProgress(root).checklist).toEqual({ a: true });
  });

  it('does not lose updates made concurrently', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => updateProgress(root, tick(`item-${i}`))));
    expect(Object.keys(readProgress(root).checklist)).toHaveLength(20);
  });

  it('keeps a corrupt file aside under a new name and says where', () => {
    const error = readCorrupt('{ not json');
    expect(error.exitCode).toBe(EXIT.progress);
    expect(fs.readFileSync(error.keptAt, 'utf8')).toBe('{ not json');
    expect(error.message).toContain(path.basename(error.keptAt));
    expect(fs.existsSync(progressPath(root))).toBe(false);
  });

  it('treats a hand-edited file with the wrong shape as corrupt, not as empty', () => {
    fs.writeFileSync(progressPath(root), JSON.stringify({ schemaVersion: 2, exercises: { 'consensus/raft': { runs: 'many' } } }));
    expect(() => readProgress(root)).toThrow(/exercise "consensus\/raft" should have numeric runs/);
  });

  it('accepts a file saved with a UTF-8 byte-order mark, and updates it', async () => {
    const saved = { ...emptyProgress(), checklist: { kept: true } };
    fs.writeFileSync(progressPath(root), `\uFEFF${JSON.stringify(saved)}`);
    expect(readProgress(root).checklist).toEqual({ kept: true });
    await updateProgress(root, tick('added'));
    expect(readProgress(root).checklist).toEqual({ kept: true, added: true });
  });

  it("keeps the file's mode across atomic rewrites", async () => {
    await updateProgress(root, tick('a'));
    for (const mode of [0o600, 0o640, 0o664]) {
      fs.chmodSync(progressPath(root), mode);
      await updateProgress(root, tick(`mode-${mode}`));
      expect(fs.statSync(progressPath(root)).mode & 0o777).toBe(mode);
    }
  });

  it('says there is a folder at the progress path (exit 3) and leaves the folder alone', async () => {
    fs.mkdirSync(progressPath(root));
    fs.writeFileSync(path.join(progressPath(root), 'inside.txt'), 'mine');
    expect(() => readProgress(root)).toThrow(ProgressStoreError);
    const error = await storeFailure(updateProgress(root, tick('x')));
    expect(error.message).toContain(`there is a folder at ${progressPath(root)}`);
    expect(fs.readFileSync(path.join(progressPath(root), 'inside.txt'), 'utf8')).toBe('mine');
    expect(fs.readdirSync(root)).toEqual(['workbook-progress.json']);
  });

  it('in a read-only folder, says so (exit 3) and changes nothing', async () => {
    await updateProgress(root, tick('saved'));
    const before = fs.readFileSync(progressPath(root), 'utf8');
    // Simulated: the tests may run as root, for whom chmod does not make a folder read-only.
    const readOnly = (syscall: string) => (file: fs.PathLike) => {
      throw fsError('EROFS', syscall, String(file));
    };
    const { deps } = testDeps({ fs: { mkdirSync: readOnly('mkdir'), openSync: readOnly('open'), renameSync: readOnly('rename') } });
    const error = await storeFailure(updateProgress(root, tick('lost?'), deps));
    expect(error.message).toMatch(/do not have permission to write .*\(EROFS\)/);
    expect(error.message).toContain('Your saved progress is unchanged');
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(progressPath(root), 'utf8')).toBe(before);
  });

  it('on a full disk, says so (exit 3), keeps the saved file and removes its temporary file', async () => {
    await updateProgress(root, tick('saved'));
    const before = fs.readFileSync(progressPath(root), 'utf8');
    const { deps } = testDeps({
      fs: {
        writeFileSync: ((file: fs.PathOrFileDescriptor, data: string) => {
          if (typeof file === 'number') throw fsError('ENOSPC', 'write', 'fd');
          fs.writeFileSync(file, data);
        }) as typeof fs.writeFileSync,
      },
    });
    const error = await storeFailure(updateProgress(root, tick('lost?'), deps));
    expect(error.message).toContain('the disk is full (ENOSPC)');
    expect(fs.readFileSync(progressPath(root), 'utf8')).toBe(before);
    expect(fs.readdirSync(root)).toEqual(['workbook-progress.json']);
  });

  it('removes temporary files and half-removed locks left by killed commands', async () => {
    const file = progressPath(root);
    fs.writeFileSync(`${file}.999999.ab12.tmp`, '{"half');
    fs.mkdirSync(`${file}.lock.stale-999999-0a0b`);
    fs.writeFileSync(`${file}.lock.stale-999999-0a0b/pid`, '1234');
    fs.writeFileSync(path.join(root, 'notes.tmp'), 'not ours');
    await updateProgress(root, tick('a'));
    expect(fs.readdirSync(root).sort()).toEqual(['notes.tmp', 'workbook-progress.json']);
  });

  it('leaves a temporary file of a live process alone while it is recent', async () => {
    const liveTemp = `${progressPath(root)}.4242.ab12.tmp`;
    fs.writeFileSync(liveTemp, '{');
    const { deps } = testDeps({ processExists: (pid) => pid === 4242 || pid === process.pid });
    await updateProgress(root, tick('a'), deps);
    expect(fs.existsSync(liveTemp)).toBe(true);
  });
});

describe('schema migration', () => {
  it('migrates version 1 (hints kept apart) to the current schema', () => {
    const migrated = migrate({ schemaVersion: 1, exercises: { 'consensus/raft': { runs: 2 } }, hints: { 'consensus/raft': 3, 'consensus/quorum': 1 }, quiz: {} });
    expect(migrated.schemaVersion).toBe(SCHEMA_VERSION);
    expect(migrated.exercises['consensus/raft']).toEqual({ runs: 2, hintsShown: 3 });
    expect(migrated.exercises['consensus/quorum']).toEqual({ runs: 0, hintsShown: 1 });
    expect(migrated.challenges).toEqual({});
    expect('hints' in migrated).toBe(false);
  });

  it('moves version 2 challenge records to the ids under their module', () => {
    const migrated = migrate({
      schemaVersion: 2,
      exercises: { 'debugging/split-brain': { runs: 4, hintsShown: 1 }, 'consensus/raft': { runs: 1, hintsShown: 0 } },
      quiz: {},
      checklist: {},
      challenges: { 'debugging/incident': { answers: { q1: 'no fencing' }, solvedAt: '2026-11-01' } },
    });
    expect(migrated.schemaVersion).toBe(3);
    expect(Object.keys(migrated.exercises).sort()).toEqual(['consensus/debugging/split-brain', 'consensus/raft']);
    expect(migrated.exercises['consensus/debugging/split-brain']).toEqual({ runs: 4, hintsShown: 1 });
    expect(migrated.challenges['consensus/debugging/incident']).toEqual({ answers: { q1: 'no fencing' }, solvedAt: '2026-11-01' });
  });

  it('refuses a count out of its range, naming the field and the range', () => {
    const hints = allExercises().find((e) => e.id === 'consensus/raft')!.hints.length;
    const withRaft = (entry: object): object => ({ schemaVersion: SCHEMA_VERSION, exercises: { 'consensus/raft': { runs: 1, hintsShown: 0, ...entry } } });
    expect(() => migrate(withRaft({ hintsShown: -5 }))).toThrow(`exercise "consensus/raft": hintsShown is -5, but it should be a whole number from 0 to ${hints} (the exercise's hint count)`);
    expect(() => migrate(withRaft({ hintsShown: hints + 1 }))).toThrow(/hintsShown is \d+, but it should be a whole number from 0 to/);
    expect(() => migrate(withRaft({ runs: 1.5 }))).toThrow('exercise "consensus/raft": runs is 1.5, but it should be a whole number from 0 up');
    expect(() => migrate(withRaft({ lastRun: { at: 'x', seed: 1, passed: 7, total: 6, pass: false } }))).toThrow('exercise "consensus/raft" lastRun: passed is 7, but it should be a whole number from 0 to 6 (its total)');
    expect(() => migrate({ schemaVersion: SCHEMA_VERSION, quiz: { q: { history: [], box: -1 } } })).toThrow('quiz item "q": box is -1, but it should be a whole number from 0 to');
    // An exercise the workbook no longer has keeps its count: only the lower bound is known.
    expect(migrate({ schemaVersion: SCHEMA_VERSION, exercises: { 'gone/exercise': { runs: 3, hintsShown: 9 } } }).exercises['gone/exercise']).toEqual({ runs: 3, hintsShown: 9 });
    expect(() => migrate({ schemaVersion: SCHEMA_VERSION, exercises: { 'gone/exercise': { runs: 3, hintsShown: -1 } } })).toThrow(ProgressShapeError);
  });

  it('keeps a hand-edited file with a count out of range aside, unchanged, with exit 3 and the field named', () => {
    const text = JSON.stringify({ schemaVersion: SCHEMA_VERSION, exercises: { 'consensus/raft': { runs: 2, hintsShown: -5 } } });
    const error = readCorrupt(text);
    expect(error.exitCode).toBe(EXIT.progress);
    expect(error.message).toContain('exercise "consensus/raft": hintsShown is -5');
    expect(fs.readFileSync(error.keptAt, 'utf8')).toBe(text);
    expect(fs.existsSync(progressPath(root))).toBe(false);
  });

  it('refuses a file from a newer workbook rather than guessing', () => {
    expect(() => migrate({ schemaVersion: SCHEMA_VERSION + 1 })).toThrow(ProgressShapeError);
  });
});
