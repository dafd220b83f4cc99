import type { ExerciseEntry } from './types.ts';

/**
 * What the module layout decides about a challenge, written once: from `<module>/debugging/<name>`
 * follow its file, grader, variants, demo, and the sections of its brief and model answer (both
 * headed by its title). A challenge's manifest entry gives only what is its own.
 */
export interface ChallengeSpec {
  readonly kind?: 'challenge' | 'incident';
  readonly title: string;
  readonly summary: string;
  readonly patterns: readonly string[];
  readonly plantedBugs?: number;
  readonly hints: readonly string[];
  /** Whether it has a demo program at checker/demos/<module>/debugging/<name>.demo.ts. */
  readonly demo?: boolean;
}

export function challenge(id: `${string}/debugging/${string}`, spec: ChallengeSpec): ExerciseEntry {
  const [module, , name] = id.split('/') as [string, string, string];
  const brief = { file: `exercises/${module}/debugging/README.md`, section: spec.title };
  return {
    id,
    kind: spec.kind ?? 'challenge',
    title: spec.title,
    summary: spec.summary,
    file: `${module}/debugging/${name}.ts`,
    grader: `checker/graders/${module}/debugging/${name}.grader.ts`,
    variants: `checker/variants/${module}/debugging/${name}`,
    ...(spec.demo ? { demo: `checker/demos/${module}/debugging/${name}.demo.ts` } : {}),
    guide: brief,
    brief,
    answer: { file: `checker/answers/${module}.md`, section: spec.title },
    patterns: spec.patterns,
    ...(spec.plantedBugs !== undefined ? { plantedBugs: spec.plantedBugs } : {}),
    hints: spec.hints,
  };
}
