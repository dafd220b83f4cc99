import { EXIT, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.ts';
import { palette } from '../render/style.ts';
import { manifest } from '../../manifest/index.ts';
import { resolveExercise } from '../../core/resolve.ts';
import { currentStubHashes, readStubHashes, STUB_HASHES_FILE, writeStubHashes } from '../../selfcheck/pristine.ts';
import { isValidNewId, planChecks, planScaffold, runChecks, writeScaffold, type Finding, type PlannedCheck } from '../../core/authoring.ts';

/**
 * `author check [<id>...] [--json]`: the self-check of the workbook (files, guide sections, hints,
 * TODOs, matching exports, and the proof that each grader passes the solution, fails the stub and
 * rejects every kept wrong variant). `npm test` runs the same checks, one test per claim.
 * `author new <module>/<name>`: scaffolds a new pattern exercise that fails the check until filled in.
 * `author stubs`: records the content hash of every stub as shipped (checker/manifest/stubs.json).
 */

function recordStubs(io: CliIO): number {
  const before = readStubHashes(io.root);
  const after = currentStubHashes(io.root, manifest);
  writeStubHashes(io.root, after);
  const changed = Object.keys(after).filter((file) => before[file] !== after[file]);
  io.out(changed.length === 0 ? `${STUB_HASHES_FILE}: every stub already recorded.` : `${STUB_HASHES_FILE}: recorded ${changed.map((f) => `exercises/${f}`).join(', ')}.`);
  return EXIT.ok;
}

const USAGE = 'author check [<id>...] [--json] | author new <module>/<name> | author stubs';

function renderFinding(finding: Finding, color: boolean): string {
  const c = palette(color);
  const head = `${finding.ok ? c.green('ok  ') : c.red('FAIL')} ${finding.claim}`;
  const detail = finding.problem ?? finding.note;
  return detail ? `${head}\n       ${finding.problem ? c.yellow(detail) : c.dim(detail)}` : head;
}

async function check(io: CliIO, args: ParsedArgs): Promise<number> {
  const ids = args.positionals.slice(1).map((q) => (q.startsWith('quiz:') ? q : resolveExercise(manifest, q).id));
  const checks = planChecks(io.root, manifest, ids.length > 0 ? ids : undefined);
  const json = args.flags['json'] === true;
  if (!json) io.err(`Checking ${checks.length} claims (${checks.filter((c) => c.slow).length} of them grade code; this takes a while)…`);
  const results = await runChecks(checks, { signal: io.signal });
  if (io.signal.aborted) return EXIT.interrupted;
  const failed = results.filter((r) => !r.finding.ok);

  if (json) {
    const byScope = new Map<string, Finding[]>();
    for (const { check: c, finding } of results) byScope.set(c.scope, [...(byScope.get(c.scope) ?? []), finding]);
    io.out(JSON.stringify({ ok: failed.length === 0, scopes: Object.fromEntries(byScope) }, null, 2));
  } else {
    const c = palette(io.color);
    let scope = '';
    for (const { check: planned, finding } of results as { check: PlannedCheck; finding: Finding }[]) {
      if (planned.scope !== scope) {
        scope = planned.scope;
        io.out(c.bold(`\n${scope}`));
      }
      io.out(`  ${renderFinding(finding, io.color)}`);
    }
    io.out(
      failed.length === 0
        ? c.green(`\nAll ${results.length} claims hold.`)
        : c.red(`\n${failed.length} of ${results.length} claims fail`) + ` (in ${[...new Set(failed.map((f) => f.check.scope))].join(', ')}).`,
    );
  }
  return failed.length === 0 ? EXIT.ok : EXIT.failed;
}

function scaffold(io: CliIO, args: ParsedArgs): number {
  const id = args.positionals[1];
  if (!id || !isValidNewId(id)) throw new UsageError(`author new wants <module>/<name> in kebab-case, e.g. consensus/leader-lease.\nUsage: npm run author -- ${USAGE}`);
  if (manifest.modules.some((m) => m.exercises.some((e) => e.id === id))) throw new UsageError(`${id} is already in the manifest.`);
  const plan = planScaffold(id);
  const { written, clashes } = writeScaffold(io.root, plan);
  if (clashes.length > 0) throw new UsageError(`Not scaffolding ${id}: these files already exist: ${clashes.join(', ')}`);
  const moduleId = id.split('/')[0]!;
  const known = manifest.modules.some((m) => m.id === moduleId);
  io.out(`Scaffolded ${id}:`);
  for (const file of written) io.out(`  ${file}`);
  io.out('');
  io.out('Register it in checker/manifest/index.ts (not edited for you, so the order stays yours):');
  io.out(`  ${plan.indexImport}`);
  io.out(
    known
      ? `  and add \`${plan.entryName}\` to the exercises of module '${moduleId}'.`
      : `  and add a module { id: '${moduleId}', title, guide: 'exercises/${moduleId}/README.md', exercises: [${plan.entryName}] }.`,
  );
  io.out('Prove its stub and solution export the same API: add a line for it to checker/selfcheck/api-parity.ts.');
  io.out('Record its stub as shipped once it is final: npm run author -- stubs.');
  io.out('');
  io.out(`Then \`npm run author -- check ${id}\` lists what is left: the grader's placeholder requirement,`);
  io.out('the hints, the guide section, the reference solution and the kept wrong variants.');
  return EXIT.ok;
}

export const command: Command = {
  name: 'author',
  summary: 'For workbook authors: check every exercise is complete and proven, or scaffold a new one',
  usage: USAGE,
  flags: { json: 'boolean' },
  async run(io: CliIO, args: ParsedArgs): Promise<number> {
    const sub = args.positionals[0];
    if (sub === 'check') return check(io, args);
    if (sub === 'new') return scaffold(io, args);
    if (sub === 'stubs') return recordStubs(io);
    throw new UsageError(`author wants a subcommand.\nUsage: npm run author -- ${USAGE}`);
  },
};
