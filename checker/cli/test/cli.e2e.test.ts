import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkbook, type FixtureWorkbook } from './fixture.ts';

const LEADER = 'exercises/consensus/leader-election.ts';

describe('npm run exercise, end to end on a fixture workbook', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('without a TTY, the menu prints progress and the next step and exits 0', async () => {
    const run = await wb.cli([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Next: Leader election (Bully)');
    expect(run.stdout).toContain('npm run exercise -- run consensus/leader-election');
  });

  it('grades the untouched stub as failing, with scenarios, the seed and a replay command', async () => {
    const run = await wb.cli(['run', 'leader', '--seed', '99']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ .+\n\s+Scenario:/);
    expect(run.stdout).toContain('Seed 99. Replay exactly this run: npm run exercise -- run consensus/leader-election --seed 99');
    expect(run.stdout).not.toMatch(/at .*checker\/engine/);
    const progress = JSON.parse(wb.read('workbook-progress.json'));
    expect(progress.exercises['consensus/leader-election']).toMatchObject({ runs: 1, lastRun: { pass: false, seed: 99 } });
  });

  it('passes the reference solution copied into the exercise and reports message counts beside the prediction', async () => {
    wb.write('prediction.json', JSON.stringify({ 'predict-bully-messages': 'c' }));
    expect((await wb.cli(['quiz', '--answers', wb.file('prediction.json')])).code).toBe(0);
    const stub = wb.read(LEADER);
    wb.write(LEADER, wb.read('solutions/consensus/leader-election.ts'));
    const run = await wb.cli(['run', 'consensus/leader-election']);
    wb.write(LEADER, stub);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/All \d+ requirements met/);
    expect(run.stdout).toMatch(/N = 40\s+\d+ messages/);
    expect(run.stdout).toContain('Growth: O(N²)');
    expect(run.stdout).toContain('You predicted (Bully election: messages): O(N)');
  });

  it('with no prediction recorded, a passing run points to a quiz command that still asks the question', async () => {
    const file = 'exercises/consensus/quorum.ts';
    const stub = wb.read(file);
    wb.write(file, wb.read('solutions/consensus/quorum.ts'));
    const run = await wb.cli(['run', 'consensus/quorum']);
    wb.write(file, stub);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('`npm run exercise -- quiz --item predict-quorum-messages` asks the question now');
    expect(run.stdout).not.toContain('quiz --before');
    const pending = JSON.parse((await wb.cli(['quiz', '--item', 'predict-quorum-messages', '--json'])).stdout).pending;
    expect(pending).toEqual([expect.objectContaining({ id: 'predict-quorum-messages', stage: 'verify' })]);
    const before = await wb.cli(['quiz', '--before', '--item', 'predict-quorum-messages']);
    expect(before.stdout).toContain('No predictions left to make');
  });

  it('without an id, run grades the next exercise that does not pass yet', async () => {
    const next = JSON.parse((await wb.cli(['list', '--json'])).stdout).next as string;
    const run = await wb.cli(['run']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${next} — exercises/${next}.ts`);
  });

  it('refuses --only with a requirement id the grader does not have', async () => {
    const run = await wb.cli(['run', 'raft', '--only', 'no-such-requirement']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--only no-such-requirement matches no requirement of consensus/raft');
  });

  it("names the learner's file and line for a syntax error", async () => {
    const stub = wb.read(LEADER);
    wb.write(LEADER, `${stub}\nexport function broken( {\n`);
    const run = await wb.cli(['run', 'leader']);
    wb.write(LEADER, stub);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/could not be graded: syntax error: .+\(.*exercises\/consensus\/leader-election\.ts:\d+:\d+\)/);
    // A code frame: the learner's line, numbered, marked, with a caret under it.
    const line = Number(/leader-election\.ts:(\d+):/.exec(run.stdout)![1]);
    expect(run.stdout).toMatch(new RegExp(`> +${line} \\|.*`));
    expect(run.stdout).toMatch(/\n +\| +\^/);
    expect(run.stdout).toContain('export function broken( {');
  });

  it('names a missing export', async () => {
    const stub = wb.read(LEADER);
    wb.write(LEADER, stub.replace(/export class LeaderElection/, 'class LeaderElection'));
    const run = await wb.cli(['run', 'leader']);
    wb.write(LEADER, stub);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the file must export `LeaderElection`');
  });

  it('stops an infinite loop within the time limit and says so', async () => {
    const stub = wb.read(LEADER);
    const looping = stub.replace(/startElection\(nodeId: number\): void \{/, 'startElection(nodeId: number): void {\n    for (;;) {}');
    const loopLine = looping.split('\n').findIndex((line) => line.includes('for (;;) {}')) + 1;
    wb.write(LEADER, looping);
    const run = await wb.cli(['run', 'leader', '--only', 'highest-live-id-wins'], { WORKBOOK_TIMEOUT_MS: '1500' });
    wb.write(LEADER, stub);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('did not finish within 1.5 s; it was stuck in this step: "node 17 calls startElection"');
    expect(run.stdout).toContain(`(exercises/consensus/leader-election.ts:${loopLine}:`);
  });

  it('bounds a verdict on a file that loops everywhere: the first loop gets the full guard, later ones less, then the rest are not run', async () => {
    const stub = wb.read(LEADER);
    wb.write(LEADER, stub.replace(/startElection\(nodeId: number\): void \{/, 'startElection(nodeId: number): void {\n    for (;;) {}'));
    // One lane, the checks one after another.
    const run = await wb.cli(['run', 'leader', '--json'], { WORKBOOK_TIMEOUT_MS: '2000', WORKBOOK_LANES: '1' });
    // Two lanes: a check looping beside the first starts with the full guard too, and the
    // loops on both lanes at once count once against the budget.
    const twoLanes = await wb.cli(['run', 'leader', '--json'], { WORKBOOK_TIMEOUT_MS: '2000', WORKBOOK_LANES: '2' });
    wb.write(LEADER, stub);
    const parse = (stdout: string) => JSON.parse(stdout) as { requirements: { status: string; problem?: { message: string } }[] };
    const guards = (stdout: string) =>
      parse(stdout)
        .requirements.filter((r) => r.status === 'timed-out')
        .map((r) => Number(r.problem!.message.match(/within ([\d.]+) s/)![1]));
    for (const stdout of [run.stdout, twoLanes.stdout]) {
      const skipped = parse(stdout).requirements.filter((r) => r.status === 'not-run');
      expect(skipped.length).toBeGreaterThan(0);
      for (const r of skipped) expect(r.problem!.message).toContain('not run: earlier checks already used up the time');
    }
    // A 2 s guard: 2 s for the first loop, 1 s for the next, and the 3 s budget is spent.
    expect(guards(run.stdout)).toEqual([2, 1]);
    const [first, ...beside] = guards(twoLanes.stdout);
    expect(first).toBe(2);
    expect(beside.length).toBeLessThanOrEqual(3);
    for (const guard of beside) expect(guard).toBeLessThanOrEqual(2);
  });

  it('runs a demo against the learner file, and stops one whose code loops forever', async () => {
    const ok = await wb.cli(['demo', 'leader', '--solution']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Initial election');
    const stub = wb.read(LEADER);
    wb.write(LEADER, stub.replace(/startElection\(nodeId: number\): void \{/, 'startElection(nodeId: number): void {\n    for (;;) {}'));
    const stuck = await wb.cli(['demo', 'leader'], { WORKBOOK_TIMEOUT_MS: '1500' });
    wb.write(LEADER, stub);
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toContain('The demo stopped: the demo made no progress for 1.5 s');
    expect(stuck.stderr).toMatch(/\(exercises\/consensus\/leader-election\.ts:\d+:\d+\)/);
  });

  it('rejects an unknown id with a suggestion and exit code 2', async () => {
    const run = await wb.cli(['run', 'qourum']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Did you mean: consensus/quorum?');
  });

  it('rejects an unknown command and an unknown flag with exit code 2', async () => {
    expect((await wb.cli(['frobnicate'])).code).toBe(2);
    const run = await wb.cli(['run', 'raft', '--sed', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run exercise -- run [id]');
  });

  it('gives hints progressively and never loses one when two CLIs run at once', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => wb.cli(['hint', 'raft', '--json'])));
    expect(runs.every((r) => r.code === 0)).toBe(true);
    const shown = runs.map((r) => JSON.parse(r.stdout).shown).sort();
    const total = JSON.parse(runs[0]!.stdout).total as number;
    expect(shown).toEqual([1, 2, 3].map((n) => Math.min(n, total)));
    expect(JSON.parse(wb.read('workbook-progress.json')).exercises['consensus/raft'].hintsShown).toBe(Math.min(3, total));
  });

  it('keeps a corrupt progress file aside, exits 3, and starts fresh afterwards', async () => {
    wb.write('workbook-progress.json', '{ "schemaVersion": 2, "exercises": { oops');
    const run = await wb.cli(['list']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('nothing was deleted');
    const aside = fs.readdirSync(wb.root).find((f) => f.startsWith('workbook-progress.corrupt-'));
    expect(aside).toBeDefined();
    expect(wb.read(aside!)).toContain('oops');
    expect((await wb.cli(['list'])).code).toBe(0);
  });

  it('refuses a hand-edited count out of range (never "Hints used -5 of 4"): exit 3, the field named, the file kept', async () => {
    const text = JSON.stringify({ schemaVersion: 3, exercises: { 'consensus/raft': { runs: 2, hintsShown: -5 } } });
    wb.write('workbook-progress.json', text);
    const run = await wb.cli(['scorecard']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('exercise "consensus/raft": hintsShown is -5, but it should be a whole number from 0 to');
    expect(run.stdout).not.toMatch(/Hints used\s+-5/);
    // The workbook is shared by these tests: the file kept is the one the message names.
    const keptAt = /kept, unchanged, as (\S+?);/.exec(run.stderr)?.[1];
    expect(fs.readFileSync(keptAt!, 'utf8')).toBe(text);
  });

  it('still shows the verdict when the progress file is corrupt, then exits 3 with the file kept', async () => {
    wb.write('workbook-progress.json', 'not json at all');
    const run = await wb.cli(['run', 'quorum', '--only', 'flags-weak-quorums']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('consensus/quorum');
    expect(run.stderr).toContain('It has been kept, unchanged');
  });

  it('renders a guide section through markdown-it', async () => {
    const run = await wb.cli(['guide', 'consensus/raft']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Pattern 2: Raft');
    expect(run.stdout).not.toContain('## ');
  });

  it('resets a file to the original stub and backs up the learner version', async () => {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: wb.root, encoding: 'utf8' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', 'exercises');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'stubs');
    const stub = wb.read(LEADER);
    wb.write(LEADER, `${stub}\n// my work in progress\n`);
    await wb.cli(['run', 'leader']);
    expect(JSON.parse(wb.read('workbook-progress.json')).exercises['consensus/leader-election'].lastRun).toBeDefined();
    const run = await wb.cli(['reset', 'leader']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Its recorded result is cleared');
    expect(wb.read(LEADER)).toBe(stub);
    expect(JSON.parse(wb.read('workbook-progress.json')).exercises['consensus/leader-election'].lastRun).toBeUndefined();
    const backups = fs.readdirSync(wb.file('.workbook/backups'));
    expect(backups).toHaveLength(1);
    expect(wb.read(`.workbook/backups/${backups[0]}`)).toContain('my work in progress');
    // The raft module's four exercises share one file: resetting one says so.
    const shared = await wb.cli(['reset', 'raft/snapshots']);
    expect(shared.code).toBe(0);
    expect(shared.stdout).toContain('exercises/raft/raft-node.ts is shared by raft/snapshots, raft/election, raft/replication, raft/persistence');
  });

  it('watch re-grades after a save (polling fallback) and stops after --max-runs', async () => {
    const stub = wb.read(LEADER);
    const watching = wb.cli(['watch', 'leader', '--poll', '--max-runs', '2', '--only-for-test']);
    // --only-for-test is not a flag: the CLI must refuse it rather than hang.
    expect((await watching).code).toBe(2);
    let saved = false;
    // Save once the first verdict is on screen, as a learner would.
    const result = await wb.cliStreaming(['watch', 'leader', '--poll', '--max-runs', '2'], (stdout) => {
      if (!saved && stdout.includes('Watching')) {
        saved = true;
        wb.write(LEADER, `${stub}\n// saved\n`);
      }
    });
    wb.write(LEADER, stub);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/requirements met/g)).toHaveLength(2);
    expect(result.stdout).toContain('Stopped watching.');
  });
});
