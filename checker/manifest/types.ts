/**
 * The shape of the workbook manifest: every module, exercise, file, grader, guide section and hint.
 * The CLI, the graders, the self-check and the scorecard all read this one tree; adding a pattern
 * is a new entry plus its files, with no code change elsewhere.
 */

/** A pattern to implement from a stub, a planted-bug program to fix, or the incident to repair. */
export type ExerciseKind = 'pattern' | 'challenge' | 'incident';

export interface GuideRef {
  /** Markdown file, relative to the workbook root. */
  readonly file: string;
  /** The heading (text, without #) of the section to show; the section runs to the next heading of the same or higher level. */
  readonly section: string;
}

export interface ExerciseEntry {
  /**
   * `<module>/<name>` for a pattern (`consensus/raft`), `<module>/debugging/<name>` for a challenge
   * or incident (`consensus/debugging/split-brain`). The first segment is always the module.
   */
  readonly id: string;
  readonly kind: ExerciseKind;
  readonly title: string;
  /** One line: what the learner builds or fixes. */
  readonly summary: string;
  /** Learner file, relative to `exercises/`; the reference lives at the same path under `solutions/`. */
  readonly file: string;
  /** Grader module, relative to the workbook root; it default-exports a `Grader`. */
  readonly grader: string;
  /** Directory of kept wrong variants (`*.diff` against the solution), relative to the root. */
  readonly variants: string;
  /** Demo program (default-exports `runDemo`), relative to the root; optional. */
  readonly demo?: string;
  readonly guide: GuideRef;
  /** Progressive hints: the first nudges, the last nearly gives the answer. */
  readonly hints: readonly string[];
  /** For challenges: which pattern exercises it exercises; for patterns, themselves. */
  readonly patterns: readonly string[];
  /** For challenges and the incident: how many bugs are planted in the shipped file. */
  readonly plantedBugs?: number;
  /** For challenges: the brief shown before the run (markdown, relative to the root). */
  readonly brief?: GuideRef;
  /** For challenges: the model answer revealed after a fix passes (markdown section). */
  readonly answer?: GuideRef;
}

/**
 * A module is one unit of learning, and every module's files sit the same way:
 *   exercises/<module>/<name>.ts            patterns; exercises/<module>/README.md is the guide
 *   exercises/<module>/debugging/<name>.ts  challenges; their briefs in exercises/<module>/debugging/README.md
 *   solutions/...                           the references, path for path
 *   checker/{manifest,graders,variants,demos}/<module>/[debugging/]<name>...
 *   checker/answers/<module>.md             model answers of the challenges
 *   quizzes/<module>.md                     the quiz, with a `certification` section for the mastery gate
 */
export interface ModuleEntry {
  readonly id: string;
  readonly title: string;
  readonly guide: string;
  /** Quiz file for the module, relative to the root, if it has one. */
  readonly quiz?: string;
  /** Patterns first, then the module's debugging challenges and incidents; `kind` tells them apart. */
  readonly exercises: readonly ExerciseEntry[];
}

/** A program that shows a lesson on its own, not tied to one exercise (`demo <id>`). */
export interface DemoEntry {
  readonly id: string;
  readonly title: string;
  /** Module default-exporting `runDemo(out)`, relative to the root. */
  readonly file: string;
}

export interface Manifest {
  readonly modules: readonly ModuleEntry[];
  readonly demos: readonly DemoEntry[];
}
