// Developer shortcut while writing a grader: npx tsx checker/selfcheck/dev.ts <exercise-id> [--verbose]
// Prints the proof findings (solution passes, stub fails, each variant rejected).
import { manifest } from '../manifest/index.ts';
import { WORKBOOK_ROOT } from '../paths.ts';
import { gradeTarget, proveSolution, proveStub, proveVariant } from './prove.ts';
import { exercisePath, listVariants, solutionPath } from '../engine/targets.ts';

const [id, ...flags] = process.argv.slice(2);
const entry = manifest.modules.flatMap((m) => m.exercises).find((e) => e.id === id);
if (!entry) {
  console.error(`unknown exercise ${id}`);
  process.exit(2);
}
if (flags.includes('--verbose')) {
  for (const target of [solutionPath(WORKBOOK_ROOT, entry), exercisePath(WORKBOOK_ROOT, entry)]) {
    console.log(JSON.stringify(await gradeTarget(WORKBOOK_ROOT, entry, target), null, 2));
  }
}
const findings = [
  await proveSolution(WORKBOOK_ROOT, entry),
  await proveStub(WORKBOOK_ROOT, entry),
];
// One at a time: several helpers may be grading on this machine at once.
for (const variant of listVariants(WORKBOOK_ROOT, entry)) findings.push(await proveVariant(WORKBOOK_ROOT, entry, variant));
for (const f of findings) console.log(`${f.ok ? 'ok  ' : 'FAIL'} ${f.claim}${f.problem ? `\n     ${f.problem}` : ''}`);
process.exit(findings.every((f) => f.ok) ? 0 : 1);
