import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';

export type RetentionPeriodKind = 'month' | 'quarter' | 'half_year' | 'year';

const MONTHS: Record<RetentionPeriodKind, number> = { month: 1, quarter: 3, half_year: 6, year: 12 };

export interface Period {
  /** First local day, YYYY-MM-DD. */
  firstDay: string;
  /** Last local day, YYYY-MM-DD. */
  lastDay: string;
  /** First local day of the next period (the exclusive end). */
  nextFirstDay: string;
  /** Instants in the tenant's zone: [start, end). */
  start: Date;
  end: Date;
}

function firstDayOf(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** The period (calendar month, quarter, half year or year in the tenant's zone) containing a local date. */
export function periodContaining(date: string, kind: RetentionPeriodKind, timeZone: string): Period {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const len = MONTHS[kind];
  const startMonth = Math.floor((m - 1) / len) * len + 1;
  const firstDay = firstDayOf(y, startMonth);
  const nextMonth = startMonth + len;
  const nextFirstDay = nextMonth > 12 ? firstDayOf(y + 1, nextMonth - 12) : firstDayOf(y, nextMonth);
  return {
    firstDay,
    lastDay: addDays(nextFirstDay, -1),
    nextFirstDay,
    start: startOfLocalDay(firstDay, timeZone),
    end: startOfLocalDay(nextFirstDay, timeZone),
  };
}

export function periodAt(at: Date, kind: RetentionPeriodKind, timeZone: string): Period {
  return periodContaining(localDate(at, timeZone), kind, timeZone);
}

export function nextPeriod(p: Period, kind: RetentionPeriodKind, timeZone: string): Period {
  return periodContaining(p.nextFirstDay, kind, timeZone);
}

export function previousPeriod(p: Period, kind: RetentionPeriodKind, timeZone: string): Period {
  return periodContaining(addDays(p.firstDay, -1), kind, timeZone);
}
