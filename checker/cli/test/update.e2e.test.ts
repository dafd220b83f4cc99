import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, readStubHashes, writeStubHashes } from '../../selfcheck/pristine.ts';
import { createFixtureWorkbook, REAL_ROOT, type FixtureWorkbook } from './fixture.ts';

const LEADER = 'consensus/leader-election.ts';
const QUORUM = 'consensus/quorum.ts';
const LOCK = 'consensus/distributed-lock.ts';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Makes the fixture a git clone of an upstream workbook with its own stub hashes: checker/ becomes a
 * folder of links to the real one, except checker/manifest/stubs.json, which each version ships.
 */
function cloneOfUpstream(wb: FixtureWorkbook): string {
  fs.rmSync(wb.file('checker'));
  fs.mkdirSync(wb.file('checker/manifest'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(REAL_ROOT, 'checker'))) {
    if (entry !== 'manifest') fs.symlinkSync(path.join(REAL_ROOT, 'checker', entry), wb.file(`checker/${entry}`));
  }
  for (const entry of fs.readdirSync(path.join(REAL_ROOT, 'checker/manifest'))) {
    const real = path.join(REAL_ROOT, 'checker/manifest', entry);
    if (entry === 'stubs.json') wb.write(`checker/manifest/${entry}`, fs.readFileSync(real, 'utf8'));
    else fs.symlinkSync(real, wb.file(`checker/manifest/${entry}`));
  }
  wb.write('.gitignore', 'workbook-progress.json\n.workbook/\nnode_modules\n.upstream/\n');
  git(wb.root, 'init', '-q', '-b', 'main');
  git(wb.root, 'add', '-A');
  git(wb.root, 'commit', '-qm', 'v1');
  const upstream = wb.file('.upstream');
  git(wb.root, 'clone', '-q', wb.root, upstream);
  git(wb.root, 'remote', 'add', 'origin', upstream);
  git(wb.root, 'fetch', '-q', 'origin');
  git(wb.root, 'branch', '-q', '--set-upstream-to=origin/main');
  return upstream;
}

/** `update` as a learner with half-finished files meets it: a new version of three stubs. */
describe('update keeps the learner\'s work', () => {
  let wb: FixtureWorkbook;
  beforeAll(() => {
    wb = createFixtureWorkbook();
  });
  afterAll(() => wb.remove());

  it('replaces untouched stubs, merges edited ones, marks conflicts, backs up, and leaves progress alone', async () => {
    const upstream = cloneOfUpstream(wb);
    const stub = (file: string): string => wb.read(`exercises/${file}`);
    const original = { leader: stub(LEADER), quorum: stub(QUORUM), lock: stub(LOCK) };
    expect(original.leader).toContain('    // TODO: clear the heartbeat interval');
    expect(original.quorum).toContain('  // TODO: compare versions.');

    // The learner's half-finished work, and some progress.
    const myLeader = original.leader.replace(/ {4}\/\/ TODO: clear the heartbeat interval.*/, '    // mine: stop the heartbeat timer here');
    const myQuorum = original.quorum.replace('  // TODO: compare versions.', '  // mine: the higher version wins');
    wb.write(`exercises/${LEADER}`, myLeader);
    wb.write(`exercises/${QUORUM}`, myQuorum);
    expect((await wb.cli(['hint', 'leader'])).code).toBe(0);
    const progressBefore = wb.read('workbook-progress.json');

    // The new version: a guide line in the leader stub far from the learner's, the very line the
    // learner rewrote in the quorum stub, and a stub the learner never opened.
    const v2 = {
      [LEADER]: original.leader.replace(/^( \* Implement the methods marked TODO.*)$/m, '$1\n * (v2: see the guide for the timer rules.)'),
      [QUORUM]: original.quorum.replace('  // TODO: compare versions.', '  // TODO: compare versions (v2: by version, then by node id).'),
      [LOCK]: `${original.lock}// v2: one more note\n`,
    };
    const hashes = readStubHashes(upstream);
    for (const [file, text] of Object.entries(v2)) {
      fs.writeFileSync(path.join(upstream, 'exercises', file), text);
      hashes[file] = contentHash(text);
    }
    writeStubHashes(upstream, hashes);
    git(upstream, 'commit', '-qam', 'v2');

    const run = await wb.cli(['update']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Updated the workbook from \w+ to \w+\./);
    expect(run.stdout).toContain(`New stubs (you had not touched them): exercises/${LOCK}`);
    expect(run.stdout).toMatch(new RegExp(`merged +exercises/${LEADER}`));
    expect(run.stdout).toMatch(new RegExp(`conflict +exercises/${QUORUM}: 1 place marked`));

    expect(stub(LOCK)).toBe(v2[LOCK]);
    expect(stub(LEADER)).toContain('(v2: see the guide for the timer rules.)');
    expect(stub(LEADER)).toContain('// mine: stop the heartbeat timer here');
    const quorum = stub(QUORUM);
    expect(quorum).toMatch(/<<<<<<< your work\n {2}\/\/ mine: the higher version wins\n=======\n {2}\/\/ TODO: compare versions \(v2: by version, then by node id\)\.\n>>>>>>> the new stub/);

    const backupDir = /Your files before the update are in (.+)\./.exec(run.stdout)![1]!;
    expect(fs.readFileSync(path.join(backupDir, LEADER), 'utf8')).toBe(myLeader);
    expect(fs.readFileSync(path.join(backupDir, QUORUM), 'utf8')).toBe(myQuorum);
    expect(wb.read('workbook-progress.json')).toBe(progressBefore);
  }, 120_000);
});
