import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExerciseEntry, Manifest, ModuleEntry } from '../manifest/types.ts';
import { graderPath, listCorrectAlternatives, listVariants, solutionPath } from '../engine/targets.ts';
import { proveCorrectAlternative, proveSolution, proveStub, proveVariant, type ProofFinding } from '../selfcheck/prove.ts';
import { pristineStubPath, stubState, STUB_HASHES_FILE } from '../selfcheck/pristine.ts';
import { importSource } from '../import-source.ts';

/**
 * The authoring check: everything that must hold for an exercise to be shippable, as a list of
 * named claims. Checks are PLANNED first (cheap, synchronous: the claim text is known before
 * anything runs, so vitest can name one test per claim) and RUN later (grading spawns workers).
 * `author check` and checker/selfcheck/author-check.test.ts both use this one list.
 */

export type Finding = ProofFinding;

export interface PlannedCheck {
  /** Exercise id, or `quiz:<module>` for a module's quiz. */
  readonly scope: string;
  readonly claim: string;
  /** True when the check grades code (spawns workers); false for file and text checks. */
  readonly slow: boolean;
  run(): Promise<Finding>;
}

export const MIN_HINTS = 3;

const rel = (root: string, file: string): string => path.relative(root, file);
const ok = (claim: string, note?: string): Finding => (note ? { ok: true, claim, note } : { ok: true, claim });
const bad = (claim: string, problem: string): Finding => ({ ok: false, claim, problem });

/** Heading texts of a markdown file, outside code fences, without the #s. */
export function markdownHeadings(text: string): string[] {
  const headings: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (match) headings.push(match[1]!.trim());
  }
  return headings;
}

