import { createHash } from 'node:crypto';
import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** Status code of a record whose request is still being processed. */
const IN_PROGRESS = 0;

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

export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'replay'; statusCode: number; response: unknown }
  | { kind: 'conflict' }
  | { kind: 'in_progress' };

/**
 * Claims an Idempotency-Key for a request. The first caller inserts an in-progress record and
 * runs the request; a replay with the same hash gets the stored response; another body gets
 * a conflict. Expired records are replaced.
 */
export async function claimIdempotencyKey(tx: Tx, ctx: TenantContext, key: string, hash: string): Promise<ClaimResult> {
  const now = new Date();
  await tx.idempotencyRecord.deleteMany({ where: { tenantId: ctx.tenantId, key, expiresAt: { lt: now } } });
  const inserted = await tx.idempotencyRecord.createMany({
    data: [{ tenantId: ctx.tenantId, key, requestHash: hash, statusCode: IN_PROGRESS, response: {}, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) }],
    skipDuplicates: true,
  });
  if (inserted.count === 1) return { kind: 'claimed' };
  const existing = await tx.idempotencyRecord.findUnique({ where: { tenantId_key: { tenantId: ctx.tenantId, key } } });
  if (!existing) return { kind: 'in_progress' };
  if (existing.requestHash !== hash) return { kind: 'conflict' };
  if (existing.statusCode === IN_PROGRESS) return { kind: 'in_progress' };
  return { kind: 'replay', statusCode: existing.statusCode, response: existing.response };
}

export async function completeIdempotencyKey(tx: Tx, ctx: TenantContext, key: string, statusCode: number, response: unknown): Promise<void> {
  await tx.idempotencyRecord.update({
    where: { tenantId_key: { tenantId: ctx.tenantId, key } },
    data: { statusCode, response: (response ?? null) as object },
  });
}

/** A request that failed with a server error releases its key so that a retry can run. */
export async function releaseIdempotencyKey(tx: Tx, ctx: TenantContext, key: string): Promise<void> {
  await tx.idempotencyRecord.deleteMany({ where: { tenantId: ctx.tenantId, key, statusCode: IN_PROGRESS } });
}
