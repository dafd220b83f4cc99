import type { Manifest } from '../manifest/types.ts';
import { allExercises, challengeExercises, patternExercises } from '../manifest/index.ts';
import type { Progress } from './progress/schema.ts';
import type { GradeResult } from '../engine/results.ts';
import { countPassed, isPass } from '../engine/results.ts';
import type { Quiz, QuizItem } from './quiz/types.ts';
import { isAutoGraded, isSelfRated } from './quiz/types.ts';
import { classifyGrowth, expectedAnswer, type Growth } from './quiz/grade.ts';
import { lastAnswer, predictionPair } from './quiz/stage.ts';

/**
 * The scorecard as data: pure, no I/O. Graded work comes from grader runs passed in by the
 * caller (never from what progress claims); quiz, checklist, hints and certification come from
 * progress. Rendering lives in checker/cli/render/scorecard.ts.
 */

export const MASTERY_THRESHOLD = 8;
/**
 * The certification is self-rated, so mastery also needs graded work: every pattern of the module
 * passes its grader now, and at least this share of its debugging challenges (rounded up) is solved.
 */
export const MASTERY_CHALLENGE_SHARE = 0.5;

/** How many of `total` challenges the mastery gate asks for. */
export function challengesRequired(total: number): number {
  return Math.ceil(total * MASTERY_CHALLENGE_SHARE);
}
export const CERTIFICATION_SECTION = 'certification';

/** A grader run, or why there was none (no grader yet, file missing, engine error). */
export type GradeOutcome = GradeResult | { readonly problem: string };

export interface Measurement {
  readonly operation: string;
  readonly points: readonly { readonly n: number; readonly messages: number }[];
}

export interface ScorecardInput {
  readonly manifest: Manifest;
  readonly moduleId: string;
  readonly progress: Progress;
  /** By exercise id; exercises missing here count as not graded. */
  readonly grades: ReadonlyMap<string, GradeOutcome>;
  readonly quiz?: Quiz;
  /** Measured message counts by exercise id, for complexity predictions. */
  readonly measurements?: ReadonlyMap<string, Measurement | { readonly problem: string }>;
}

export interface Tally {
  readonly done: number;
  readonly total: number;
}

export interface QuizTally {
  /** Auto-graded: latest answer correct, out of answered and out of all. */
  readonly auto: { readonly correct: number; readonly answered: number; readonly total: number };
  /** Self-rated: latest rating. */
  readonly self: { readonly gotIt: number; readonly partly: number; readonly missed: number; readonly total: number };
}

export interface PatternScore {
  readonly id: string;
  readonly title: string;
  readonly requirements: Tally & { readonly problem?: string };
  readonly passing: boolean;
  readonly hintsUsed: number;
  readonly hintsAvailable: number;
  readonly quiz: QuizTally;
}

export interface ChallengeScore {
  readonly id: string;
  readonly title: string;
  readonly solved: boolean;
  readonly bugs: number;
  readonly problem?: string;
}

export interface PredictionRow {
  readonly itemId: string;
  readonly title: string;
  readonly predicted?: string;
  readonly predictedOutcome?: string;
  readonly verified?: string;
  readonly verifiedOutcome?: string;
  readonly modelAnswer?: string;
  readonly measured?: { readonly operation: string; readonly points: Measurement['points']; readonly growth: Growth } | { readonly problem: string };
}

export interface CertificationStatement {
  readonly id: string;
  readonly statement: string;
  readonly rating?: 'missed' | 'partly' | 'got-it';
  readonly revisit: readonly string[];
}

