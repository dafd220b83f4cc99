import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { ExerciseEntry } from '../manifest/types.ts';

/**
 * Scoring of one exercise's mutants, and the reviewed record of equivalent mutants.
 *
 * The record is `equivalent-mutants.json` in the exercise's variants folder
 * (checker/variants/<module>/[debugging/]<name>/): mutants a reviewer judged to behave exactly like
 * the solution as far as its stub and guide promise, each with a one-line reason. A mutant is
 * identified by what it is, not by Stryker's run-local id or a line number, so the record survives
 * edits elsewhere in the file:
 *
 *   { "mutator": "EqualityOperator", "code": "if (now >= lease.expiresAt) {",
 *     "original": "now >= lease.expiresAt", "replacement": "now > lease.expiresAt",
 *     "reason": "..." }
 *
 * `code` is the trimmed source line the mutant starts on. Editing that line retires the record
 * (it is reported as stale and the mutant must be reviewed again), which is the point.
 */

export interface MutantOutcome {
  readonly id: string;
  readonly mutator: string;
  readonly original: string;
  readonly replacement: string;
  readonly line: number;
  readonly code: string;
  /** Stryker's status: Killed, Survived, Timeout, NoCoverage, CompileError, RuntimeError, Ignored. */
  readonly status: string;
  /** Killed, but only by the grader of this other exercise on the same file (Scope.alsoGradedBy). */
  readonly killedElsewhere?: string;
}

export interface EquivalentMutant {
  readonly mutator: string;
  readonly code: string;
  readonly original: string;
  readonly replacement: string;
  readonly reason: string;
}

export interface ExerciseScore {
  readonly exerciseId: string;
  readonly total: number;
  readonly killed: number;
  /** Of `killed`, those only another exercise's grader failed (Scope.alsoGradedBy). */
  readonly killedElsewhere: number;
  readonly survived: number;
  readonly timeout: number;
  readonly noCoverage: number;
  /** Mutants that do not compile or crash every run (Stryker leaves them out of its score too). */
  readonly invalid: number;
  readonly equivalent: number;
  /** detected ÷ (valid − recorded equivalent), in [0, 1]. */
  readonly score: number;
  /** Survivors not recorded as equivalent: each needs a requirement or a record. */
  readonly unexplained: readonly MutantOutcome[];
  /** Records that matched no surviving mutant (the code changed, or a requirement now kills it). */
  readonly stale: readonly EquivalentMutant[];
  readonly seconds?: number;
  /** First line of the not-graded demo program, which was not mutated. */
  readonly demoFrom?: number;
  /** The functions mutated, when the exercise has a scope; otherwise the whole file. */
  readonly scope?: readonly string[];
}

/**
 * A trailing part of the solution no requirement is about: a challenge file's own demo program
 * (`main()`, run with `npx tsx <file>`), from the line whose trimmed text is `from` to the end.
 */
export interface NotGraded {
  readonly from: string;
  readonly reason: string;
}

/**
 * For exercises that share one solution file (the raft module's four, on raft-node.ts): the
 * functions and methods of the file this exercise's grader is about. Only they are mutated, so the
 * score is this grader's, not diluted by code that another exercise grades.
 */
export interface Scope {
  readonly functions: readonly string[];
  readonly reason: string;
  /**
   * Exercises graded on the same file that test some of these functions further (the vote's log
   * rule needs a log, which only replication has): a mutant this exercise's grader passes is
   * graded by them too, and counted as caught by the workbook if one fails it.
   */
  readonly alsoGradedBy?: readonly string[];
}

export interface MutationRecord {
  readonly notGraded?: NotGraded;
  readonly scope?: Scope;
  readonly mutants: readonly EquivalentMutant[];
}

export const EQUIVALENTS_FILE = 'equivalent-mutants.json';

