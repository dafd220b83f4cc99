import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LAST_STEP_EXPRESSION, signalStep } from './progress-signal.ts';

// What the parent reads through the inspector (stuck.ts), evaluated here in-process.
const lastStep = (): unknown => vm.runInThisContext(LAST_STEP_EXPRESSION);

describe('last step', () => {
  it('reads back the last step begun, ASCII or not, and a long step cut short', () => {
    signalStep('node 2 times out and runs for term 3');
    expect(lastStep()).toBe('node 2 times out and runs for term 3');
    signalStep('the client writes "café" → node 1');
    expect(lastStep()).toBe('the client writes "café" → node 1');
    signalStep('x'.repeat(2000));
    expect(lastStep()).toBe(`${'x'.repeat(340)}…`);
  });
});
