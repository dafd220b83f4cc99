import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { copyData } from './copy.ts';

/** structuredClone's result or its error, to compare copyData against. */
function outcome(copy: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: copy() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe('copyData: structuredClone, made fast for plain data', () => {
  it('gives what structuredClone gives for any JSON-like value, and never the value itself', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = copyData(value);
        expect(isDeepStrictEqual(copy, structuredClone(value))).toBe(true);
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('copies deeply: changing the original afterwards leaves the copy alone', () => {
    const message = { type: 'AppendEntries', entries: [{ index: 1, term: 1, command: 'x' }], meta: { nested: [1, [2, 3]] } };
    const copy = copyData(message);
    message.entries[0]!.command = 'changed';
    message.entries.push({ index: 2, term: 1, command: 'y' });
    (message.meta.nested[1] as number[]).push(4);
    expect(copy).toEqual({ type: 'AppendEntries', entries: [{ index: 1, term: 1, command: 'x' }], meta: { nested: [1, [2, 3]] } });
  });

  it('hands everything that is not plain data to structuredClone: same result, same errors', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const holey = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const named = Object.assign([1, 2], { extra: 'x' });
    const protoKey = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    class Message { constructor(readonly term = 3) {} }
    let deep: unknown = 'bottom';
    for (let i = 0; i < 500; i++) deep = [deep];
    const values: unknown[] = [
      { pair: [shared, shared] }, cyclic, holey, named, protoKey, new Message(), new Map([[1, { a: 2 }]]), new Set([1]),
      new Date(5), Object.create(null) as unknown, { when: new Date(7) }, deep, [undefined, null, -0, 1n, 'x', true],
      { f: () => 1 }, [Symbol('s')], () => 1, Symbol('t'), new Proxy({ a: 1 }, {}), { inner: new Proxy([1], {}) },
    ];
    values.forEach((value, i) => {
      const mine = outcome(() => copyData(value));
      const theirs = outcome(() => structuredClone(value));
      expect(isDeepStrictEqual(mine, theirs), `value ${i}`).toBe(true);
    });
    // Sharing and cycles are kept, as structuredClone keeps them.
    const copied = copyData({ pair: [shared, shared] });
    expect(copied.pair[0]).toBe(copied.pair[1]);
    const copiedCycle = copyData(cyclic);
    expect(copiedCycle.self).toBe(copiedCycle);
  });
});
