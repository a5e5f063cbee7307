import type { Locale } from '@/i18n';

/** Money is formatted by the units module (one place for every merchant unit). */
export { formatMoney } from './units';

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatDateTime(iso: string | null | undefined, timeZone: string, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, timeZone: string, locale: Locale): string {
  if (!iso) return '—';
  // A plain YYYY-MM-DD is a calendar date already: format it without shifting the zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso))
    return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${iso}T00:00:00Z`));
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' }).format(new Date(iso));
}

export function formatBps(bps: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10000);
}
