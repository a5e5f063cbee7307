import type { Locale } from '@/i18n';

/** Formats integer minor units without turning them into a float: 12345 → "¥123.45". */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const digits = `${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  // Intl accepts decimal strings exactly (no binary rounding).
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(`${sign}${digits}` as unknown as number);
}

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
