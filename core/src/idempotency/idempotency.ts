import { createHash } from 'node:crypto';
import { Prisma, deferStatement, leadStatement, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** Status code of a claimed record before its response is stored; never committed as such. */
const CLAIMED = 0;

/** Stable JSON (sorted keys) so that the same body in another key order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}

/**
 * Claims an Idempotency-Key as the first statements of the request's own transaction (sent
 * with BEGIN, in the round trip of the use case's first statement: no round trip of its own).
 * The claim is a plain INSERT on the record's key: a concurrent request with the same key
 * blocks on it until this transaction commits (its INSERT then fails with a unique violation:
 * read the stored response with findIdempotencyRecord) or rolls back (its INSERT succeeds and
 * it runs). An expired record is deleted first. Nothing is left behind by a rollback, whether
 * the use case refused the request or the process died before COMMIT.
 */
export async function claimIdempotencyKey(tx: Tx, ctx: TenantContext, key: string, hash: string, now = new Date()): Promise<void> {
  await leadStatement(tx, Prisma.sql`DELETE FROM idempotency_records WHERE tenant_id = ${ctx.tenantId} AND key = ${key} AND expires_at < ${now}::timestamptz`);
  await leadStatement(
    tx,
    Prisma.sql`INSERT INTO idempotency_records (tenant_id, key, request_hash, status_code, response, created_at, expires_at)
               VALUES (${ctx.tenantId}, ${key}, ${hash}, ${CLAIMED}::int, '{}'::jsonb, ${now}::timestamptz, ${new Date(now.getTime() + IDEMPOTENCY_TTL_MS)}::timestamptz)`,
  );
}

/** The response of the claimed request, written with COMMIT (deferStatement): the claim and its response commit together. */
export async function storeIdempotentResponse(tx: Tx, ctx: TenantContext, key: string, statusCode: number, response: unknown): Promise<void> {
  await deferStatement(
    tx,
    Prisma.sql`UPDATE idempotency_records SET status_code = ${statusCode}::int, response = ${JSON.stringify(response ?? null)}::jsonb
               WHERE tenant_id = ${ctx.tenantId} AND key = ${key}`,
  );
}

export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

/** The committed, unexpired record of a key (after a claim failed), or null. */
export async function findIdempotencyRecord(tx: Tx, ctx: TenantContext, key: string, now = new Date()): Promise<IdempotencyRecord | null> {
  const [row] = await tx.$queryRaw<{ request_hash: string; status_code: number; response: unknown }[]>`
    SELECT request_hash, status_code, response FROM idempotency_records
    WHERE tenant_id = ${ctx.tenantId} AND key = ${key} AND expires_at >= ${now}::timestamptz AND status_code <> ${CLAIMED}::int`;
  return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response } : null;
}
