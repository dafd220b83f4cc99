import fs from 'node:fs';
import path from 'node:path';
import { allExercises, manifest as defaultManifest, type Manifest } from '../../manifest/index.ts';
import { parseQuiz } from './parse.ts';
import type { Quiz } from './types.ts';

export * from './types.ts';
export { parseQuiz, QuizFormatError } from './parse.ts';
export * from './grade.ts';
export * from './leitner.ts';
export * from './stage.ts';
export { recordAnswer } from './record.ts';

/** Reads and parses the quiz of a module (its `quiz` file in the manifest); undefined when it has none. */
export function loadQuiz(root: string, moduleId: string, manifest: Manifest = defaultManifest): Quiz | undefined {
  const module = manifest.modules.find((m) => m.id === moduleId);
  if (!module?.quiz) return undefined;
  const file = path.join(root, module.quiz);
  return parseQuiz(fs.readFileSync(file, 'utf8'), module.quiz, moduleId);
}

/** Every module's quiz, in manifest order. */
export function loadAllQuizzes(root: string, manifest: Manifest = defaultManifest): Quiz[] {
  return manifest.modules.map((m) => loadQuiz(root, m.id, manifest)).filter((q): q is Quiz => q !== undefined);
}

/** Ids of the manifest's pattern exercises (what "before implementing" is measured against). */
export function patternIdsOf(manifest: Manifest = defaultManifest): Set<string> {
  return new Set(allExercises(manifest).filter((e) => e.kind === 'pattern').map((e) => e.id));
}

/** Every exercise id in the manifest (what an item may link to). */
export function exerciseIdsOf(manifest: Manifest = defaultManifest): Set<string> {
  return new Set(allExercises(manifest).map((e) => e.id));
}
