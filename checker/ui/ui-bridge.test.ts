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
