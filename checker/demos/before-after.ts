/**
 * The chapter's before/after comparison as pure functions: a naive election where every node
 * follows the highest id it can see, against a majority election where a leader needs votes from
 * more than half of the WHOLE cluster. Each side of a partition only sees its own nodes.
 */

export interface PartitionOutcome {
  /** The sides of the partition, each a list of node ids. */
  readonly sides: readonly (readonly number[])[];
  /** Leaders the naive approach ends up with, one per side. */
  readonly naiveLeaders: readonly number[];
  /** Leaders majority election ends up with: at most one, on a side holding a majority. */
  readonly majorityLeaders: readonly number[];
  /** The sides that can serve writes under majority election (those with a leader). */
  readonly writableSides: readonly (readonly number[])[];
}

/** Port of the chapter's NaiveLeaderElection: a node follows the highest id it can see, itself included. */
export function naiveLeaderSeenBy(myId: number, visible: readonly number[]): number {
  return Math.max(myId, ...visible);
}

/** The naive outcome: every side crowns its own highest id, so each side has a leader. */
export function naiveLeaders(sides: readonly (readonly number[])[]): number[] {
  const leaders = new Set<number>();
  for (const side of sides) for (const id of side) leaders.add(naiveLeaderSeenBy(id, side));
  return [...leaders].sort((a, b) => a - b);
}

export function majorityOf(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}

/**
 * Majority election: on each side the highest id stands as candidate and collects one vote per
 * node it can reach (itself included); it wins only with a majority of the whole cluster.
 */
export function majorityLeaders(sides: readonly (readonly number[])[]): number[] {
  const clusterSize = sides.reduce((n, side) => n + side.length, 0);
  return sides
    .filter((side) => side.length >= majorityOf(clusterSize))
    .map((side) => Math.max(...side))
    .sort((a, b) => a - b);
}

export function comparePartition(sides: readonly (readonly number[])[]): PartitionOutcome {
  const majority = majorityLeaders(sides);
  return {
    sides,
    naiveLeaders: naiveLeaders(sides),
    majorityLeaders: majority,
    writableSides: sides.filter((side) => side.some((id) => majority.includes(id))),
  };
}

/** The chapter's two partitions: 5 nodes into {1,2,3} | {4,5}, and 7 nodes into {1-4} | {5-7}. */
export const CHAPTER_PARTITIONS: readonly (readonly (readonly number[])[])[] = [
  [[1, 2, 3], [4, 5]],
  [[1, 2, 3, 4], [5, 6, 7]],
];
