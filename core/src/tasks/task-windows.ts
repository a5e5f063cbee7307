import { addDays, localParts, startOfLocalDay, type ZoneHistory } from '../shared/time.ts';
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
 * A change of the zone applies from the next window on (docs/rules.md §15): the window running
 * at the change keeps its name (its local start date) and lasts until the later of its end in
 * the old zone and in the new one — never cut short, never met again — and the new zone's
 * windows follow. So no window is counted or rewarded twice across the change.
 */
export function taskWindows(at: Date, zone: string | ZoneHistory): TaskWindows {
  const z = typeof zone === 'string' ? { timezone: zone, previous: null, changedAt: null } : zone;
  if (!z.previous || !z.changedAt || z.previous === z.timezone) return windowsIn(at, z.timezone);
  const before = windowsIn(at, z.previous);
  const running = windowsIn(z.changedAt, z.previous);
  const after = windowsIn(at, z.timezone);
  const pick = <K extends keyof TaskWindows>(k: K) => {
    const w = running[k];
    if (at < startOfLocalDay(w.start, z.previous!)) return before[k];
    const end = Math.max(startOfLocalDay(w.end, z.previous!).getTime(), startOfLocalDay(w.end, z.timezone).getTime());
    return at.getTime() < end ? w : after[k];
  };
  return { daily: pick('daily'), weekly: pick('weekly'), monthly: pick('monthly') };
}

export function windowOf(repeat: TaskRepeat, w: TaskWindows): { start: string; end: string | null } {
  return repeat === 'once' ? { start: ONCE_WINDOW, end: null } : w[repeat];
}
