import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sameShown, show } from './grader.ts';

/**
 * sameShown decides some comparisons without rendering; it must agree with comparing renderings
 * everywhere, including the values where the shortcut does not apply.
 */
const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.boolean(), fc.integer({ min: -2, max: 2 }), fc.constantFrom(0, -0, NaN, Infinity, null, undefined, 1n, '1', 'true', 'null'));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.array(fc.array(scalar, { maxLength: 2 }), { maxLength: 2 }), fc.dictionary(fc.constantFrom('a', 'b'), scalar));

/** The result, or that it threw: show() itself throws on some values (a BigInt in a null-prototype object). */
function outcome(compute: () => boolean): boolean | 'threw' {
  try {
    return compute();
  } catch {
    return 'threw';
  }
}

describe('sameShown', () => {
  it('agrees with show(a) === show(b) on scalars, arrays, nested arrays and objects', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(outcome(() => sameShown(a, b))).toBe(outcome(() => show(a) === show(b)));
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('agrees on the cases the shortcut must leave to show()', () => {
    const withToJSON = Object.assign(['x'], { toJSON: () => ['y'] });
    const subclassed = new (class extends Array<string> {})();
    subclassed.push('y');
    const cases: [unknown, unknown][] = [
      [withToJSON, ['y']],
      [withToJSON, ['x']],
      [subclassed, ['y']],
      [[, 'a'], [null, 'a']], // a hole renders as null
      [['a,b', 1n], ['a', ['b', 1n]]], // JSON fails on BigInt; show() falls back to String(), where these agree
      [0, -0],
      [[0], [-0]],
      [NaN, null],
      [[NaN], [null]],
      [new Set(['a']), ['a']],
      [new Map([['a', 1]]), { a: 1 }],
      [1, '1'],
      [['1'], [1]],
      [[true], ['true']],
      [undefined, 'undefined'],
      [[undefined], [null]],
    ];
    for (const [a, b] of cases) expect(sameShown(a, b), `${show(a)} vs ${show(b)}`).toBe(show(a) === show(b));
  });
});
