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
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
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
