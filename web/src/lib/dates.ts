// Dates as the dashboard's fields show and take them, and local days as instants of the
// tenant's time zone (a filter "from 1 Dec to 2 Dec" covers those days where the tenant is).
import type { Locale } from '@/i18n';

/** A YYYY-MM-DD date as the box shows it. */
export function displayDate(iso: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return locale === 'zh-CN' ? iso.replaceAll('-', '/') : iso;
}

/**
 * A typed date → YYYY-MM-DD, or null when it is not a real date. Takes 2026-12-02, 2026/12/2,
 * 2026.12.02 and 2026年12月2日.
 */
export function parseDateText(text: string): string | null {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A typed 24-hour time → HH:mm, or null. Takes 9:30, 09:30 and 0930. */
export function parseTimeText(text: string): string | null {
  const m = /^\s*(\d{1,2})\s*[:：]?\s*(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  if (h > 23 || mi > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** The offset (ms) of `zone` from UTC at the instant `t`. */
function offsetAt(t: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(t))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(t / 1000) * 1000;
}

/** The instant local midnight starts the day YYYY-MM-DD in `zone` (corrected twice, for DST edges). */
export function localDayStart(day: string, zone: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let t = wall;
  for (let i = 0; i < 2; i++) t = wall - offsetAt(t, zone);
  return new Date(t).toISOString();
}

/** The day after YYYY-MM-DD. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
