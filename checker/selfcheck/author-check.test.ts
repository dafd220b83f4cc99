import { describe, it, expect, beforeAll } from 'vitest';
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { planChecks, runChecks, type Finding, type PlannedCheck } from '../core/authoring.ts';

/**
 * `npm test` runs the authoring check (`npm run author -- check`): one test per claim, named by
 * the claim, failing with the fix. The checks of one exercise run together in its beforeAll (a
 * few graders at a time, so the machine is not flooded with workers), and each test reports its
 * own finding. AUTHOR_CHECK_ONLY=consensus/raft,quiz:consensus narrows the run.
 */

const PER_CHECK_MS = 60_000;
const only = process.env.AUTHOR_CHECK_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const checks = planChecks(WORKBOOK_ROOT, manifest, only);
const scopes = [...new Set(checks.map((c) => c.scope))];

for (const scope of scopes) {
  describe(`author check: ${scope}`, () => {
    const mine = checks.filter((c) => c.scope === scope);
    const findings = new Map<PlannedCheck, Finding>();
    beforeAll(async () => {
      for (const { check, finding } of await runChecks(mine)) findings.set(check, finding);
    }, PER_CHECK_MS * Math.max(1, mine.filter((c) => c.slow).length));

    for (const check of mine) {
      it(
        check.claim,
        () => {
          const finding = findings.get(check);
          expect(finding, 'the check did not run').toBeDefined();
          if (!finding!.ok) expect.fail(`${check.claim}\n  -> ${finding!.problem ?? 'failed'}`);
        },
        PER_CHECK_MS,
      );
    }
  });
}
