import { addDays, localParts, type ZoneHistory } from '../shared/time.ts';
import type { TaskRepeat } from './tasks.contract.ts';

/** The window of a `once` task: one for ever. */
export const ONCE_WINDOW = '1970-01-01';

export interface TaskWindows {
  daily: { start: string; end: string };
  weekly: { start: string; end: string };
  monthly: { start: string; end: string };
}

function windowsIn(at: Date, timeZone: string): TaskWindows {
  const p = localParts(at, timeZone);
  const day = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  const monday = addDays(day, 1 - p.weekday);
  const month = `${p.year}-${String(p.month).padStart(2, '0')}-01`;
  const nextMonth = p.month === 12 ? `${p.year + 1}-01-01` : `${p.year}-${String(p.month + 1).padStart(2, '0')}-01`;
  return {
    daily: { start: day, end: addDays(day, 1) },
    weekly: { start: monday, end: addDays(monday, 7) },
    monthly: { start: month, end: nextMonth },
  };
}

/**
 * The windows an event at `at` falls in, as local dates of the tenant's zone: its day, its week
 * (weeks start on Monday) and its month; `end` is the first local date after the window.
 *
 * After a change of the zone (docs/rules.md §15) a window is named by its local start date, and
 * each name is used once: an event before the change falls in the old zone's window; one after
 * it falls in the new zone's window unless that window's date is not after the one running at
 * the change (the new zone is behind), in which case the running window goes on — so the window
 * running at the change ends with the new zone's end of it and is never counted or rewarded twice.
 */
export function taskWindows(at: Date, zone: string | ZoneHistory): TaskWindows {
  const z = typeof zone === 'string' ? { timezone: zone, previous: null, changedAt: null } : zone;
  if (!z.previous || !z.changedAt || z.previous === z.timezone) return windowsIn(at, z.timezone);
  if (at < z.changedAt) return windowsIn(at, z.previous);
  const running = windowsIn(z.changedAt, z.previous);
  const now = windowsIn(at, z.timezone);
  const pick = <K extends keyof TaskWindows>(k: K) => (now[k].start <= running[k].start ? running[k] : now[k]);
  return { daily: pick('daily'), weekly: pick('weekly'), monthly: pick('monthly') };
}

export function windowOf(repeat: TaskRepeat, w: TaskWindows): { start: string; end: string | null } {
  return repeat === 'once' ? { start: ONCE_WINDOW, end: null } : w[repeat];
}
