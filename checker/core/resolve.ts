import { WorkbookError, EXIT } from '../cli/command.ts';
import type { ExerciseEntry, Manifest } from '../manifest/types.ts';
import { allExercises } from '../manifest/index.ts';

/**
 * Exercise ids are `<module>/<name>` or `<module>/debugging/<name>`. A learner may type any unique
 * prefix of the id or of the name alone (`raft`, `consensus/ra`, `split`); a typo gets the nearest
 * ids suggested. A prefix that could mean a pattern or a challenge lists both (exit 2).
 */

/** The last segment of an id: what a learner calls the exercise. */
const nameOf = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

export class UnknownExerciseError extends WorkbookError {
  constructor(query: string, readonly suggestions: readonly string[], ambiguous = false) {
    const hint = suggestions.length > 0 ? ` ${ambiguous ? 'It could be' : 'Did you mean'}: ${suggestions.join(', ')}?` : '';
    super(`${ambiguous ? 'Ambiguous' : 'Unknown'} exercise "${query}".${hint} (\`list\` shows every id.)`, EXIT.usage);
  }
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The candidates nearest to a mistyped word (all at the same, smallest distance), or none when
 * nothing is close enough to be a plausible typo.
 */
export function nearestWords(query: string, candidates: readonly string[]): string[] {
  const wanted = query.toLowerCase();
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(wanted, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (!Number.isFinite(best) || best > Math.max(2, Math.floor(wanted.length / 3))) return [];
  return scored.filter((s) => s.distance === best).map((s) => s.candidate);
}

/** Whether a word of a kebab-case name (after the first) starts with `query`. */
function hasWordStarting(name: string, query: string): boolean {
  return query.length > 0 && name.split('-').slice(1).some((word) => word.startsWith(query));
}

export function resolveExercise(manifest: Manifest, query: string): ExerciseEntry {
  const exercises = allExercises(manifest);
  const wanted = query.trim().toLowerCase();
  const exact = exercises.find((e) => e.id === wanted || nameOf(e.id) === wanted);
  if (exact) return exact;
  const byPrefix = exercises.filter((e) => e.id.startsWith(wanted) || nameOf(e.id).startsWith(wanted));
  // A prefix must not silently land on the other kind of exercise: `lock` starts the challenge
  // `lock-deadlock` but is a word of the pattern `distributed-lock`, so both are listed.
  const kinds = new Set(byPrefix.map((e) => e.kind));
  const otherKind = exercises.filter((e) => !byPrefix.includes(e) && !kinds.has(e.kind) && hasWordStarting(nameOf(e.id), wanted));
  const candidates = [...byPrefix, ...otherKind].sort((a, b) => Number(a.kind !== 'pattern') - Number(b.kind !== 'pattern'));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) throw new UnknownExerciseError(query, candidates.map((e) => e.id), true);
  const nearest = exercises
    .map((e) => ({ id: e.id, distance: Math.min(editDistance(wanted, e.id), editDistance(wanted, nameOf(e.id))) }))
    .sort((a, b) => a.distance - b.distance)
    .filter((candidate, index, all) => candidate.distance <= Math.max(3, Math.floor(wanted.length / 3)) && candidate.distance === all[0]!.distance);
  throw new UnknownExerciseError(query, nearest.map((c) => c.id));
}
