import { describe, expect, it } from 'vitest';
import { renderGradeResult } from './verdict.ts';

describe('renderGradeResult', () => {
  it("shows the code frame of a load error with the learner's control characters and bidi overrides inert", () => {
    const source = "export const a = 1;\nexport const b = '\x1b[2J\x1b]0;owned\x07\u202e' +;\nexport const c = 3;\n";
    const text = renderGradeResult(
      { exerciseId: 'test/adder', target: 'adder.ts', seed: 1, runs: 1, requirements: [], loadProblem: { kind: 'syntax', message: 'Unexpected ";"', location: { file: 'adder.ts', line: 2, column: 30 } } },
      { color: false, readSource: () => source },
    );
    expect(text).toContain("> 2 | export const b = '\\x1b[2J\\x1b]0;owned\\x07\\u202e' +;");
    expect(text).not.toMatch(/[\x1b\x07\u202e]/);
  });
});
