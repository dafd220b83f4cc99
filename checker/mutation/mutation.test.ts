import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { allExercises } from '../manifest/index.ts';
import { pinActiveMutant } from './pin-mutant.ts';
import { loadRecord, notGradedFromLine, scopeLines, scoreExercise, type MutantOutcome } from './score.ts';

// The pure parts of `npm run mutation` (the run itself grades hundreds of mutants and is not part
// of `npm test`): pinning the active mutant, scoring, and the reviewed equivalence records.

const ROOT = path.resolve(import.meta.dirname, '..', '..');

// The shape Stryker 9's instrumenter prepends, cut down to what pinning reads.
const INSTRUMENTED = `function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  return ns;
}
function stryMutAct_9fa48(id) { return stryNS_9fa48().activeMutant === id; }
export const answer = stryMutAct_9fa48("7") ? 41 : 42;
`;

describe('pinActiveMutant', () => {
  it('writes the active mutant into the file, so it needs neither process nor the global', async () => {
    const pinned = pinActiveMutant(INSTRUMENTED, '7');
    expect(typeof pinned).toBe('string');
    expect(pinned).not.toContain('g.__stryker__ ||');
    const module = (await import(`data:text/javascript,${encodeURIComponent(pinned as string)}`)) as { answer: number };
    expect(module.answer).toBe(41);
  });

  it('works with no process and no usable global (as in an isolated compartment)', () => {
    // A context with no process, whose global refuses any use of __stryker__ (strict mode, like a module).
    const run = (source: string): number => {
      const out: { answer?: number } = {};
      const context = vm.createContext({ out });
      vm.runInContext("Object.defineProperty(globalThis, '__stryker__', { get() { throw new Error('no access'); }, set() { throw new Error('no access'); } });", context);
      vm.runInContext(`'use strict';\n${source.replace('export const answer =', 'out.answer =')}`, context);
      return out.answer!;
    };
    // Unpinned, the helper reads and writes __stryker__ on the global, which throws here.
    expect(() => run(INSTRUMENTED)).toThrow();
    expect(run(pinActiveMutant(INSTRUMENTED, '7') as string)).toBe(41);
  });

  it('never looks in process.env, even for "no mutant" (graded code may not touch process)', () => {
    const run = (source: string): number => {
      const out: { answer?: number } = {};
      const process = { get env(): never { throw new Error('tried to use process.env'); } };
      const context = vm.createContext({ out, process });
      vm.runInContext(`'use strict';\n${source.replace('export const answer =', 'out.answer =')}`, context);
      return out.answer!;
    };
    expect(() => run(INSTRUMENTED)).toThrow('process.env');
    expect(run(pinActiveMutant(INSTRUMENTED, undefined) as string)).toBe(42);
    expect(run(pinActiveMutant(INSTRUMENTED, '7') as string)).toBe(41);
  });

  it('pins "no mutant" for the first run', async () => {
    const module = (await import(`data:text/javascript,${encodeURIComponent(pinActiveMutant(INSTRUMENTED, undefined) as string)}#none`)) as { answer: number };
    expect(module.answer).toBe(42);
  });

  it('refuses a file that is not instrumented, or an id with no switch', () => {
    expect(pinActiveMutant('export const x = 1;', '1')).toHaveProperty('problem');
    expect(pinActiveMutant(INSTRUMENTED, '8')).toHaveProperty('problem');
  });
});

const outcome = (over: Partial<MutantOutcome>): MutantOutcome => ({
  id: '1', mutator: 'EqualityOperator', original: 'a > b', replacement: 'a >= b', line: 3, code: 'if (a > b) return;', status: 'Survived', ...over,
});

describe('scoreExercise', () => {
  it('scores detected / (valid - recorded equivalent) and lists what is left to review', () => {
    const outcomes = [
      outcome({ id: '1', status: 'Killed' }),
      outcome({ id: '2', status: 'Timeout' }),
      outcome({ id: '3', status: 'CompileError' }),
      outcome({ id: '4' }),
      outcome({ id: '5', replacement: 'a < b' }),
    ];
    const record = { mutator: 'EqualityOperator', code: 'if (a > b) return;', original: 'a > b', replacement: 'a >= b', reason: 'r' };
    const stale = { ...record, code: 'gone();' };
    const score = scoreExercise('x', outcomes, [record, stale]);
    expect(score).toMatchObject({ total: 5, killed: 1, timeout: 1, invalid: 1, survived: 2, equivalent: 1 });
    expect(score.score).toBeCloseTo(2 / 3);
    expect(score.unexplained.map((m) => m.id)).toEqual(['5']);
    expect(score.stale).toEqual([stale]);
  });

  it('counts the kills only a later exercise\'s grader on the same file made', () => {
    const score = scoreExercise('x', [outcome({ id: '1', status: 'Killed' }), outcome({ id: '2', status: 'Killed', killedElsewhere: 'raft/replication' })], []);
    expect(score).toMatchObject({ killed: 2, killedElsewhere: 1, score: 1 });
  });

  it('lets one record explain one mutant only', () => {
    const record = { mutator: 'EqualityOperator', code: 'if (a > b) return;', original: 'a > b', replacement: 'a >= b', reason: 'r' };
    const score = scoreExercise('x', [outcome({ id: '1' }), outcome({ id: '2' })], [record]);
    expect(score.equivalent).toBe(1);
    expect(score.unexplained).toHaveLength(1);
  });
});

describe('reviewed records', () => {
  for (const entry of allExercises()) {
    const file = path.join(ROOT, entry.variants, 'equivalent-mutants.json');
    if (!fs.existsSync(file)) continue;
    it(`${entry.id}: every record has a reason, and the demo start line and the scope's functions, if named, exist in the solution`, () => {
      const record = loadRecord(ROOT, entry);
      for (const m of record.mutants) expect(m.reason.trim()).not.toBe("");
      const source = fs.readFileSync(path.join(ROOT, 'solutions', entry.file), 'utf8');
      const from = notGradedFromLine(source, record.notGraded);
      if (record.notGraded) expect(from).toBeGreaterThan(1);
      if (record.scope) expect(scopeLines(source, record.scope.functions).length).toBeGreaterThanOrEqual(record.scope.functions.length);
    });
  }

  it('no two raft exercises mutate the same function of the file they share', () => {
    const scoped = allExercises().filter((e) => e.id.startsWith('raft/') && !e.id.includes('/debugging/')).map((e) => loadRecord(ROOT, e).scope?.functions ?? []);
    const all = scoped.flat();
    expect(scoped.every((functions) => functions.length > 0)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('scopeLines', () => {
  const source = [
    'export class Node {',
    '  constructor() {',
    '    this.x = 1;',
    '  }',
    '  tick(): void {',
    '    this.x++;',
    '  }',
    '  private other(): number {',
    '    return 2;',
    '  }',
    '}',
    'function helper(): void {}',
  ].join('\n');

  it('gives the lines of the named functions and methods, in file order', () => {
    expect(scopeLines(source, ['helper', 'tick', 'constructor'])).toEqual([{ start: 2, end: 4 }, { start: 5, end: 7 }, { start: 12, end: 12 }]);
  });

  it('names a function it cannot find, so a renamed method is noticed', () => {
    expect(() => scopeLines(source, ['tick', 'tock'])).toThrow(/"tock", not found/);
  });
});
