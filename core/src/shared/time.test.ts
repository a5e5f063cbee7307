import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isRealDate, isValidTimeZone, localDate, localParts, localPartsIntl, startOfLocalDay } from './time.ts';

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

describe('localParts from the cached zone offset', () => {
  // Zones with DST at whole hours, at half hours (Lord Howe), at 45-minute offsets (Chatham),
  // negative half-hour offsets (St John's), none (Shanghai), and a far-east date-line zone.
  const zones = [
    'Asia/Shanghai',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/St_Johns',
    'Pacific/Kiritimati',
    'UTC',
  ];

  it('agrees with Intl at every instant, DST edges included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, ms) => {
        expect(localParts(new Date(ms), zone)).toEqual(localPartsIntl(new Date(ms), zone));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with Intl second by second around transitions', () => {
    // New York spring forward and fall back 2026, London's, Lord Howe's half-hour change.
    const edges: [string, number][] = [
      ['America/New_York', Date.UTC(2026, 2, 8, 7)],
      ['America/New_York', Date.UTC(2026, 10, 1, 6)],
      ['Europe/London', Date.UTC(2026, 2, 29, 1)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
      // Shanghai left local mean time (+8:05:43) at 15:54:17 UTC, inside a 15-minute slot.
      ['Asia/Shanghai', Date.UTC(1900, 11, 31, 15, 54, 17)],
    ];
    for (const [zone, edge] of edges) {
      for (let ms = edge - 20 * 60_000; ms <= edge + 20 * 60_000; ms += 997) {
        expect(localParts(new Date(ms), zone), `${zone} ${new Date(ms).toISOString()}`).toEqual(localPartsIntl(new Date(ms), zone));
      }
    }
  });

  it('falls back to Intl outside the cached years and still refuses an unknown zone', () => {
    const old = new Date(Date.UTC(1850, 5, 1, 12));
    expect(localParts(old, 'Asia/Shanghai')).toEqual(localPartsIntl(old, 'Asia/Shanghai'));
    expect(() => localParts(new Date(Date.UTC(2026, 0, 1)), 'Mars/Olympus')).toThrow(RangeError);
  });
});
