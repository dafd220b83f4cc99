import { describe, expect, it } from 'vitest';
import { collapseStacks } from './locate.ts';

describe('collapseStacks', () => {
  const target = '/home/teacher/workbook/exercises/raft/raft-node.ts';
  const stack = [
    'Error: where',
    `    at RaftNode.tick (${target}:12:5)`,
    '    at Object.check (file:///home/teacher/workbook/.workbook/build/graders/election.grader.0123.mjs:36:32)',
    '    at runRequirement (file:///home/teacher/workbook/.workbook/build/engine/grading.4567.mjs:728:25)',
    '    at new Promise (<anonymous>)',
    `    at async ${target}:40:1`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n');

  it("keeps the learner's frames and folds each run of other frames into one line", () => {
    expect(collapseStacks(stack, target)).toBe(
      ['Error: where', `    at RaftNode.tick (${target}:12:5)`, '    … in the grader', `    at (${target}:40:1)`, '    … in the grader'].join('\n'),
    );
  });

  it('leaves text that only looks like a frame alone', () => {
    const text = 'at noon the leader stepped down\n  at most one leader per term';
    expect(collapseStacks(text, target)).toBe(text);
  });
});
