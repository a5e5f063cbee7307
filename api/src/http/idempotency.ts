import type { Request } from 'express';
import { AppError, type TenantContext } from '@unionpoint/core';
import { claimIdempotencyKey, findIdempotencyRecord, requestHash, storeIdempotentResponse } from '@unionpoint/core/idempotency';
import { withTenant, type Tx } from '@unionpoint/db';
import type { ApiDeps } from './deps.ts';

export interface IdempotentRequest {
  /** The key scoped per caller (API key or user), so two integrations cannot collide. */
  key: string;
  hash: string;
}

/** What a replay sends: the first response's status, headers and body. */
export interface StoredReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The request's Idempotency-Key, on a tenant POST (null without one); a malformed key is 400.
 * The hash covers method, path and the canonical JSON body.
 */
export function idempotentRequest(req: Request): IdempotentRequest | null {
  const key = req.headers['idempotency-key'];
  if (req.method !== 'POST' || key === undefined) return null;
  const principal = req.principal;
  if (principal?.kind !== 'tenant' && principal?.kind !== 'member') return null;
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1–255 characters', { errors: [{ path: 'Idempotency-Key', message: '1–255 characters' }] });
  }
  return { key: `${principal.rateKey}:${key}`, hash: requestHash(req.method, req.originalUrl.split('?')[0]!, req.body ?? null) };
}

/**
 * A write made idempotent by a business reference of its body (a route's `referenceKey`): used
 * like an Idempotency-Key of its own namespace (per caller and route) when the request sends no
 * header. The same reference again replays the first reply; with another body it is 409.
 */
export function referenceRequest(req: Request, path: string, reference: string | undefined): IdempotentRequest | null {
  const principal = req.principal;
  if (!reference || (principal?.kind !== 'tenant' && principal?.kind !== 'member')) return null;
  return { key: `${principal.rateKey}:ref:${path}:${reference}`, hash: requestHash(req.method, req.originalUrl.split('?')[0]!, req.body ?? null) };
}

/**
 * Runs a tenant request under its Idempotency-Key, in the request's own transaction: the claim
 * goes first (with BEGIN, no round trip of its own), the handler's use cases run on the same
 * transaction, and its reply is stored with COMMIT (deferStatement). So a rollback — the use
 * case refused the request, or the process died before COMMIT — leaves no record and a retry
 * runs; a concurrent duplicate waits on the claim until the first commits and then replays its
 * reply (`replayed: true`); the same key with another body is 409 `idempotency_conflict`.
 */
export async function runIdempotent(
  deps: ApiDeps,
  ctx: TenantContext,
  request: IdempotentRequest,
  handle: (tx: Tx) => Promise<StoredReply>,
): Promise<StoredReply & { replayed: boolean }> {
  try {
    const reply = await withTenant(deps.db.prisma, ctx.tenantId, async (tx) => {
      await claimIdempotencyKey(tx, ctx, request.key, request.hash);
      const r = await handle(tx);
      await storeIdempotentResponse(tx, ctx, request.key, r.status, { body: r.body ?? null, headers: r.headers ?? {} });
      return r;
    });
    return { ...reply, replayed: false };
  } catch (error) {
    // The claim failed because another request committed the key (or this one failed for its
    // own reasons and no record exists: then the error stands).
    const stored = await withTenant(deps.db.prisma, ctx.tenantId, (tx) => findIdempotencyRecord(tx, ctx, request.key), { readOnly: true }).catch(() => null);
    if (!stored) throw error;
    if (stored.requestHash !== request.hash) throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with a different request');
    const response = stored.response as { body: unknown; headers?: Record<string, string> };
    return { status: stored.statusCode, body: response.body ?? undefined, headers: response.headers ?? {}, replayed: true };
  }
}
