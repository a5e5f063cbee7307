// Merchant units: the API keeps integers (minor units, basis points); the dashboard shows and
// takes ¥20.00, 95折 / "5% off", ×1.2 and 50%. Every conversion here is done on decimal
// strings and integers, never through a binary float, so "19.99" is 1999 cents exactly.
import type { Locale } from '@/i18n';

export const MAX_INT = 2_147_483_647;

/** Why a typed value was refused (each has a message in en.ts / zh-CN.ts under `units.error.*`). */
export type UnitError = 'required' | 'invalid' | 'tooPrecise' | 'outOfRange';
export type Parsed = { ok: true; value: number } | { ok: false; error: UnitError };

export interface Bounds {
  /** Smallest accepted value, in the API's integer unit (cents, bps); default 0. */
  min?: number;
  /** Largest accepted value, in the API's integer unit; default 2^31-1. */
  max?: number;
}

const bad = (error: UnitError): Parsed => ({ ok: false, error });

function bounded(value: number, b: Bounds = {}): Parsed {
  const min = b.min ?? 0;
  const max = b.max ?? MAX_INT;
  return value < min || value > max ? bad('outOfRange') : { ok: true, value };
}

/**
 * A decimal string scaled to an integer: ("19.99", 2) → 1999, ("1.2", 4) → 12000. Thousands
 * separators and spaces are ignored; a sign, an exponent or more than `decimals` fraction digits
 * is refused. Digits only, so no float is involved.
 */
