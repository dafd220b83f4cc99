import { describe, it, expect } from 'vitest';
import type { GradeResult, RequirementResult } from '../engine/results.ts';
import { describeRequirement, toGradescope } from './gradescope.ts';

const req = (id: string, status: RequirementResult['status'], extra: Partial<RequirementResult> = {}): RequirementResult => ({
  id,
  title: `title of ${id}`,
  kind: 'safety',
  randomised: false,
  status,
  ...extra,
});

const result = (exerciseId: string, requirements: RequirementResult[], extra: Partial<GradeResult> = {}): GradeResult => ({
  exerciseId,
  target: `alice/exercises/${exerciseId}.ts`,
  seed: 42,
  runs: 500,
  requirements,
  ...extra,
});

describe('toGradescope', () => {
  it('gives one test per requirement, one point each, and sums the score', () => {
    const out = toGradescope('alice', [
      result('consensus/raft', [
        req('a', 'passed'),
        req('b', 'failed', { report: { steps: ['5 nodes', 'node 1 crashes'], expected: 'a new leader', actual: 'none' } }),
      ]),
      result('consensus/quorum', [req('c', 'passed')]),
    ]);
    expect(out.score).toBe(2);
    expect(out.max_score).toBe(3);
    expect(out.tests.map((t) => [t.name, t.number, t.score, t.max_score, t.status])).toEqual([
      ['consensus/raft: title of a', '1.1', 1, 1, 'passed'],
      ['consensus/raft: title of b', '1.2', 0, 1, 'failed'],
      ['consensus/quorum: title of c', '2.1', 1, 1, 'passed'],
    ]);
    expect(out.tests[1]!.output).toContain('node 1 crashes');
    expect(out.tests[1]!.output).toContain('Expected: a new leader');
    expect(out.tests.every((t) => t.visibility === 'visible')).toBe(true);
    expect(out.extra_data).toEqual({ learner: 'alice', seed: 42, runs: 500 });
  });

  it('scores crashed, timed-out and not-run requirements as failed with the reason', () => {
    const out = toGradescope('bob', [
      result('consensus/raft', [
        req('a', 'crashed', { problem: { kind: 'exception', message: 'TypeError: x is undefined', location: { file: 'f.ts', line: 3, column: 7 } } }),
        req('b', 'timed-out', { problem: { kind: 'timeout', message: 'this check did not finish' } }),
        req('c', 'not-run'),
      ]),
    ]);
    expect(out.score).toBe(0);
    expect(out.tests.map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    expect(out.tests[0]!.output).toContain('f.ts:3:7');
    expect(out.tests[1]!.output).toContain('did not finish');
  });

  it('keeps the total when a file did not load, and says why in the top-level output', () => {
    const loadProblem = { kind: 'syntax' as const, message: 'syntax error: Unexpected ";"', location: { file: 'x.ts', line: 9, column: 2 } };
    const out = toGradescope('carol', [result('consensus/raft', [req('a', 'not-run'), req('b', 'not-run')], { loadProblem })]);
    expect(out.max_score).toBe(2);
    expect(out.score).toBe(0);
    expect(out.output).toContain('x.ts:9:2');
    expect(out.tests[0]!.output).toContain('could not be loaded');
  });

  it('turns a result with no requirement at all into one failing test', () => {
    const out = toGradescope('dan', [result('consensus/raft', [], { loadProblem: { kind: 'load', message: 'missing' } })], {
      pointsPerRequirement: 2,
      visibility: 'after_due_date',
    });
    expect(out.tests).toHaveLength(1);
    expect(out.tests[0]).toMatchObject({ score: 0, max_score: 2, status: 'failed', visibility: 'after_due_date' });
    expect(out.max_score).toBe(2);
  });

  it('is JSON-serialisable and deterministic', () => {
    const input = [result('consensus/raft', [req('a', 'passed', { output: ['hello'] })])];
    expect(JSON.parse(JSON.stringify(toGradescope('e', input)))).toEqual(toGradescope('e', input));
  });
});

describe('describeRequirement', () => {
  it('shows what the code printed beside a failure', () => {
    const text = describeRequirement(req('a', 'failed', { report: { steps: ['s'], expected: 'x', actual: 'y' }, output: ['Node 5 became LEADER'] }));
    expect(text).toContain('| Node 5 became LEADER');
  });
});
