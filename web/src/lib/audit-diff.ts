// An audit entry's before/after as field-by-field changes, each value in the merchant's units:
// what changed (a row per changed field, nested objects by their path), never the raw JSON.
import type { Locale } from '@/i18n';
import { formatDiscount, formatMultiplier, formatPercent, formatPercentOff } from './units';

export interface FieldChange {
  /** The field's path from the entry's object (`['earn', 'pointsPerUnit']`). */
  path: string[];
  before: unknown;
  after: unknown;
}

/** Bookkeeping every object carries, and internal ids (`entryId: ple_…`): not what a merchant reads. */
const NOISE_KEYS = new Set(['id', 'tenantId', 'createdAt', 'updatedAt', 'version', 'requestId']);
const isNoise = (key: string) => NOISE_KEYS.has(key) || /[a-z]Id$/.test(key);
const MAX_DEPTH = 4;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The changed leaves of `before` → `after`: plain objects are walked (to a depth of 4), arrays
 * and scalars compared whole. Only one side (a creation, a removal): each of its fields. A
 * scalar or array entry is one change with an empty path.
 */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  // An entry recorded as a bare list on one side and `{list, …counts}` on the other (the ladder's
  // replacements before 2026-12) is compared as the same list.
  if (Array.isArray(before) && isObject(after)) before = wrapLike(before, after);
  if (Array.isArray(after) && isObject(before)) after = wrapLike(after, before);
  const walk = (b: unknown, a: unknown, path: string[]) => {
    const bs = codedList(b);
    const as = codedList(a);
    if (bs && as && path.length < MAX_DEPTH) {
      // A list of coded objects (the ladder's tiers): item by item, matched by code, named by name.
      const byCode = (l: Record<string, unknown>[]) => new Map(l.map((x) => [x.code as string, x]));
      const bm = byCode(bs);
      const am = byCode(as);
      for (const code of new Set([...am.keys(), ...bm.keys()])) {
        const item = am.get(code) ?? bm.get(code)!;
        walk(bm.get(code), am.get(code), [...path, typeof item.name === 'string' && item.name ? item.name : code]);
      }
      return;
    }
    if ((isObject(b) || b == null) && (isObject(a) || a == null) && (isObject(a) || isObject(b)) && path.length < MAX_DEPTH) {
      const keys = [...new Set([...Object.keys(isObject(b) ? b : {}), ...Object.keys(isObject(a) ? a : {})])];
      for (const k of keys) {
        if (isNoise(k)) continue;
        walk(isObject(b) ? b[k] : undefined, isObject(a) ? a[k] : undefined, [...path, k]);
      }
      return;
    }
    if (!same(b, a) || (b === undefined) !== (a === undefined)) out.push({ path, before: b, after: a });
  };
  walk(before, after, []);
  // A creation lists what was set: empty values say nothing there.
  return out.filter((c) => !(c.before === undefined && (c.after === null || (Array.isArray(c.after) && c.after.length === 0))));
}

/** `list` under the key of `like` that holds an array, when there is exactly one such key. */
function wrapLike(list: unknown[], like: Record<string, unknown>): unknown {
  const keys = Object.keys(like).filter((k) => Array.isArray(like[k]));
  return keys.length === 1 ? { [keys[0]!]: list } : list;
}

/** The list when it is (or absent stands for) a list of objects each with a string `code`; else null. */
function codedList(v: unknown): Record<string, unknown>[] | null {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.every((x) => isObject(x) && typeof x.code === 'string') ? (v as Record<string, unknown>[]) : null;
}

/** An ISO weekday (1 = Monday … 7 = Sunday) in words: 周三 / Wednesday. */
function weekdayName(isoDay: number, locale: Locale): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: locale === 'zh-CN' ? 'short' : 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, isoDay)));
}

export interface ValueFormat {
  locale: Locale;
  money(cents: number): string;
  num(n: number): string;
  dateTime(iso: string): string;
  yes: string;
  no: string;
  none: string;
  /** An API enum value of this field in words (a role, a clawback mode), if it is one. */
  enumText?: (field: string, value: string) => string | undefined;
  /** A field name in words, for the keys of a small object shown on one line. */
  fieldWord?: (name: string) => string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A value in the unit its field names: `…Cents` money, `discountBps` 折 / % off, `…MultiplierBps` ×1.2… */
export function formatValue(field: string, v: unknown, f: ValueFormat): string {
  if (v === null || v === undefined) return f.none;
  if (typeof v === 'boolean') return v ? f.yes : f.no;
  if (typeof v === 'number') {
    if (/^weekdays?$/.test(field) && Number.isInteger(v) && v >= 1 && v <= 7) return weekdayName(v, f.locale);
    if (/Cents$/.test(field)) return f.money(v);
    if (/^discountBps$|DiscountBps$/.test(field)) return formatDiscount(v, f.locale) ?? f.none;
    if (/^percentBps$|PercentBps$/.test(field)) return formatPercentOff(v, f.locale) ?? f.none;
    if (/[mM]ultiplierBps$/.test(field)) return formatMultiplier(v);
    if (/Bps$/.test(field)) return formatPercent(v, f.locale);
    return f.num(v);
  }
  if (typeof v === 'string') return ISO_TIME.test(v) ? f.dateTime(v) : (f.enumText?.(field, v) ?? v);
  if (Array.isArray(v)) {
    if (v.length === 0) return f.none;
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map((x) => formatValue(field, x, f)).join(', ');
    return v.map((x) => (isObject(x) ? summary(x, f) : formatValue(field, x, f))).join('; ');
  }
  if (isObject(v)) return summary(v, f);
  return String(v);
}

/** A small object on one line ("tier: gold, count: 6"): a list item of a replaced array. */
function summary(o: Record<string, unknown>, f: ValueFormat): string {
  return Object.entries(o)
    .filter(([k, x]) => !isNoise(k) && x !== null && x !== undefined)
    .map(([k, x]) => `${f.fieldWord?.(k) ?? k}${f.locale === 'zh-CN' ? '：' : ': '}${isObject(x) ? '…' : formatValue(k, x, f)}`)
    .join(f.locale === 'zh-CN' ? '，' : ', ');
}