export function parseScaled(text: string, decimals: number): Parsed {
  const s = text.replace(/[\s,，_]/g, '');
  if (s === '') return bad('required');
  const m = /^(\d*)(?:[.．](\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return bad('invalid');
  const whole = m[1] || '0';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) return bad('tooPrecise');
  const digits = (whole + frac.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 10 || Number(digits) > MAX_INT) return bad('outOfRange');
  return { ok: true, value: Number(digits) };
}

/** An integer shown with `decimals` implied places, trailing zeros dropped: (8850, 2) → "88.5". */
export function scaledToString(n: number, decimals: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = String(Math.abs(Math.trunc(n))).padStart(decimals + 1, '0');
  const whole = abs.slice(0, abs.length - decimals);
  const frac = abs.slice(abs.length - decimals).replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

// ---- money -------------------------------------------------------------------------------

/** ¥1,288.00 from 128800 (integer minor units, formatted from a decimal string). */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const digits = `${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  // Intl accepts decimal strings exactly (no binary rounding).
  // narrowSymbol: ¥ in every language (not "CN¥"), the way the merchant writes it.
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(
    `${sign}${digits}` as unknown as number,
  );
}

/** The currency's sign for an input's prefix: CNY → "¥". */
export function currencySymbol(currency: string, locale: Locale): string {
  try {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
    return parts.find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

/** The value a money input shows for `cents`: 2000 → "20", 1999 → "19.99", 1950 → "19.5". */
export function moneyInput(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? '' : scaledToString(cents, 2);
}

/** A typed amount in the currency ("¥1,288.50", "20", "19.9") → integer cents. */
export function parseMoney(text: string, bounds?: Bounds): Parsed {
  const p = parseScaled(text.replace(/^[¥￥$€£]|^[A-Za-z]{3}\s*(?=[\d.])|元$/g, ''), 2);
  return p.ok ? bounded(p.value, bounds) : p;
}

// ---- discounts ---------------------------------------------------------------------------

/**
 * A price-paid rate in words: 9500 → "95折" (zh-CN) / "5% off" (en); 9000 → "9折" / "10% off".
 * 10000 or more is no discount (null: the caller says so in words).
 */
export function formatDiscount(paidBps: number, locale: Locale): string | null {
  if (paidBps >= 10_000) return null;
  if (locale === 'zh-CN') {
    const tenths = paidBps % 1000 === 0 || paidBps < 1000 ? scaledToString(paidBps, 3) : scaledToString(paidBps, 2);
    return `${tenths}折`;
  }
  return `${scaledToString(10_000 - paidBps, 2)}% off`;
}

/** What a discount input shows: en in "% off" (9500 → "5"), zh-CN in 折 (9500 → "95"). */
export function discountInput(paidBps: number | null | undefined, locale: Locale): string {
  if (paidBps === null || paidBps === undefined) return '';
  if (locale !== 'zh-CN') return scaledToString(10_000 - paidBps, 2);
  // 1折 and below are typed in tenths (0.5), above as the percent paid (95).
  return paidBps <= 1000 ? scaledToString(paidBps, 3) : scaledToString(paidBps, 2);
}

/**
 * A typed discount → the price-paid rate in bps. en: percent off ("5" → 9500). zh-CN: 折, either
 * "95" / "88.5" (percent paid) or "9.5" / "9" (up to 10: tenths), so 95折 = 9.5折 = 9500.
 */
export function parseDiscount(text: string, locale: Locale): Parsed {
  const s = text.replace(/折|%|％|off/gi, '');
  if (locale === 'zh-CN') {
    const p = parseScaled(s, 2);
    if (!p.ok) return p;
    // Up to 10 the number is in tenths (9.5折, 10折 = full price); above it is the percent paid (95折).
    if (p.value <= 1000) {
      const t = parseScaled(s, 3);
      return t.ok ? bounded(t.value, { min: 1, max: 10_000 }) : t;
    }
    return bounded(p.value, { min: 1, max: 10_000 });
  }
  const p = parseScaled(s, 2);
  if (!p.ok) return p;
  return p.value > 10_000 ? bad('outOfRange') : bounded(10_000 - p.value, { min: 0, max: 10_000 });
}

/** A coupon's amount-off rate (percentBps) in words: 1000 → "9折" / "10% off". */
export function formatPercentOff(offBps: number, locale: Locale): string | null {
  return formatDiscount(10_000 - offBps, locale);
}

export function percentOffInput(offBps: number | null | undefined, locale: Locale): string {
  return offBps === null || offBps === undefined ? '' : discountInput(10_000 - offBps, locale);
}

/** A typed coupon discount (same units as parseDiscount) → amount-off bps (1–10000). */
export function parsePercentOff(text: string, locale: Locale): Parsed {
  const p = parseDiscount(text, locale);
  return p.ok ? bounded(10_000 - p.value, { min: 1, max: 10_000 }) : p;
}

// ---- multipliers and plain percentages ---------------------------------------------------

/** 12000 → "×1.2". */
export function formatMultiplier(bps: number): string {
  return `×${scaledToString(bps, 4)}`;
}

export function multiplierInput(bps: number | null | undefined): string {
  return bps === null || bps === undefined ? '' : scaledToString(bps, 4);
}

/** "1.2", "×1.2", "1.2x" → 12000. */
export function parseMultiplier(text: string, bounds: Bounds = { min: 0, max: 100_000 }): Parsed {
  const p = parseScaled(text.replace(/^[×x*]|[×x]$/gi, ''), 4);
  return p.ok ? bounded(p.value, bounds) : p;
}

/** 5000 → "50%" (a share, not a discount). */
export function formatPercent(bps: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    scaledToString(bps, 4) as unknown as number,
  );
}

export function percentInput(bps: number | null | undefined): string {
  return bps === null || bps === undefined ? '' : scaledToString(bps, 2);
}

/** "50" or "50%" → 5000 (0–100 %). */
export function parsePercent(text: string, bounds: Bounds = { min: 0, max: 10_000 }): Parsed {
  const p = parseScaled(text.replace(/%|％/g, ''), 2);
  return p.ok ? bounded(p.value, bounds) : p;
}

/** A whole number (points, days, counts) within bounds. */
export function parseCount(text: string, bounds?: Bounds): Parsed {
  const p = parseScaled(text, 0);
  if (!p.ok) return p.error === 'tooPrecise' ? bad('invalid') : p;
  return bounded(p.value, bounds);
}
