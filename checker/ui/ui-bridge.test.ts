import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Grader } from '../engine/grader.ts';
import { graderPath } from '../engine/targets.ts';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { createFixtureWorkbook } from '../cli/test/fixture.ts';

// `ui` opens @vitest/ui on checker/ui/vitest.config.ts: every requirement of every grader must
// show up there as one test, named by the requirement's title.
describe('the @vitest/ui bridge', () => {
  it('collects one vitest test per requirement, titled as the requirement', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ui-list-')), 'list.json');
    const vitest = path.join(WORKBOOK_ROOT, 'node_modules', '.bin', 'vitest');
    await new Promise<void>((resolve, reject) =>
      execFile(vitest, ['list', '--config', 'checker/ui/vitest.config.ts', `--json=${out}`], { cwd: WORKBOOK_ROOT }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    const listed = (JSON.parse(fs.readFileSync(out, 'utf8')) as { name: string }[]).map((t) => t.name);
    const expected: string[] = [];
    for (const entry of manifest.modules.flatMap((m) => m.exercises)) {
      const grader = ((await import(pathToFileURL(graderPath(WORKBOOK_ROOT, entry)).href)) as { default: Grader<unknown> }).default;
      for (const requirement of grader.requirements) expected.push(`${entry.id} > ${requirement.title}`);
    }
    expect(listed.map((name) => name.replace(/ \(seed \d+\)/, ''))).toEqual(expected);
  });
});

describe('a failure in the @vitest/ui bridge', () => {
  it('points at the learner\'s file and line, not at the bridge', async () => {
    const wb = createFixtureWorkbook();
    try {
      const file = 'exercises/consensus/leader-election.ts';
      const lines = wb.read(file).replace(/\n$/, '').split('\n');
      lines.push('export const broken = ;');
      const broken = lines.length;
      wb.write(file, `${lines.join('\n')}\n`);
      const out = path.join(wb.root, 'ui.json');
      const vitest = path.join(WORKBOOK_ROOT, 'node_modules', '.bin', 'vitest');
      await new Promise<void>((resolve) =>
        execFile(
          vitest,
          ['run', '--config', 'checker/ui/vitest.config.ts', '--reporter=json', `--outputFile=${out}`],
          { cwd: WORKBOOK_ROOT, env: { ...process.env, WORKBOOK_ROOT: wb.root, WORKBOOK_UI_ONLY: 'consensus/leader-election' } },
          () => resolve(),
        ),
      );
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { testResults: { assertionResults: { status: string; failureMessages: string[] }[] }[] };
      const results = report.testResults.flatMap((t) => t.assertionResults);
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(result.status).toBe('failed');
        expect(result.failureMessages.join('\n')).toContain(`${file}:${broken}:`);
        expect(result.failureMessages.join('\n')).not.toContain('learner-graders.ui.ts');
      }
    } finally {
      wb.remove();
    }
  }, 300_000);
});