/** The names a module exports at run time, or the reason it could not be imported. */
export async function exportedNames(file: string): Promise<string[] | Error> {
  try {
    return Object.keys((await importSource(pathToFileURL(file).href)) as object).sort();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function fileCheck(root: string, scope: string, what: string, file: string, fix: string): PlannedCheck {
  const claim = `${what} ${rel(root, file)} exists`;
  return { scope, claim, slow: false, run: async () => (fs.existsSync(file) ? ok(claim) : bad(claim, `${rel(root, file)} is missing: ${fix}`)) };
}

function sectionCheck(root: string, scope: string, what: string, ref: { file: string; section: string }): PlannedCheck {
  const claim = `${what} section "${ref.section}" exists in ${ref.file}`;
  return {
    scope,
    claim,
    slow: false,
    run: async () => {
      const file = path.join(root, ref.file);
      if (!fs.existsSync(file)) return bad(claim, `${ref.file} is missing: write it with a heading "${ref.section}"`);
      const headings = markdownHeadings(fs.readFileSync(file, 'utf8'));
      if (headings.includes(ref.section)) return ok(claim);
      const near = headings.filter((h) => h.toLowerCase().includes(ref.section.toLowerCase().split(':')[0]!.trim()));
      return bad(claim, `no heading "${ref.section}" in ${ref.file}${near.length ? ` (close: ${near.map((h) => `"${h}"`).join(', ')})` : ''}: add it or fix the manifest entry`);
    },
  };
}

/** Every check of one exercise, in the order they read best. */
export function planExerciseChecks(root: string, entry: ExerciseEntry): PlannedCheck[] {
  const scope = entry.id;
  const solution = solutionPath(root, entry);
  const grader = graderPath(root, entry);
  const manifestFile = `checker/manifest/${entry.id}.ts`;
  const checks: PlannedCheck[] = [
    fileCheck(root, scope, 'solution', solution, 'write the reference solution with the same exports as the stub'),
    fileCheck(root, scope, 'grader', grader, 'write the grader (default export defineGrader(...))'),
  ];
  if (entry.demo) checks.push(fileCheck(root, scope, 'demo', path.join(root, entry.demo), 'write the demo or drop `demo` from the manifest entry'));

  const variantsClaim = `variants folder ${entry.variants} holds at least one kept wrong variant`;
  checks.push({
    scope,
    claim: variantsClaim,
    slow: false,
    run: async () =>
      listVariants(root, entry).length > 0
        ? ok(variantsClaim)
        : bad(variantsClaim, `add <name>.diff files (diff -u against the solution, with "# <what is wrong>" and "# catches: <id>" headers) to ${entry.variants}`),
  });

  const recordClaim = `stub exercises/${entry.file} is the one recorded in ${STUB_HASHES_FILE}`;
  checks.push({
    scope,
    claim: recordClaim,
    slow: false,
    run: async () => {
      const state = stubState(root, entry.file);
      switch (state.kind) {
        case 'untouched':
          return ok(recordClaim);
        case 'unrecorded':
          return bad(recordClaim, `no hash recorded for exercises/${entry.file}: run \`npm run author -- stubs\``);
        case 'lost':
          return bad(recordClaim, state.reason);
        case 'edited':
          // In CI the checkout is the workbook as committed: a committed stub that is not the recorded
          // one means the record is stale. On a learner's clone it means the learner saved their work.
          if (state.committed && process.env.CI) {
            return bad(recordClaim, `exercises/${entry.file} was changed in a commit but the record still names the old stub: run \`npm run author -- stubs\``);
          }
          return ok(recordClaim, `exercises/${entry.file} differs from its stub (your work?); these checks use the shipped stub from git`);
      }
    },
  });

  checks.push(sectionCheck(root, scope, 'guide', entry.guide));
  if (entry.brief && (entry.brief.file !== entry.guide.file || entry.brief.section !== entry.guide.section)) checks.push(sectionCheck(root, scope, 'brief', entry.brief));
  if (entry.answer) checks.push(sectionCheck(root, scope, 'answer', entry.answer));

  const hintsClaim = `has at least ${MIN_HINTS} hints`;
  checks.push({
    scope,
    claim: hintsClaim,
    slow: false,
    run: async () => {
      const hints = entry.hints.filter((h) => h.trim() !== '');
      return hints.length >= MIN_HINTS
        ? ok(hintsClaim)
        : bad(hintsClaim, `${hints.length} hint(s) in ${manifestFile}: add ${MIN_HINTS - hints.length} more, from a nudge to nearly the answer`);
    },
  });

  if (entry.kind === 'pattern') {
    const todoClaim = `stub exercises/${entry.file} marks where to work with TODO`;
    checks.push({
      scope,
      claim: todoClaim,
      slow: false,
      run: async () => {
        const state = stubState(root, entry.file);
        if (state.kind === 'lost') return bad(todoClaim, state.reason);
        return state.text.includes('TODO') ? ok(todoClaim) : bad(todoClaim, `add a // TODO: block to each method the learner writes in exercises/${entry.file}`);
      },
    });
  }

  const exportsClaim = `stub and solution export the same names`;
  checks.push({
    scope,
    claim: exportsClaim,
    slow: false,
    run: async () => {
      if (!fs.existsSync(solution)) return bad(exportsClaim, `solutions/${entry.file} is missing`);
      const [mine, theirs] = await Promise.all([exportedNames(pristineStubPath(root, entry)), exportedNames(solution)]);
      if (mine instanceof Error) return bad(exportsClaim, `exercises/${entry.file} does not load: ${mine.message}`);
      if (theirs instanceof Error) return bad(exportsClaim, `solutions/${entry.file} does not load: ${theirs.message}`);
      const onlyStub = mine.filter((n) => !theirs.includes(n));
      const onlySolution = theirs.filter((n) => !mine.includes(n));
      if (onlyStub.length === 0 && onlySolution.length === 0) return ok(exportsClaim);
      const parts = [
        onlySolution.length ? `only the solution exports ${onlySolution.join(', ')}` : '',
        onlyStub.length ? `only the stub exports ${onlyStub.join(', ')}` : '',
      ].filter(Boolean);
      return bad(exportsClaim, `${parts.join('; ')}: make exercises/${entry.file} and solutions/${entry.file} export the same names`);
    },
  });

  const missingForGrading = (): string | undefined => {
    // The stub itself may be missing from a learner's clone: its shipped copy comes from git.
    const missing = [grader, solution].filter((f) => !fs.existsSync(f)).map((f) => rel(root, f));
    return missing.length ? `cannot grade: ${missing.join(', ')} missing` : undefined;
  };
  /** A check that grades: the grader and solution must exist; `prove` grades and judges. */
  const grading = (claim: string, prove: () => Promise<Finding>): PlannedCheck => ({
    scope,
    claim,
    slow: true,
    run: async () => {
      const missing = missingForGrading();
      return missing ? bad(claim, missing) : { ...(await prove()), claim };
    },
  });
  checks.push(grading(`grader passes on solutions/${entry.file}`, () => proveSolution(root, entry)));
  for (const alternative of listCorrectAlternatives(root, entry)) {
    checks.push(grading(`grader passes correct alternative "${alternative.name}" (${alternative.description})`, () => proveCorrectAlternative(root, entry, alternative)));
  }
  checks.push(grading(`grader fails on the untouched exercises/${entry.file}`, () => proveStub(root, entry)));
  for (const variant of listVariants(root, entry)) {
    checks.push(grading(`grader rejects variant "${variant.name}" (${variant.description})`, () => proveVariant(root, entry, variant)));
  }
  return checks;
}

interface QuizApi {
  loadQuiz?: (root: string, moduleId: string) => unknown;
  parseQuiz?: (text: string, source: string, moduleId: string) => unknown;
}

/** The quiz parser, written alongside this file; imported dynamically so its absence is a finding. */
async function quizApi(): Promise<QuizApi | undefined> {
  for (const candidate of ['./quiz/index.ts', './quiz/load.ts', './quiz/parse.ts']) {
    try {
      const api = (await importSource(new URL(candidate, import.meta.url).href)) as QuizApi;
      if (api.loadQuiz || api.parseQuiz) return api;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

interface QuizLike {
  readonly items: readonly { readonly id: string; readonly kind: string; readonly tests: readonly string[]; readonly measure?: string; readonly line: number }[];
}

/** The module's quiz parses, and every item links to exercises that exist. */
export function planModuleChecks(root: string, module: ModuleEntry, manifest: Manifest): PlannedCheck[] {
  if (!module.quiz) return [];
  const scope = `quiz:${module.id}`;
  const quizFile = module.quiz;
  const known = new Set(manifest.modules.flatMap((m) => m.exercises.map((e) => e.id)));
  let loaded: Promise<QuizLike | Error> | undefined;
  const load = (): Promise<QuizLike | Error> =>
    (loaded ??= (async () => {
      const api = await quizApi();
      if (!api) return new Error('quiz check skipped: parser missing (checker/core/quiz/ exports neither loadQuiz nor parseQuiz)');
      const file = path.join(root, quizFile);
      if (!fs.existsSync(file)) return new Error(`${quizFile} is missing: write the quiz or drop \`quiz\` from the module entry`);
      try {
        const quiz = api.loadQuiz ? await api.loadQuiz(root, module.id) : api.parseQuiz!(fs.readFileSync(file, 'utf8'), quizFile, module.id);
        return quiz as QuizLike;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    })());
  const parseClaim = `quiz ${quizFile} parses`;
  const linkClaim = `every item of ${quizFile} links to an existing exercise`;
  return [
    {
      scope,
      claim: parseClaim,
      slow: false,
      run: async () => {
        const quiz = await load();
        if (quiz instanceof Error) return bad(parseClaim, quiz.message);
        return quiz.items.length > 0 ? ok(parseClaim) : bad(parseClaim, `${quizFile} has no items`);
      },
    },
    {
      scope,
      claim: linkClaim,
      slow: false,
      run: async () => {
        const quiz = await load();
        if (quiz instanceof Error) return bad(linkClaim, quiz.message);
        const broken = quiz.items.flatMap((item) => {
          const ids = [...item.tests, ...(item.measure ? [item.measure] : [])];
          // Checklist items (kind 'check') close a module as a whole; every other item tests a pattern.
          if (item.tests.length === 0 && item.kind !== 'check') return [`${item.id} (line ${item.line}) names no exercise`];
          return ids.filter((id) => !known.has(id)).map((id) => `${item.id} (line ${item.line}) names unknown "${id}"`);
        });
        return broken.length === 0 ? ok(linkClaim) : bad(linkClaim, `${broken.join('; ')}: use ids from checker/manifest/index.ts`);
      },
    },
  ];
}

/** Every check of the workbook (or of the named exercises), grouped by scope. */
export function planChecks(root: string, manifest: Manifest, only?: readonly string[]): PlannedCheck[] {
  return manifest.modules.flatMap((module) => [
    ...module.exercises.filter((e) => !only || only.includes(e.id)).flatMap((e) => planExerciseChecks(root, e)),
    ...(!only || only.includes(`quiz:${module.id}`) || only.some((id) => id.startsWith(`${module.id}/`)) ? planModuleChecks(root, module, manifest) : []),
  ]);
}

/** Runs planned checks: cheap ones one by one, grading ones a few at a time. Order is kept. */
export async function runChecks(
  checks: readonly PlannedCheck[],
  options: { concurrency?: number; onFinding?: (check: PlannedCheck, finding: Finding) => void; signal?: AbortSignal } = {},
): Promise<{ check: PlannedCheck; finding: Finding }[]> {
  const results: { check: PlannedCheck; finding: Finding }[] = new Array(checks.length);
  const settle = async (index: number): Promise<void> => {
    const check = checks[index]!;
    let finding: Finding;
    try {
      finding = await check.run();
    } catch (error) {
      finding = bad(check.claim, `the check itself failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    results[index] = { check, finding };
    options.onFinding?.(check, finding);
  };
  const slow: number[] = [];
  for (let i = 0; i < checks.length; i++) {
    if (options.signal?.aborted) break;
    if (checks[i]!.slow) slow.push(i);
    else await settle(i);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? Math.min(4, os.availableParallelism())) }, async () => {
      while (next < slow.length && !options.signal?.aborted) await settle(slow[next++]!);
    }),
  );
  return results.filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Scaffolding a new exercise (`author new <module>/<name>`).

export interface Scaffold {
  readonly id: string;
  /** Files to write, relative to the root, with their content. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** The import line and the entry name to add to checker/manifest/index.ts. */
  readonly indexImport: string;
  readonly entryName: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function isValidNewId(id: string): boolean {
  const parts = id.split('/');
  return parts.length === 2 && parts.every((p) => KEBAB.test(p));
}

const words = (kebab: string): string[] => kebab.split('-');
const pascal = (kebab: string): string => words(kebab).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const camel = (kebab: string): string => pascal(kebab)[0]!.toLowerCase() + pascal(kebab).slice(1);
const titled = (kebab: string): string => words(kebab).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

/**
 * The files of a new pattern exercise. Deliberately unfinished: the grader's one requirement
 * fails on stub and solution alike, the hints are empty, the guide section and the variants do
 * not exist yet, so `author check` fails until the author fills each in.
 */
export function planScaffold(id: string): Scaffold {
  const [moduleId, name] = id.split('/') as [string, string];
  const className = pascal(name);
  const title = titled(name);
  const learnerFile = (body: string, top: string): string => `/**
 * ${title}. ${top}
 *   npm run exercise -- run ${id}
 */
import { systemClock, type Clock } from '#workbook/clock';

export interface ${className}Options {
  readonly clock?: Clock;
}

export class ${className} {
  private readonly clock: Clock;
  private messages = 0;

  constructor(readonly nodeIds: readonly number[], options: ${className}Options = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Simulated network messages sent so far. */
  getMessageCount(): number {
    return this.messages;
  }

${body}
}
`;
  const stub = learnerFile(
    `  /** The operation the learner implements. */
  run(): boolean {
    // TODO: describe, in numbered steps and our own words, what this method must do.
    //   1. ...
    //   2. ...
    void this.clock;
    return false;
  }`,
    'Fill in every TODO, then run',
  );
  const solution = learnerFile(
    `  run(): boolean {
    // TODO(author): write the reference implementation.
    void this.clock;
    this.messages += 0;
    return false;
  }`,
    'Reference solution. Check it with',
  );
  const grader = `import type * as Impl from '../../../solutions/${id}.ts';
import { defineGrader } from '../../engine/grader.ts';

export default defineGrader<typeof Impl>({
  requiredExports: ['${className}'],
  requirements: [
    {
      id: 'to-be-written',
      title: 'Replace this requirement with what ${title} must guarantee',
      kind: 'behaviour',
      check: (ctx) => {
        const s = ctx.scenario('a scaffolded grader with no real check yet');
        s.fail('real requirements in this grader', 'only the scaffold placeholder exists');
      },
    },
  ],
});
`;
  const variantsReadme = `# Kept wrong variants of ${id}

One file per mistake, \`<variant-name>.diff\`: a unified diff against solutions/${id}.ts
(\`diff -u solutions/${id}.ts /tmp/v.ts\`) with two header lines prepended:

    # <what is wrong, in one line of plain words>
    # catches: <requirement-id>[, <requirement-id>]

Include at least one "fix" that kills liveness. \`npm run author -- check\` proves each is rejected.
`;
  const entryName = camel(name);
  const manifestEntry = `import type { ExerciseEntry } from '../types.ts';

export const ${entryName}: ExerciseEntry = {
  id: '${id}',
  kind: 'pattern',
  title: '${title}',
  summary: 'TODO(author): one line saying what the learner builds.',
  file: '${id}.ts',
  grader: 'checker/graders/${id}.grader.ts',
  variants: 'checker/variants/${id}',
  guide: { file: 'exercises/${moduleId}/README.md', section: '${title}' },
  patterns: ['${id}'],
  // At least three, from a nudge to nearly the answer.
  hints: [],
};
`;
  return {
    id,
    files: [
      { path: `exercises/${id}.ts`, content: stub },
      { path: `solutions/${id}.ts`, content: solution },
      { path: `checker/graders/${id}.grader.ts`, content: grader },
      { path: `checker/variants/${id}/README.md`, content: variantsReadme },
      { path: `checker/manifest/${id}.ts`, content: manifestEntry },
    ],
    indexImport: `import { ${entryName} } from './${id}.ts';`,
    entryName,
  };
}

/** Writes a scaffold; refuses (returns the clashes) when any of its files already exists. */
export function writeScaffold(root: string, scaffold: Scaffold): { written: string[]; clashes: string[] } {
  const clashes = scaffold.files.map((f) => f.path).filter((p) => fs.existsSync(path.join(root, p)));
  if (clashes.length > 0) return { written: [], clashes };
  for (const file of scaffold.files) {
    const target = path.join(root, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  return { written: scaffold.files.map((f) => f.path), clashes: [] };
}
