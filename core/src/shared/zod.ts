// zod with OpenAPI metadata: every contract imports z from here.
import { z } from 'zod';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { isRealDate, isValidTimeZone } from './time.ts';

extendZodWithOpenApi(z);

export { z };

/** Strings are bounded (≤ 255 unless stated) and may not carry NUL bytes, which Postgres refuses. */
export const str = (max = 255) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const code = () =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');

export const dateOnly = () => z.string().refine(isRealDate, 'must be a real date YYYY-MM-DD');
export const timeZone = () => z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone');
export const cents = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const bps = () => z.number().int().min(0).max(10_000);
export const rfc3339 = () => z.iso.datetime({ offset: true });

/** A boolean query parameter: `true` or `false` (absent = false); z.coerce.boolean would read "false" as true. */
export const queryFlag = () =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true');
