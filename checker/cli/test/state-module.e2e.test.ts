import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

// The state module's quiz and challenges through the CLI, the way a script drives them.
describe('state module: quiz, review, journal, challenges and scorecard', () => {
  let wb: FixtureWorkbook;
  const progress = () => JSON.parse(wb.read('workbook-progress.json'));
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('grades Gauntlet 2 numbers and decide items, and schedules a miss for the next day', async () => {
    wb.write('answers.json', JSON.stringify({
      'st-g2-fix-w': '4',
      'st-g2-min-up': '2',
      'st-core-pbft': 'three',
      'st-decide-crdt-list': 'OR-Set (with the bought flag as a per-item register)',
      'st-g1-quorum': 'R + W > N',
      'st-prime-cap': { answer: 'during a partition you pick one', rating: 'partly' },
      'st-cert-cap': 'got-it',
    }));
    const run = await wb.cli(['quiz', 'state', '--answers', wb.file('answers.json'), '--today', '2026-11-30', '--json']);
    expect(run.code).toBe(0);
    const saved = progress().quiz;
    expect(saved['st-g2-fix-w'].history.at(-1).outcome).toBe('correct');
    expect(saved['st-g2-min-up'].history.at(-1).outcome).toBe('incorrect');
    expect(saved['st-core-pbft'].history.at(-1).outcome).toBe('correct');
    expect(saved['st-decide-crdt-list'].history.at(-1).outcome).toBe('correct');
    expect(saved['st-g1-quorum'].history.at(-1).outcome).toBe('correct');
    const tomorrow = JSON.parse((await wb.cli(['review', '--today', '2026-12-01', '--json'])).stdout);
    expect(tomorrow.pending.map((i: { id: string }) => i.id)).toContain('st-g2-min-up');
  });

  it('the journal shows the state quiz with the answers given', async () => {
    const run = await wb.cli(['journal', 'state']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('State distribution');
    expect(run.stdout).toContain('during a partition you pick one');
  });

  it('a challenge fixed with the reference passes and shows the model answer; an unfixed one fails', async () => {
    wb.write('exercises/state/debugging/or-set-remove.ts', wb.read('solutions/state/debugging/or-set-remove.ts'));
    const fixed = await wb.cli(['challenge', 'state/5', '--quiet']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('Fixed. The model answer:');
    expect(progress().challenges['state/debugging/or-set-remove'].solvedAt).toBeDefined();
    const unfixed = await wb.cli(['challenge', 'state/1', '--quiet']);
    expect(unfixed.code).toBe(1);
    expect(unfixed.stdout).toContain('Seed');
  });

  it('scorecard state counts the module\'s own challenges and certification', async () => {
    const run = await wb.cli(['scorecard', 'state', '--runs', '5', '--json']);
    expect(run.code).toBe(0);
    const card = JSON.parse(run.stdout) as {
      debugging: { solved: { done: number; total: number }; bugsFixed: { done: number; total: number } };
      certification: { outOf: number; score: number };
    };
    expect(card.debugging.solved).toEqual({ done: 1, total: 5 });
    expect(card.debugging.bugsFixed).toEqual({ done: 1, total: 5 });
    expect(card.certification).toMatchObject({ outOf: 10, score: 1 });
  });
});
