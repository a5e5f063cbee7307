import { describe, expect, it } from 'vitest';
import { taskWindows } from './task-windows.ts';

const zone = (previous: string, timezone: string, changedAt: string) => ({ timezone, previous, changedAt: new Date(changedAt) });

describe('task windows across a change of the time zone', () => {
  it('without a change: the local day, the week from Monday, the month', () => {
    expect(taskWindows(new Date('2027-01-20T17:00:00Z'), 'Asia/Shanghai')).toEqual({
      daily: { start: '2027-01-21', end: '2027-01-22' },
      weekly: { start: '2027-01-18', end: '2027-01-25' },
      monthly: { start: '2027-01-01', end: '2027-02-01' },
    });
  });

  it('Shanghai → New York (behind): the running day goes on to its New York end, then New York days', () => {
    const z = zone('Asia/Shanghai', 'America/New_York', '2027-01-20T18:00:00Z');
    const day = (at: string) => taskWindows(new Date(at), z).daily.start;
    expect(day('2027-01-20T15:00:00Z')).toBe('2027-01-20'); // before the change, Shanghai's 20th
    expect(day('2027-01-20T17:00:00Z')).toBe('2027-01-21'); // Shanghai's 21st, running at the change
    expect(day('2027-01-20T20:00:00Z')).toBe('2027-01-21'); // 20 Jan in New York: not met again
    expect(day('2027-01-22T04:59:59Z')).toBe('2027-01-21'); // to New York's end of the 21st
    expect(day('2027-01-22T05:00:00Z')).toBe('2027-01-22');
  });

  it('New York → Shanghai (ahead): the running day is not cut short; Shanghai days follow from its end', () => {
    const z = zone('America/New_York', 'Asia/Shanghai', '2027-01-20T18:00:00Z');
    const day = (at: string) => taskWindows(new Date(at), z).daily.start;
    expect(day('2027-01-20T18:30:00Z')).toBe('2027-01-20'); // 13:30 in New York, already the 21st in Shanghai
    expect(day('2027-01-21T04:59:59Z')).toBe('2027-01-20');
    expect(day('2027-01-21T05:00:00Z')).toBe('2027-01-21'); // Shanghai's 21st, from where the 20th ended
    expect(day('2027-01-21T16:00:00Z')).toBe('2027-01-22');
    expect(taskWindows(new Date('2027-01-21T05:00:00Z'), z).monthly.start).toBe('2027-01-01');
    expect(taskWindows(new Date('2027-02-01T04:59:59Z'), z).monthly.start).toBe('2027-01-01'); // January to its New York end
    expect(taskWindows(new Date('2027-02-01T05:00:00Z'), z).monthly.start).toBe('2027-02-01');
  });
});
