import { describe, it, expect } from 'vitest';
import { addDays, dueCount, dueItemIds, isIsoDate, nextSchedule, RETIRED_BOX } from './leitner.ts';

describe('Leitner schedule', () => {
  const today = '2025-02-27';
  it('leaves items known the first time unscheduled', () => {
    expect(nextSchedule(undefined, 'correct', today)).toEqual({ box: 0 });
    expect(nextSchedule(undefined, 'got-it', today)).toEqual({ box: 0 });
  });
  it('brings a miss back tomorrow and a partly known item soon', () => {
    expect(nextSchedule(undefined, 'missed', today)).toEqual({ box: 1, dueOn: '2025-02-28' });
    expect(nextSchedule({ box: 3 }, 'incorrect', today)).toEqual({ box: 1, dueOn: '2025-02-28' });
    expect(nextSchedule({ box: 3 }, 'partly', today)).toEqual({ box: 2, dueOn: '2025-03-02' });
    expect(nextSchedule(undefined, 'partly', today)).toEqual({ box: 1, dueOn: '2025-02-28' });
  });
  it('spaces correct answers further apart and retires the item after box 5', () => {
    let s = nextSchedule(undefined, 'missed', today);
    const dues: string[] = [];
    for (let i = 0; i < 4; i++) {
      s = nextSchedule(s, 'correct', s.dueOn!);
      dues.push(s.dueOn!);
    }
    expect(dues).toEqual(['2025-03-03', '2025-03-10', '2025-03-24', '2025-04-23']);
    expect(nextSchedule(s, 'got-it', s.dueOn!)).toEqual({ box: RETIRED_BOX });
  });
  it('counts and orders what is due on a given day', () => {
    const progress = { quiz: { b: { box: 1, dueOn: '2025-03-01' }, a: { box: 2, dueOn: '2025-02-20' }, c: { box: 1, dueOn: '2025-03-05' }, d: { box: 0 } } };
    expect(dueCount(progress, '2025-03-01')).toBe(2);
    expect(dueItemIds(progress, '2025-03-01')).toEqual(['a', 'b']);
    expect(dueCount(progress, '2025-02-01')).toBe(0);
  });
  it('does date arithmetic across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(isIsoDate('2025-02-30')).toBe(false);
  });
});
