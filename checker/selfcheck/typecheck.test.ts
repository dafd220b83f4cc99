import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { writePristineStubs } from './pristine.ts';

/**
 * A mirror of the workbook for tsc: the real checker/, solutions/ and node_modules/ linked in, and
 * exercises/ holding the stubs as shipped, so a learner's half-written file cannot fail `npm test`.
 * preserveSymlinks keeps `../../exercises/...` imports inside the mirror.
 */
function pristineMirror(): string {
  const mirror = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-typecheck-'));
  for (const dir of ['checker', 'solutions', 'quizzes', 'node_modules']) {
    if (fs.existsSync(path.join(WORKBOOK_ROOT, dir))) fs.symlinkSync(path.join(WORKBOOK_ROOT, dir), path.join(mirror, dir));
  }
  fs.copyFileSync(path.join(WORKBOOK_ROOT, 'package.json'), path.join(mirror, 'package.json'));
  const tsconfig = JSON.parse(fs.readFileSync(path.join(WORKBOOK_ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  tsconfig.compilerOptions.preserveSymlinks = true;
  fs.writeFileSync(path.join(mirror, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  writePristineStubs(WORKBOOK_ROOT, manifest, mirror);
  return mirror;
}

// Type-checks the whole workbook: stubs compile as shipped, solutions and graders are sound, and
// api-parity.ts proves every stub exports the same public API as its solution.
describe('type check', () => {
  it('tsc --noEmit passes on stubs, solutions, graders and the stub/solution API parity proof', async () => {
    const tsc = path.join(WORKBOOK_ROOT, 'node_modules', '.bin', 'tsc');
    const mirror = pristineMirror();
    const output = await new Promise<string>((resolve) => {
      execFile(tsc, ['--noEmit', '-p', 'tsconfig.json'], { cwd: mirror }, (error, stdout, stderr) => {
        resolve(error ? `${stdout}${stderr}`.trim() || String(error) : '');
      });
    });
    fs.rmSync(mirror, { recursive: true, force: true });
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
