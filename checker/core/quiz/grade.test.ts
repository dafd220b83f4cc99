import { describe, it, expect } from 'vitest';
import { classifyGrowth, gradeResponse, normaliseAnswer, readNumber, responseProblem } from './grade.ts';
import type { QuizItem } from './types.ts';

const base: QuizItem = { id: 'x', kind: 'single', title: 't', section: 's', tests: [], phase: 'any', prompt: 'p', options: [], accept: [], tolerance: 0, answer: 'a', line: 1 };
const choice = (kind: 'single' | 'multiple', correct: string[]): QuizItem => ({
  ...base, kind, options: ['R + W > N', 'R + W = N', 'R = W = majority', 'R = N, W = 1'].map((text, i) => ({ key: 'abcd'[i]!, text, correct: correct.includes('abcd'[i]!) })),
});

describe('grading', () => {
  it('multiple choice needs exactly the correct set, by key or by text', () => {
    const q = choice('multiple', ['a', 'c', 'd']);
    expect(gradeResponse(q, ['a', 'c', 'd'])).toBe('correct');
    expect(gradeResponse(q, 'd, a, c')).toBe('correct');
    expect(gradeResponse(q, ['R + W > N', 'r = w = majority', 'd'])).toBe('correct');
    expect(gradeResponse(q, ['a'])).toBe('incorrect');
    expect(gradeResponse(q, ['a', 'b', 'c', 'd'])).toBe('incorrect');
  });
  it('single choice rejects two picks and unknown options before grading', () => {
    const q = choice('single', ['a']);
    expect(responseProblem(q, ['a', 'b'])).toMatch(/exactly one/);
    expect(responseProblem(q, 'z')).toMatch(/unknown option/);
    expect(gradeResponse(q, 'a')).toBe('correct');
  });
  it('numeric answers accept digits, words and a number inside a sentence', () => {
    const q: QuizItem = { ...base, kind: 'numeric', accept: ['2'] };
    for (const a of ['2', 'two', '2 leaders', ' Two ']) expect(gradeResponse(q, a)).toBe('correct');
    expect(gradeResponse(q, '1')).toBe('incorrect');
    expect(readNumber('none')).toBeUndefined();
    expect(responseProblem(q, 'none')).toBe('give a number');
  });
  it('short answers compare after normalising case, hyphens and punctuation', () => {
    const q: QuizItem = { ...base, kind: 'short', accept: ['4-node side'] };
    expect(normaliseAnswer('The 4-Node side.')).toBe('the 4 node side');
    expect(gradeResponse(q, '4 NODE side!')).toBe('correct');
    expect(gradeResponse(q, '3-node side')).toBe('incorrect');
  });
  it('refuses to auto-grade self-rated kinds', () => {
    expect(() => gradeResponse({ ...base, kind: 'free' }, 'x')).toThrow(/graded by the learner/);
  });
});

describe('classifyGrowth', () => {
  const at = (f: (n: number) => number) => [5, 10, 20, 40].map((n) => ({ n, messages: f(n) }));
  it('tells flat, linear and quadratic counts apart', () => {
    expect(classifyGrowth(at(() => 4))).toBe('O(1)');
    expect(classifyGrowth(at((n) => 2 * (n - 1)))).toBe('O(N)');
    expect(classifyGrowth(at((n) => (n * (n - 1)) / 2 + n - 1))).toBe('O(N²)');
    expect(classifyGrowth([{ n: 5, messages: 3 }])).toBe('unknown');
  });
});
