import { describe, it, expect } from 'vitest';
import { comparePartition, majorityLeaders, majorityOf, naiveLeaderSeenBy, naiveLeaders } from './before-after.ts';

describe('naive election (highest visible id)', () => {
  it('follows the highest id it can see, itself included', () => {
    expect(naiveLeaderSeenBy(2, [1, 3])).toBe(3);
    expect(naiveLeaderSeenBy(5, [4])).toBe(5);
  });

  it('elects one leader per side of a partition', () => {
    expect(naiveLeaders([[1, 2, 3], [4, 5]])).toEqual([3, 5]);
    expect(naiveLeaders([[1, 2, 3, 4], [5, 6, 7]])).toEqual([4, 7]);
  });

  it('elects a single leader when nothing is cut', () => {
    expect(naiveLeaders([[1, 2, 3, 4, 5]])).toEqual([5]);
  });
});

describe('majority election', () => {
  it('needs more than half of the whole cluster', () => {
    expect(majorityOf(5)).toBe(3);
    expect(majorityOf(7)).toBe(4);
    expect(majorityOf(4)).toBe(3);
  });

  it('5 nodes split {1,2,3} | {4,5}: one leader, node 3, and only that side serves writes', () => {
    const outcome = comparePartition([[1, 2, 3], [4, 5]]);
    expect(outcome.naiveLeaders).toHaveLength(2);
    expect(outcome.majorityLeaders).toEqual([3]);
    expect(outcome.writableSides).toEqual([[1, 2, 3]]);
  });

  it('7 nodes split {1-4} | {5-7}: naive 2 leaders, majority 1 leader in the 4-node side', () => {
    const outcome = comparePartition([[1, 2, 3, 4], [5, 6, 7]]);
    expect(outcome.naiveLeaders).toEqual([4, 7]);
    expect(outcome.majorityLeaders).toEqual([4]);
    expect(outcome.writableSides).toEqual([[1, 2, 3, 4]]);
  });

  it('elects nobody when no side holds a majority', () => {
    expect(majorityLeaders([[1, 2], [3, 4], [5]])).toEqual([]);
    expect(majorityLeaders([[1, 2], [3, 4]])).toEqual([]);
  });
});
