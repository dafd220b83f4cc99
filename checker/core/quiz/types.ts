/**
 * The shape of a parsed quiz file. A quiz is plain data: the CLI asks it, the journal prints it,
 * the scorecard counts it. Nothing here does I/O.
 */

/** single/multiple/short/numeric are graded by the workbook; free and rate are graded by the learner. */
export type ItemKind = 'single' | 'multiple' | 'short' | 'numeric' | 'free' | 'rate' | 'check';

/** `before`: a prediction, offered until the linked pattern first passes; `after`: once it has; `any`: always. */
export type ItemPhase = 'before' | 'after' | 'any';

export type SelfRating = 'missed' | 'partly' | 'got-it';
/**
 * `unrated`: a written prediction, saved before the model answer may be seen (it would give the
 * answer away); it is rated when the prediction is verified after the pattern passes.
 */
export type Outcome = 'correct' | 'incorrect' | SelfRating | 'unrated';

export const SELF_RATINGS: readonly SelfRating[] = ['missed', 'partly', 'got-it'];

export interface ChoiceOption {
  /** a, b, c ... in the order written. */
  readonly key: string;
  /** The option as written (markdown, without the [ ] box). */
  readonly text: string;
  readonly correct: boolean;
}

export interface QuizItem {
  readonly id: string;
  readonly kind: ItemKind;
  /** The item's heading. */
  readonly title: string;
  /** Id of the section the item sits in. */
  readonly section: string;
  /** Pattern and challenge ids from the manifest that this item tests. */
  readonly tests: readonly string[];
  readonly phase: ItemPhase;
  /** The question, as markdown. */
  readonly prompt: string;
  /** Choice items only. */
  readonly options: readonly ChoiceOption[];
  /** Short and numeric items: the accepted answers as written. */
  readonly accept: readonly string[];
  /** Numeric items: how far from an accepted number still counts. */
  readonly tolerance: number;
  /** The model answer or explanation shown after answering (markdown). */
  readonly answer: string;
  /** Exercise id whose measured message counts verify this prediction. */
  readonly measure?: string;
  /** 1-based line of the item heading in the quiz file. */
  readonly line: number;
}

export interface QuizSection {
  readonly id: string;
  readonly title: string;
  /** Markdown between the section heading and its first item. */
  readonly intro: string;
  readonly itemIds: readonly string[];
}

export interface Quiz {
  readonly moduleId: string;
  /** Path of the quiz file, as given to the parser (for messages). */
  readonly source: string;
  readonly title: string;
  readonly sections: readonly QuizSection[];
  readonly items: readonly QuizItem[];
}

/** Whether the workbook grades the item (true) or the learner rates it (false). Checklist items are neither. */
export function isAutoGraded(item: QuizItem): boolean {
  return item.kind === 'single' || item.kind === 'multiple' || item.kind === 'short' || item.kind === 'numeric';
}

export function isSelfRated(item: QuizItem): boolean {
  return item.kind === 'free' || item.kind === 'rate';
}
