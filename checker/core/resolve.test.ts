import { describe, expect, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { editDistance, resolveExercise, UnknownExerciseError } from './resolve.ts';

describe('resolveExercise', () => {
  it('accepts a full id, a bare name and a unique prefix', () => {
    expect(resolveExercise(manifest, 'consensus/raft').id).toBe('consensus/raft');
    expect(resolveExercise(manifest, 'quorum').id).toBe('consensus/quorum');
    expect(resolveExercise(manifest, 'consensus/dist').id).toBe('consensus/distributed-lock');
    expect(resolveExercise(manifest, 'lead').id).toBe('consensus/leader-election');
  });

  it('refuses an ambiguous prefix and lists the candidates', () => {
    expect(() => resolveExercise(manifest, 'l')).toThrow(/Ambiguous exercise "l".*consensus\/leader-election.*debugging\/lost-commits/);
  });

  it('never silently picks a challenge for a word of a pattern: `lock` lists the lock pattern and the lock challenge', () => {
    let caught: unknown;
    try {
      resolveExercise(manifest, 'lock');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownExerciseError);
    expect((caught as UnknownExerciseError).exitCode).toBe(2);
    expect((caught as UnknownExerciseError).suggestions).toEqual(['consensus/distributed-lock', 'consensus/debugging/lock-deadlock']);
    expect(resolveExercise(manifest, 'lock-dead').id).toBe('consensus/debugging/lock-deadlock');
    expect(resolveExercise(manifest, 'split-brain').id).toBe('consensus/debugging/split-brain');
  });

  it('suggests the nearest id on a typo, with exit code 2', () => {
    let caught: unknown;
    try {
      resolveExercise(manifest, 'qourum');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownExerciseError);
    expect((caught as UnknownExerciseError).exitCode).toBe(2);
    expect((caught as UnknownExerciseError).suggestions).toEqual(['consensus/quorum']);
  });

  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
