import { z } from 'zod';
import { AppError } from './errors.ts';
import { isCleanText, isInTimestampRange } from './zod.ts';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Items per page, 1–200 (default 50)'),
  cursor: z.string().max(512).optional().describe('The `nextCursor` of the previous page; absent for the first page'),
});
export type PageQuery = z.infer<typeof pageQuery>;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Keyset cursor over (createdAt desc, id desc): stable under concurrent inserts. */
export interface TimeCursor {
  at: Date;
  id: string;
}

export function encodeCursor(c: TimeCursor): string {
  return Buffer.from(JSON.stringify([c.at.toISOString(), c.id])).toString('base64url');
}

/**
 * Reads a cursor this API wrote: exactly `[ISO time, id]`, the time within the years Postgres and
 * JS share (1970–9999), the id short clean text. Anything else, crafted or corrupted, is 400.
 */
export function decodeCursor(cursor: string | undefined): TimeCursor | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) throw new Error('bad cursor');
    const [at, id] = parsed as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string') throw new Error('bad cursor');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(at)) throw new Error('bad cursor');
    const date = new Date(at);
    if (!isInTimestampRange(date)) throw new Error('bad cursor');
    if (id.length < 1 || id.length > 128 || !isCleanText(id)) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new AppError('validation_failed', 'The cursor is not valid', { errors: [{ path: 'cursor', message: 'Invalid cursor' }] });
  }
}

/** Prisma where fragment for "strictly after the cursor" in (createdAt desc, id desc) order. */
export function afterCursor(c: TimeCursor | null, field = 'createdAt') {
  if (!c) return {};
  return { OR: [{ [field]: { lt: c.at } }, { [field]: c.at, id: { lt: c.id } }] };
}

/** Takes limit+1 rows and turns them into a page. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (r: R) => T, at: (r: R) => Date): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { data: slice.map(map), nextCursor: more && last ? encodeCursor({ at: at(last), id: last.id }) : null };
}
