import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addDaysViaDate,
  civilDay,
  isoWeekday,
  isRealDate,
  isValidTimeZone,
  localDate,
  localParts,
  localPartsIntl,
  startOfLocalDay,
} from './time.ts';

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

describe('date arithmetic on YYYY-MM-DD', () => {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const date = fc
    .record({ y: fc.integer({ min: 1000, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);

  it('addDays agrees with Date for any date and shift (a day past the month end counts on)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -800_000, max: 800_000 }), (dt, days) => {
        const viaDate = addDaysViaDate(dt, days);
        // Date.UTC leaves the four-digit years at 10000 and before 1000: compared where it gives a plain date.
        if (/^\d{4}-\d{2}-\d{2}$/.test(viaDate) && viaDate >= '1000') expect(addDays(dt, days)).toBe(viaDate);
      }),
      { numRuns: 20_000 },
    );
  });

  it('addDays at the edges: leap days, year ends, centuries, and input it does not parse', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-02-31', 0)).toBe('2026-03-03');
    expect(civilDay('1970-01-01')).toBe(0);
    expect(civilDay('2026-1-01')).toBeNull();
    for (const odd of ['2026-1-5', '0999-12-31', '2026-13-01', '2026-00-10']) expect(addDays(odd, 3)).toBe(addDaysViaDate(odd, 3));
  });

  it('isoWeekday agrees with Date (Monday 1 … Sunday 7)', () => {
    fc.assert(
      fc.property(date, (dt) => {
        expect(isoWeekday(dt)).toBe(((new Date(`${addDaysViaDate(dt, 0)}T12:00:00Z`).getUTCDay() + 6) % 7) + 1);
      }),
      { numRuns: 5_000 },
    );
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2024-02-29')).toBe(4);
    expect(isoWeekday('1969-12-28')).toBe(7);
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