export interface Scorecard {
  readonly moduleId: string;
  readonly title: string;
  readonly patterns: readonly PatternScore[];
  readonly module: {
    readonly requirements: Tally;
    readonly hintsUsed: number;
    readonly quiz: QuizTally;
  };
  readonly debugging: {
    readonly challenges: readonly ChallengeScore[];
    readonly solved: Tally;
    readonly bugsFixed: Tally;
  };
  readonly checklist: Tally & { readonly open: readonly string[] };
  readonly predictions: readonly PredictionRow[];
  readonly certification: {
    readonly score: number;
    readonly outOf: number;
    readonly rated: number;
    readonly statements: readonly CertificationStatement[];
    /** The self-rating alone reaches the threshold. */
    readonly selfRated: boolean;
    /** The graded half of the gate, beside the self-rating. */
    readonly graded: {
      readonly patternsPassing: Tally;
      readonly challengesSolved: Tally & { readonly required: number };
      readonly passes: boolean;
    };
    /** selfRated AND graded.passes. */
    readonly mastered: boolean;
    /** What to go back to when below the threshold (titles of sections and exercises). */
    readonly revisit: readonly string[];
    /** Graded work that does not pass yet (what keeps the gate shut when the self-rating is enough). */
    readonly caveats: readonly string[];
  };
}

function gradeTally(outcome: GradeOutcome | undefined): Tally & { problem?: string; passing: boolean } {
  if (!outcome) return { done: 0, total: 0, problem: 'not graded', passing: false };
  if ('problem' in outcome && !('requirements' in outcome)) return { done: 0, total: 0, problem: outcome.problem, passing: false };
  const result = outcome as GradeResult;
  const { passed, total } = countPassed(result);
  return { done: passed, total, passing: isPass(result), ...(result.loadProblem ? { problem: result.loadProblem.message } : {}) };
}

export function tallyQuiz(items: readonly QuizItem[], progress: Progress): QuizTally {
  let correct = 0, answered = 0, total = 0, gotIt = 0, partly = 0, missed = 0, selfTotal = 0;
  for (const item of items) {
    const last = lastAnswer(item, progress);
    if (isAutoGraded(item)) {
      total++;
      if (last) answered++;
      if (last?.outcome === 'correct') correct++;
    } else if (isSelfRated(item) && item.section !== CERTIFICATION_SECTION) {
      selfTotal++;
      if (last?.outcome === 'got-it') gotIt++;
      else if (last?.outcome === 'partly') partly++;
      else if (last?.outcome === 'missed') missed++;
    }
  }
  return { auto: { correct, answered, total }, self: { gotIt, partly, missed, total: selfTotal } };
}

function responseText(response: string | readonly string[] | undefined): string | undefined {
  if (response === undefined) return undefined;
  return typeof response === 'string' ? response : response.join(', ');
}

