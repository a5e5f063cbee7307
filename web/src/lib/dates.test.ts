import { describe, expect, it } from 'vitest';
import { displayDate, localDayStart, nextDay, parseDateText, parseTimeText } from './dates';

describe('date fields', () => {
  it('show a date in the language order: yyyy/mm/dd in zh-CN, ISO in en', () => {
    expect(displayDate('2026-12-02', 'zh-CN')).toBe('2026/12/02');
    expect(displayDate('2026-12-02', 'en')).toBe('2026-12-02');
    expect(displayDate('', 'zh-CN')).toBe('');
  });

  it('take a typed date in the usual forms and refuse what is not a real date', () => {
    for (const s of ['2026-12-02', '2026/12/2', '2026.12.02', '2026年12月2日', ' 2026 / 12 / 02 ']) expect(parseDateText(s), s).toBe('2026-12-02');
    expect(parseDateText('2028-02-29')).toBe('2028-02-29');
    for (const s of ['2026-02-29', '2026-13-01', '12/02/2026', 'tomorrow', '1899-12-31']) expect(parseDateText(s), s).toBeNull();
  });

  it('take a 24-hour time', () => {
    expect(parseTimeText('9:30')).toBe('09:30');
    expect(parseTimeText('0930')).toBe('09:30');
    expect(parseTimeText('23：59')).toBe('23:59');
    expect(parseTimeText('24:00')).toBeNull();
    expect(parseTimeText('9:7')).toBeNull();
  });

  it('turn a local day into the instant it starts in the zone', () => {
    expect(localDayStart('2026-12-02', 'Asia/Shanghai')).toBe('2026-12-01T16:00:00.000Z');
    expect(localDayStart('2026-12-02', 'UTC')).toBe('2026-12-02T00:00:00.000Z');
    // Across a DST change (New York: 8 March 2026 starts at 05:00Z, 9 March at 04:00Z).
    expect(localDayStart('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(localDayStart('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
