import { describe, expect, it } from 'vitest';
import { addDays, isRealDate, isValidTimeZone, localDate, localParts, startOfLocalDay } from './time.ts';

describe('tenant calendar', () => {
  it('decides the local day in the tenant zone, not UTC', () => {
    const at = new Date('2026-03-01T16:30:00Z'); // 00:30 on 2 March in Shanghai
    expect(localDate(at, 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDate(at, 'UTC')).toBe('2026-03-01');
    expect(localParts(at, 'Asia/Shanghai').weekday).toBe(1); // Monday
  });
  it('finds local midnight, across DST', () => {
    expect(startOfLocalDay('2026-03-02', 'Asia/Shanghai').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });
  it('validates dates and zones', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-13-01')).toBe(false);
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
