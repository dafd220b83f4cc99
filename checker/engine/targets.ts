import fs from 'node:fs';
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import type { ExerciseEntry } from '../manifest/types.ts';

/**
 * Where the file to grade comes from: the learner's file under `exercises/`, the reference under
 * `solutions/`, or a kept wrong variant: a `.diff` against the reference, applied on the fly and
 * written under .workbook/variants (git-ignored). Not under node_modules: Node's `imports` lookup
 * stops at a node_modules folder, and the variant's `#workbook/*` imports must resolve like the others'.
 *
 * A variant file starts with header lines before the diff:
 *   # <what is wrong, in one line>
 *   # catches: <requirement-id>[, <requirement-id>...]   (requirements that must fail on it)
 *
 * A kept correct alternative sits beside them as `correct-<name>.diff`: a right implementation
 * written differently from the reference (Figure 2 allows it), with one header line
 *   # <what it does differently, and why that is still correct>
 * Every requirement must pass on it, on every seed, as on the reference: the proof (prove.ts) and
 * `npm run flakes` grade it. It keeps a grader from demanding more than the stub and guide promise.
 */

export interface Variant {
  readonly name: string;
  readonly description: string;
  /** Requirement ids of which at least one must fail on this variant. */
  readonly caughtBy: readonly string[];
  readonly patchFile: string;
}

export function exercisePath(root: string, entry: ExerciseEntry): string {
  return path.join(root, 'exercises', entry.file);
}

export function solutionPath(root: string, entry: ExerciseEntry): string {
  return path.join(root, 'solutions', entry.file);
}

export function graderPath(root: string, entry: ExerciseEntry): string {
  return path.join(root, entry.grader);
}

/** The file name prefix of a kept correct alternative in a variants folder. */
export const CORRECT_PREFIX = 'correct-';

export interface CorrectAlternative {
  readonly name: string;
  /** What it does differently from the reference, and why that is still correct. */
  readonly description: string;
  readonly patchFile: string;
}

function diffsIn(root: string, entry: ExerciseEntry, correct: boolean): string[] {
  const dir = path.join(root, entry.variants);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.diff') && name.startsWith(CORRECT_PREFIX) === correct)
    .sort();
}

function headerLines(patchFile: string): string[] {
  return fs
    .readFileSync(patchFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('# '))
    .map((line) => line.slice(2).trim());
}

/** The kept correct alternatives of an exercise (`correct-*.diff`), which must pass like the reference. */
export function listCorrectAlternatives(root: string, entry: ExerciseEntry): CorrectAlternative[] {
  return diffsIn(root, entry, true).map((name) => {
    const patchFile = path.join(root, entry.variants, name);
    return { name: name.replace(/\.diff$/, ''), description: headerLines(patchFile)[0] ?? name, patchFile };
  });
}

/** The kept wrong variants of an exercise (every `.diff` but the correct alternatives). */
export function listVariants(root: string, entry: ExerciseEntry): Variant[] {
  const dir = path.join(root, entry.variants);
  return diffsIn(root, entry, false)
    .map((name) => {
      const patchFile = path.join(dir, name);
      const header = headerLines(patchFile);
      const caught = header.find((line) => line.startsWith('catches:'));
      return {
        name: name.replace(/\.diff$/, ''),
        description: header.find((line) => !line.startsWith('catches:')) ?? name,
        caughtBy: caught ? caught.slice('catches:'.length).split(',').map((s) => s.trim()).filter(Boolean) : [],
        patchFile,
      };
    });
}

export class VariantDoesNotApply extends Error {
  constructor(readonly variant: Pick<Variant, 'patchFile'>) {
    super(`variant ${variant.patchFile} no longer applies to the solution: regenerate it with \`diff -u\` against the current solution`);
    this.name = 'VariantDoesNotApply';
  }
}

/** Writes the variant's (or correct alternative's) source (solution + patch) to the cache and returns its path. */
export function materialiseVariant(root: string, entry: ExerciseEntry, variant: Pick<Variant, 'name' | 'patchFile'>): string {
  const solution = fs.readFileSync(solutionPath(root, entry), 'utf8');
  const text = fs.readFileSync(variant.patchFile, 'utf8');
  const body = text.slice(text.search(/^(---|Index:|diff )/m));
  const [patch] = parsePatch(body);
  const patched = patch ? applyPatch(solution, patch) : false;
  if (patched === false) throw new VariantDoesNotApply(variant);
  const out = path.join(root, '.workbook', 'variants', entry.id, `${variant.name}.ts`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== patched) fs.writeFileSync(out, patched);
  return out;
}
