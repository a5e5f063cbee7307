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
/** Local dates (birthdays, periods): years 1900–9999 (Postgres has no year 0000). */
export const MIN_DATE_YEAR = 1900;
export const dateOnly = () =>
  z
    .string()
    .refine((s) => isRealDate(s) && Number(s.slice(0, 4)) >= MIN_DATE_YEAR, `must be a real date YYYY-MM-DD in the years ${MIN_DATE_YEAR}–${MAX_YEAR}`);
export const rfc3339 = () =>
  z.iso.datetime({ offset: true }).refine((s) => isInTimestampRange(new Date(s)), `must be a time in the years ${MIN_YEAR}–${MAX_YEAR}`);

/** A boolean query parameter: `true` or `false` (absent = false); z.coerce.boolean would read "false" as true. */
export const queryFlag = () =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true');

/** `code:<store code>`: a store named by its code wherever a storeId is accepted (resolved by the API before the use case). */
export const STORE_CODE_PREFIX = 'code:';
export const STORE_ID_DESCRIPTION =
  'Store id `sto_…`, or `code:<store code>` (e.g. `code:mini-program`). Default: the store of a store-bound key; another store is 403';
/** An optional storeId of a body or query (a code reference is up to 5 + 64 characters). */
export const STORE_ID_FIELD = z.string().min(1).max(80).refine(isCleanText, CLEAN_TEXT_MESSAGE).optional().describe(STORE_ID_DESCRIPTION);
