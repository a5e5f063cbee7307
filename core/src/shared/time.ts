// Tenant-time-zone calendar helpers. Days, weekdays and periods are decided in the tenant's
// IANA zone, never in UTC.

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dtf(timeZone: string): Intl.DateTimeFormat {
  let f = dtfCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    dtfCache.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The local wall-clock parts of an instant, straight from Intl (the reference). */
export function localPartsIntl(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    dtf(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday as string] ?? 0,
  };
}

// The zone's UTC offset per 15-minute slot of time, when it is the same at both ends of the
// slot (no transition inside it): the local parts are then the UTC parts of the shifted instant,
// without asking Intl (formatToParts costs microseconds, and hot paths ask several times a request).
const SLOT_MS = 15 * 60_000;
const MIN_CACHED = Date.UTC(1900, 0, 1);
const MAX_CACHED = Date.UTC(9999, 11, 31);
const offsets = new Map<string, Map<number, number | null>>();

function offsetAt(ms: number, timeZone: string): number {
  const p = localPartsIntl(new Date(ms), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

export function localParts(at: Date, timeZone: string): LocalParts {
  const ms = at.getTime();
  if (!(ms >= MIN_CACHED && ms <= MAX_CACHED)) return localPartsIntl(at, timeZone);
  let zone = offsets.get(timeZone);
  if (!zone) {
    if (offsets.size >= 1_000) offsets.clear();
    offsets.set(timeZone, (zone = new Map()));
  }
  const slot = Math.floor(ms / SLOT_MS);
  let offset = zone.get(slot);
  if (offset === undefined) {
    const first = offsetAt(slot * SLOT_MS, timeZone);
    offset = first === offsetAt((slot + 1) * SLOT_MS - 1_000, timeZone) ? first : null;
    if (zone.size >= 4_096) zone.clear();
    zone.set(slot, offset);
  }
  // A slot with a transition inside it: Intl for each instant.
  if (offset === null) return localPartsIntl(at, timeZone);
  const d = new Date(ms + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay() || 7,
  };
}

/** The local calendar date as YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The UTC instant of local midnight starting the given local date (YYYY-MM-DD) in the zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Start from UTC midnight and correct by the zone offset (twice, for DST edges).
  let guess = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess -= asUtc - Date.UTC(y, m - 1, d);
  }
  return new Date(guess);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const n = civilDay(date);
  if (n === null || !Number.isInteger(days)) return addDaysViaDate(date, days);
  const out = dateOfCivilDay(n + days);
  return out ?? addDaysViaDate(date, days);
}

/** addDays through Date (what addDays returns, for any input): the reference of its test. */
export function addDaysViaDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const isDigit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date (year 1000–9999, month 1–12, day 1–31; a day past
 * the month's end counts on into the next, as Date.UTC does), or null for anything else.
 */
export function civilDay(date: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(date, i)) return null;
  const y0 = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  if (y0 < 1000 || m < 1 || m > 12 || d < 1) return null;
  // Days from civil (proleptic Gregorian), after H. Hinnant.
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The YYYY-MM-DD date of a day number (civilDay's inverse), or null outside years 1000–9999. */
export function dateOfCivilDay(n: number): string | null {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const n = civilDay(date);
  if (n === null) return ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
  // 1970-01-01 was a Thursday (4).
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date in YYYY-MM-DD (rejects 2023-02-30). */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The tenant's zone with its last change (docs/rules.md §14 and docs/rules.md §15): periods and task windows
 * running when the zone changed keep the zone before it (`previous`) until they end; the next
 * ones follow `timezone`. `previous` and `changedAt` are null when the zone never changed.
 */
export interface ZoneHistory {
  timezone: string;
  previous: string | null;
  changedAt: Date | null;
}

/** A zone that never changed. */
export const fixedZone = (timezone: string): ZoneHistory => ({ timezone, previous: null, changedAt: null });