export function computeScorecard(input: ScorecardInput): Scorecard {
  const { manifest, moduleId, progress, grades, quiz } = input;
  const module = manifest.modules.find((m) => m.id === moduleId);
  if (!module) throw new Error(`no module "${moduleId}" in the manifest`);
  const exercises = allExercises(manifest);
  const byId = new Map(exercises.map((e) => [e.id, e]));
  const patternIds = new Set(exercises.filter((e) => e.kind === 'pattern').map((e) => e.id));
  const items = quiz?.items ?? [];

  const patterns: PatternScore[] = patternExercises(manifest, moduleId).map((entry) => {
    const tally = gradeTally(grades.get(entry.id));
    return {
      id: entry.id,
      title: entry.title,
      requirements: { done: tally.done, total: tally.total, ...(tally.problem ? { problem: tally.problem } : {}) },
      passing: tally.passing,
      hintsUsed: progress.exercises[entry.id]?.hintsShown ?? 0,
      hintsAvailable: entry.hints.length,
      quiz: tallyQuiz(items.filter((i) => i.tests.includes(entry.id)), progress),
    };
  });

  const challengeEntries = challengeExercises(manifest, moduleId);
  const challenges: ChallengeScore[] = challengeEntries.map((entry) => {
    const tally = gradeTally(grades.get(entry.id));
    return {
      id: entry.id,
      title: entry.title,
      solved: tally.passing,
      bugs: entry.plantedBugs ?? 0,
      ...(tally.problem ? { problem: tally.problem } : {}),
    };
  });

  const checkItems = items.filter((i) => i.kind === 'check');
  const ticked = checkItems.filter((i) => progress.checklist[i.id] === true);

  const predictions: PredictionRow[] = items
    .filter((i) => i.phase === 'before')
    .map((item) => {
      const pair = predictionPair(item, progress, patternIds);
      const measurement = item.measure ? input.measurements?.get(item.measure) : undefined;
      return {
        itemId: item.id,
        title: item.title,
        predicted: responseText(pair.prediction?.response),
        predictedOutcome: pair.prediction?.outcome,
        verified: responseText(pair.verified?.response),
        verifiedOutcome: pair.verified?.outcome,
        modelAnswer: isAutoGraded(item) ? expectedAnswer(item) : undefined,
        measured: !measurement ? undefined : 'problem' in measurement ? { problem: measurement.problem } : {
          operation: measurement.operation,
          points: measurement.points,
          growth: classifyGrowth(measurement.points),
        },
      };
    });

  const certItems = items.filter((i) => i.section === CERTIFICATION_SECTION && i.kind === 'rate');
  const statements: CertificationStatement[] = certItems.map((item) => {
    const rating = lastAnswer(item, progress)?.outcome;
    return {
      id: item.id,
      statement: item.prompt,
      ...(rating === 'missed' || rating === 'partly' || rating === 'got-it' ? { rating } : {}),
      revisit: item.tests.map((id) => byId.get(id)?.title ?? id),
    };
  });
  const score = statements.reduce((sum, s) => sum + (s.rating === 'got-it' ? 1 : s.rating === 'partly' ? 0.5 : 0), 0);
  const outOf = statements.length;
  const selfRated = outOf > 0 && score >= MASTERY_THRESHOLD;
  const patternsPassing = { done: patterns.filter((p) => p.passing).length, total: patterns.length };
  const challengesSolved = { done: challenges.filter((c) => c.solved).length, total: challenges.length, required: challengesRequired(challenges.length) };
  const gradedPasses = patternsPassing.done === patternsPassing.total && challengesSolved.done >= challengesSolved.required;
  const mastered = selfRated && gradedPasses;
  const revisit = selfRated ? [] : revisitList(statements, quiz);
  const caveats = [
    ...patterns.filter((p) => !p.passing).map((p) => `${p.title}: ${p.requirements.done}/${p.requirements.total} requirements pass`),
    ...challenges.filter((c) => !c.solved).map((c) => `${c.title}: not solved yet`),
  ];

  const sum = (f: (p: PatternScore) => number): number => patterns.reduce((s, p) => s + f(p), 0);
  return {
    moduleId,
    title: module.title,
    patterns,
    module: {
      requirements: { done: sum((p) => p.requirements.done), total: sum((p) => p.requirements.total) },
      hintsUsed: sum((p) => p.hintsUsed),
      quiz: tallyQuiz(items, progress),
    },
    debugging: {
      challenges,
      solved: { done: challenges.filter((c) => c.solved).length, total: challenges.length },
      bugsFixed: { done: challenges.filter((c) => c.solved).reduce((s, c) => s + c.bugs, 0), total: challenges.reduce((s, c) => s + c.bugs, 0) },
    },
    checklist: { done: ticked.length, total: checkItems.length, open: checkItems.filter((i) => !ticked.includes(i)).map((i) => i.prompt) },
    predictions,
    certification: {
      score, outOf, rated: statements.filter((s) => s.rating).length, statements,
      selfRated, graded: { patternsPassing, challengesSolved, passes: gradedPasses }, mastered, revisit, caveats,
    },
  };
}

/** Statements not yet "got it", each with the exercises it points back to; then the proof prompts. */
function revisitList(statements: readonly CertificationStatement[], quiz: Quiz | undefined): string[] {
  const list: string[] = [];
  for (const s of statements) {
    if (s.rating === 'got-it') continue;
    list.push(`${s.statement} (${s.rating ?? 'not rated'}): revisit ${s.revisit.join(', ')}`);
  }
  const proofs = quiz?.items.filter((i) => i.section === CERTIFICATION_SECTION && i.kind === 'free') ?? [];
  if (proofs.length > 0) list.push(`Then complete a proof of mastery: ${proofs.map((p) => p.title).join(' or ')}, and rate yourself again.`);
  return list;
}

