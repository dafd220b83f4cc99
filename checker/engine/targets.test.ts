import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExerciseEntry } from '../manifest/types.ts';
import { manifest } from '../manifest/index.ts';
import { resolveExercise } from '../core/resolve.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { listCorrectAlternatives, listVariants, materialiseVariant } from './targets.ts';

describe('kept correct alternatives beside the wrong variants', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'targets-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entry = { id: 'm/x', file: 'm/x.ts', variants: 'variants' } as ExerciseEntry;
  fs.mkdirSync(path.join(dir, 'variants'));
  fs.writeFileSync(path.join(dir, 'variants', 'off-by-one.diff'), '# counts one too many\n# catches: a, b\n--- x\n+++ x\n');
  fs.writeFileSync(path.join(dir, 'variants', 'correct-other-order.diff'), '# does the same steps in another order, which Raft allows\n--- x\n+++ x\n');

  it('a correct-*.diff is a correct alternative, never a wrong variant', () => {
    expect(listVariants(dir, entry).map((v) => [v.name, v.caughtBy])).toEqual([['off-by-one', ['a', 'b']]]);
    expect(listCorrectAlternatives(dir, entry)).toEqual([
      { name: 'correct-other-order', description: 'does the same steps in another order, which Raft allows', patchFile: path.join(dir, 'variants', 'correct-other-order.diff') },
    ]);
  });

  it('the term-confusion challenge keeps the Figure 2 alternative that grants a repeated request, and it applies to the solution', () => {
    const termConfusion = resolveExercise(manifest, 'consensus/debugging/term-confusion');
    const [alternative] = listCorrectAlternatives(WORKBOOK_ROOT, termConfusion);
    expect(alternative?.name).toBe('correct-grants-repeated-request');
    expect(fs.readFileSync(materialiseVariant(WORKBOOK_ROOT, termConfusion, alternative!), 'utf8')).toContain('voter.votedFor === null || voter.votedFor === candidateId');
  });
});
