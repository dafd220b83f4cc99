import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

// The workbook half of the CLI, driven the way a script would: answers from files, --json out.
describe('quiz, review, journal, scorecard and challenges without a terminal', () => {
  let wb: FixtureWorkbook;
  const progress = () => JSON.parse(wb.read('workbook-progress.json'));
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('without a TTY, quiz lists what is pending and waits for nothing', async () => {
    const run = await wb.cli(['quiz', '--before', '--json']);
    expect(run.code).toBe(0);
    const pending = JSON.parse(run.stdout).pending as { id: string; stage: string }[];
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((item) => item.stage === 'predict')).toBe(true);
  });

  it('grades answers from a file, saves them, and schedules a miss for review the next day', async () => {
    wb.write('answers.json', JSON.stringify({ 'calc7-naive': '1', 'tradeoff-quorum-rule': ['R + W > N', 'R = W = majority of N', 'R = N, W = 1'] }));
    const run = await wb.cli(['quiz', '--answers', wb.file('answers.json'), '--today', '2026-11-26', '--json']);
    expect(run.code).toBe(0);
    const saved = progress().quiz;
    expect(saved['calc7-naive'].history.at(-1).outcome).toBe('incorrect');
    expect(saved['tradeoff-quorum-rule'].history.at(-1).outcome).toBe('correct');
    const today = JSON.parse((await wb.cli(['review', '--today', '2026-11-26', '--json'])).stdout);
    expect(today.pending.map((i: { id: string }) => i.id)).not.toContain('calc7-naive');
    const tomorrow = JSON.parse((await wb.cli(['review', '--today', '2026-11-27', '--json'])).stdout);
    expect(tomorrow.pending.map((i: { id: string }) => i.id)).toContain('calc7-naive');
  });

  it('rejects a bad answers file whole, saving nothing, with exit code 2', async () => {
    const before = wb.read('workbook-progress.json');
    wb.write('bad.json', JSON.stringify({ 'calc7-majority': '1', 'no-such-item': 'x' }));
    const run = await wb.cli(['quiz', '--answers', wb.file('bad.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no-such-item');
    expect(wb.read('workbook-progress.json')).toBe(before);
  });

  it('writes the journal as an HTML page with the learner answers escaped', async () => {
    wb.write('free.json', JSON.stringify({ 'eli5-consensus': { answer: 'machines <agree> & stick to it', rating: 'partly' } }));
    expect((await wb.cli(['quiz', '--answers', wb.file('free.json')])).code).toBe(0);
    const run = await wb.cli(['journal', '--html', wb.file('journal.html')]);
    expect(run.code).toBe(0);
    const html = wb.read('journal.html');
    expect(html).toContain('machines &lt;agree&gt; &amp; stick to it');
    expect(html).not.toContain('<agree>');
  });

  it('scorecard grades for real: a copied solution counts, progress claims do not', async () => {
    const data = progress();
    // A hand-edited claim that raft passes must not reach the scorecard.
    data.exercises['consensus/raft'] = { runs: 1, hintsShown: 0, lastRun: { at: '2026-11-26T00:00:00Z', seed: 1, passed: 99, total: 99, pass: true } };
    fs.writeFileSync(wb.file('workbook-progress.json'), JSON.stringify(data));
    wb.write('exercises/consensus/debugging/lost-commits.ts', wb.read('solutions/consensus/debugging/lost-commits.ts'));
    const run = await wb.cli(['scorecard', '--runs', '5', '--json']);
    expect(run.code).toBe(0);
    const card = JSON.parse(run.stdout) as {
      patterns: { id: string; requirements: { done: number; total: number }; passing: boolean }[];
      debugging: { solved: { done: number; total: number }; bugsFixed: { done: number; total: number } };
    };
    const raft = card.patterns.find((p) => p.id === 'consensus/raft')!;
    expect(raft.passing).toBe(false);
    expect(raft.requirements.done).toBeLessThan(raft.requirements.total);
    expect(card.debugging.solved).toEqual({ done: 1, total: 7 });
    expect(card.debugging.bugsFixed).toEqual({ done: 1, total: 7 });
  });

  it('a fixed challenge passes, records the answers given and reveals the model answer', async () => {
    wb.write('notes.json', JSON.stringify({ q1: 'the leader forgot itself' }));
    const run = await wb.cli(['challenge', '2', '--answers', wb.file('notes.json'), '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Fixed. The model answer:');
    expect(progress().challenges['consensus/debugging/lost-commits']).toMatchObject({ answers: { q1: 'the leader forgot itself' }, answerRevealed: true });
    expect(progress().challenges['consensus/debugging/lost-commits'].solvedAt).toBeDefined();
  });

  it('an unfixed challenge fails with exit 1 and keeps the model answer hidden unless asked', async () => {
    const run = await wb.cli(['challenge', '1', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('model answer:');
    const revealed = await wb.cli(['challenge', '1', '--quiet', '--reveal']);
    expect(revealed.code).toBe(1);
    expect(revealed.stdout).toContain('The model answer (revealed on request):');
  });

  it('the before/after demo prints the leaders each approach elects', async () => {
    const run = await wb.cli(['demo', 'split-brain']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/7 nodes/);
  });
});

