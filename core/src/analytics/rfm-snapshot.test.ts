import { describe, expect, it } from 'vitest';
import { rfmDayFor } from './rfm-snapshot.ts';

describe('rfmDayFor', () => {
  // 2026-11-22 17:30 UTC = 2026-11-23 01:30 in Shanghai, still 2026-11-22 in Los Angeles.
  const now = new Date('2026-11-22T17:30:00Z');

  it('is the range end once that day is over in the tenant time zone', () => {
    expect(rfmDayFor('2026-11-01', 'Asia/Shanghai', now)).toBe('2026-11-01');
    expect(rfmDayFor('2026-11-22', 'Asia/Shanghai', now)).toBe('2026-11-22');
  });

  it('is yesterday when the range ends today or later', () => {
    expect(rfmDayFor('2026-11-23', 'Asia/Shanghai', now)).toBe('2026-11-22');
    expect(rfmDayFor('2027-01-01', 'Asia/Shanghai', now)).toBe('2026-11-22');
    expect(rfmDayFor('2026-11-22', 'America/Los_Angeles', now)).toBe('2026-11-21');
  });
});