export function loadRecord(root: string, entry: ExerciseEntry): MutationRecord {
  const file = path.join(root, entry.variants, EQUIVALENTS_FILE);
  if (!fs.existsSync(file)) return { mutants: [] };
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<MutationRecord>;
  const mutants = parsed.mutants ?? [];
  if (parsed.notGraded && (typeof parsed.notGraded.from !== 'string' || typeof parsed.notGraded.reason !== 'string')) {
    throw new Error(`${file}: "notGraded" needs a string "from" (a line of the solution) and a "reason"`);
  }
  for (const m of mutants) {
    for (const key of ['mutator', 'code', 'original', 'replacement', 'reason'] as const) {
      if (typeof m[key] !== 'string' || (key === 'reason' && m.reason.trim() === '')) {
        throw new Error(`${file}: every record needs a string "${key}" (${JSON.stringify(m)})`);
      }
    }
  }
  const scope = parsed.scope;
  if (scope && (!Array.isArray(scope.functions) || scope.functions.some((f) => typeof f !== 'string') || typeof scope.reason !== 'string')) {
    throw new Error(`${file}: "scope" needs "functions" (names of the solution's functions and methods) and a "reason"`);
  }
  if (scope?.alsoGradedBy && (!Array.isArray(scope.alsoGradedBy) || scope.alsoGradedBy.some((id) => typeof id !== 'string'))) {
    throw new Error(`${file}: "scope.alsoGradedBy" lists exercise ids`);
  }
  return { notGraded: parsed.notGraded, scope: parsed.scope, mutants };
}

/**
 * The 1-based line ranges of the named functions and methods (`constructor` for a constructor) of
 * `source`, in file order. Throws for a name that is not there, so a renamed method is noticed.
 */
export function scopeLines(source: string, functions: readonly string[]): { start: number; end: number }[] {
  const file = ts.createSourceFile('solution.ts', source, ts.ScriptTarget.Latest, true);
  const found = new Map<string, { start: number; end: number }[]>();
  const visit = (node: ts.Node): void => {
    const name = ts.isConstructorDeclaration(node) ? 'constructor'
      : (ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) && node.name ? node.name.getText(file)
      : undefined;
    if (name !== undefined && functions.includes(name)) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      found.set(name, [...(found.get(name) ?? []), { start, end }]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const missing = functions.filter((f) => !found.has(f));
  if (missing.length > 0) throw new Error(`the mutation scope names ${missing.map((m) => `"${m}"`).join(', ')}, not found in the solution`);
  return [...found.values()].flat().sort((a, b) => a.start - b.start);
}

/** The 1-based line where the not-graded tail starts, or undefined when there is none. */
export function notGradedFromLine(source: string, notGraded: NotGraded | undefined): number | undefined {
  if (!notGraded) return undefined;
  const at = source.split('\n').findIndex((line) => line.trim() === notGraded.from.trim());
  if (at === -1) throw new Error(`the line "${notGraded.from}" named as the start of the not-graded demo was not found in the solution`);
  return at + 1;
}

function sameMutant(record: EquivalentMutant, outcome: MutantOutcome): boolean {
  return (
    record.mutator === outcome.mutator &&
    record.code === outcome.code &&
    record.original === outcome.original &&
    record.replacement === outcome.replacement
  );
}

export function scoreExercise(exerciseId: string, outcomes: readonly MutantOutcome[], records: readonly EquivalentMutant[]): ExerciseScore {
  const count = (...statuses: string[]): number => outcomes.filter((o) => statuses.includes(o.status)).length;
  const survivors = outcomes.filter((o) => o.status === 'Survived' || o.status === 'NoCoverage');
  // Each record explains at most one survivor, so two identical lines need two records.
  const unused = [...records];
  const unexplained: MutantOutcome[] = [];
  for (const survivor of survivors) {
    const at = unused.findIndex((r) => sameMutant(r, survivor));
    if (at === -1) unexplained.push(survivor);
    else unused.splice(at, 1);
  }
  const equivalent = records.length - unused.length;
  const detected = count('Killed', 'Timeout');
  const invalid = count('CompileError', 'RuntimeError', 'Ignored');
  const denominator = outcomes.length - invalid - equivalent;
  return {
    exerciseId,
    total: outcomes.length,
    killed: count('Killed'),
    killedElsewhere: outcomes.filter((o) => o.status === 'Killed' && o.killedElsewhere !== undefined).length,
    survived: count('Survived'),
    timeout: count('Timeout'),
    noCoverage: count('NoCoverage'),
    invalid,
    equivalent,
    score: denominator === 0 ? 1 : detected / denominator,
    unexplained,
    stale: unused,
  };
}
