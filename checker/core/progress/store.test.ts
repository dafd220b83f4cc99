import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/command.ts';
import { emptyProgress, migrate, ProgressShapeError, SCHEMA_VERSION } from './schema.ts';
import { ProgressBusyError, ProgressCorruptError, progressPath, readProgress, updateProgress } from './store.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('progress store', () => {
  it('reads a missing file as empty progress', () => {
    expect(readProgress(root)).toEqual(emptyProgress());
  });

  it('writes atomically: no temporary file is left and the result reads back', async () => {
    await updateProgress(root, (p) => void (p.checklist['implementation'] = true));
    expect(readProgress(root).checklist).toEqual({ implementation: true });
    expect(fs.readdirSync(root)).toEqual(['workbook-progress.json']);
  });

  it('leaves the previous state intact when a write dies before the rename', async () => {
    await updateProgress(root, (p) => void (p.checklist['a'] = true));
    // What a kill mid-write leaves behind: a half-written temporary file beside the real one.
    fs.writeFileSync(`${progressPath(root)}.999.1.tmp`, '{"schemaVersion": 2, "exerc');
    expect(readProgress(root).checklist).toEqual({ a: true });
  });

  it('does not lose updates made concurrently', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => updateProgress(root, (p) => void (p.checklist[`item-${i}`] = true))),
    );
    expect(Object.keys(readProgress(root).checklist)).toHaveLength(20);
  });

  it('keeps a corrupt file aside under a new name and says where', () => {
    fs.writeFileSync(progressPath(root), '{ not json');
    let caught: unknown;
    try {
      readProgress(root);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProgressCorruptError);
    const error = caught as ProgressCorruptError;
    expect(error.exitCode).toBe(EXIT.progress);
    expect(fs.readFileSync(error.keptAt, 'utf8')).toBe('{ not json');
    expect(error.message).toContain(path.basename(error.keptAt));
    expect(fs.existsSync(progressPath(root))).toBe(false);
  });

  it('treats a hand-edited file with the wrong shape as corrupt, not as empty', () => {
    fs.writeFileSync(progressPath(root), JSON.stringify({ schemaVersion: 2, exercises: { 'consensus/raft': { runs: 'many' } } }));
    expect(() => readProgress(root)).toThrow(/exercise "consensus\/raft" should have numeric runs/);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const lock = `${progressPath(root)}.lock`;
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), '999999');
    await updateProgress(root, (p) => void (p.checklist['x'] = true));
    expect(readProgress(root).checklist).toEqual({ x: true });
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('gives up with a busy error while a live process holds the lock', async () => {
    const lock = `${progressPath(root)}.lock`;
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    await expect(updateProgress(root, () => undefined)).rejects.toBeInstanceOf(ProgressBusyError);
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

  it('refuses a file from a newer workbook rather than guessing', () => {
    expect(() => migrate({ schemaVersion: SCHEMA_VERSION + 1 })).toThrow(ProgressShapeError);
  });
});
