import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';

// Type-checks the whole workbook: stubs compile as shipped, solutions and graders are sound, and
// api-parity.ts proves every stub exports the same public API as its solution.
describe('type check', () => {
  it('tsc --noEmit passes on stubs, solutions, graders and the stub/solution API parity proof', async () => {
    const tsc = path.join(WORKBOOK_ROOT, 'node_modules', '.bin', 'tsc');
    const output = await new Promise<string>((resolve) => {
      execFile(tsc, ['--noEmit', '-p', 'tsconfig.json'], { cwd: WORKBOOK_ROOT }, (error, stdout, stderr) => {
        resolve(error ? `${stdout}${stderr}`.trim() || String(error) : '');
      });
    });
    expect(output, 'tsc reported errors (api-parity.ts errors mean a stub and its solution export different APIs)').toBe('');
  });
});

describe('API parity proof', () => {
  it('covers every exercise in the manifest', () => {
    const proof = fs.readFileSync(path.join(WORKBOOK_ROOT, 'checker/selfcheck/api-parity.ts'), 'utf8');
    const missing = manifest.modules
      .flatMap((m) => m.exercises)
      .filter((e) => !proof.includes(`'${e.id}': true satisfies Same<`))
      .map((e) => e.id);
    expect(missing, 'add these exercises to checker/selfcheck/api-parity.ts').toEqual([]);
  });
});
