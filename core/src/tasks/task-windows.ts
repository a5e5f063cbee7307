import { addDays, localParts } from '../shared/time.ts';
import type { TaskRepeat } from './tasks.contract.ts';

/** The window of a `once` task: one for ever. */
export const ONCE_WINDOW = '1970-01-01';

export interface TaskWindows {
  daily: { start: string; end: string };
  weekly: { start: string; end: string };
  monthly: { start: string; end: string };
}

/**
 * The windows an event at `at` falls in, as local dates of the tenant's zone: its day, its week
 * (weeks start on Monday) and its month; `end` is the first local date after the window.
 */
export function taskWindows(at: Date, timeZone: string): TaskWindows {
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

export function windowOf(repeat: TaskRepeat, w: TaskWindows): { start: string; end: string | null } {
  return repeat === 'once' ? { start: ONCE_WINDOW, end: null } : w[repeat];
}
