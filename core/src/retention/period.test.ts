import { describe, expect, it } from 'vitest';
import { nextPeriod, periodAt, periodContaining, previousPeriod } from './period.ts';

describe('retention periods in the tenant zone', () => {
  it('finds the quarter of a date', () => {
    const q = periodContaining('2026-05-15', 'quarter', 'Asia/Shanghai');
    expect([q.firstDay, q.lastDay, q.nextFirstDay]).toEqual(['2026-04-01', '2026-06-30', '2026-07-01']);
    expect(q.start.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(q.end.toISOString()).toBe('2026-06-30T16:00:00.000Z');
  });
  it('wraps the year and handles month, half year and year', () => {
    expect(periodContaining('2026-12-31', 'quarter', 'UTC').nextFirstDay).toBe('2027-01-01');
    expect(periodContaining('2026-02-10', 'month', 'UTC').lastDay).toBe('2026-02-28');
    expect(periodContaining('2026-08-10', 'half_year', 'UTC').firstDay).toBe('2026-07-01');
    expect(periodContaining('2026-08-10', 'year', 'UTC').lastDay).toBe('2026-12-31');
  });
  it('decides the period by local date, not UTC', () => {
    // 2026-03-31T17:00Z is already April 1st in Shanghai.
    expect(periodAt(new Date('2026-03-31T17:00:00Z'), 'quarter', 'Asia/Shanghai').firstDay).toBe('2026-04-01');
    expect(periodAt(new Date('2026-03-31T17:00:00Z'), 'quarter', 'America/New_York').firstDay).toBe('2026-01-01');
  });
  it('steps to the next and previous period', () => {
    const q = periodContaining('2026-05-15', 'quarter', 'UTC');
    expect(nextPeriod(q, 'quarter', 'UTC').firstDay).toBe('2026-07-01');
    expect(previousPeriod(q, 'quarter', 'UTC').lastDay).toBe('2026-03-31');
  });
});
