// zod with OpenAPI metadata: every contract imports z from here.
import { z } from 'zod';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { isRealDate, isValidTimeZone } from './time.ts';

extendZodWithOpenApi(z);

export { z };

/** The largest value of a Postgres `integer`: amounts, points, growth and counts are bounded by it. */
export const INT4_MAX = 2_147_483_647;

/**
 * Text Postgres can store and JSON can carry: no NUL character (Postgres refuses it) and no lone
 * UTF-16 surrogate (not valid Unicode; the driver cannot encode it). Every string that comes in
 * (body, query, path) is checked with it: the route layer checks every incoming string, and the
 * helpers below check their own so a contract used elsewhere refuses the same.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isCleanText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}
export const CLEAN_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/** Strings are bounded (≤ 255 unless stated) and must be clean text (see isCleanText). */
export const str = (max = 255) => z.string().min(1).max(max).refine(isCleanText, CLEAN_TEXT_MESSAGE);

export const code = () =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');

/** An id or reference in a path or body (a unionId, an external id, a row id): bounded clean text. */
export const ident = (max = 255) => str(max);

/** An integer that fits a Postgres `integer` column (−2³¹+1 … 2³¹−1 unless narrowed). */
export const int4 = (min = -INT4_MAX, max = INT4_MAX) => z.number().int().min(min).max(max);

export const dateOnly = () =>
  z.string().refine((s) => isRealDate(s) && isInTimestampRange(new Date(`${s}T00:00:00Z`)), `must be a real date YYYY-MM-DD in the years 1970–9999`);
export const timeZone = () => z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone');
export const cents = () => z.number().int().min(0).max(INT4_MAX);
export const bps = () => z.number().int().min(0).max(10_000);

/** Years both Postgres `timestamptz` and JS Date hold, and that make sense for loyalty events. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;
export function isInTimestampRange(d: Date): boolean {
  const t = d.getTime();
  if (Number.isNaN(t)) return false;
  const y = d.getUTCFullYear();
  return y >= MIN_YEAR && y <= MAX_YEAR;
}
export const rfc3339 = () =>
  z.iso.datetime({ offset: true }).refine((s) => isInTimestampRange(new Date(s)), `must be a time in the years ${MIN_YEAR}–${MAX_YEAR}`);

/** A boolean query parameter: `true` or `false` (absent = false); z.coerce.boolean would read "false" as true. */
export const queryFlag = () =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true');
