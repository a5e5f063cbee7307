import type { NextFunction, Request, Response } from 'express';
import { AppError } from '@unionpoint/core';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash } from '@unionpoint/core/idempotency';
import { withTenant } from '@unionpoint/db';
import type { ApiDeps } from './deps.ts';

/**
 * Idempotency-Key on tenant POSTs: the same key and body within 24 h replays the first response
 * with `Idempotent-Replayed: true`; another body is 409; a concurrent duplicate is 409 in
 * progress. Server errors release the key so that a retry runs.
 */
export function idempotency(deps: ApiDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined) return next();
    const principal = req.principal;
    if (principal?.kind !== 'tenant') return next();
    try {
      if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
        throw new AppError('validation_failed', 'Idempotency-Key must be 1–255 characters', { errors: [{ path: 'Idempotency-Key', message: '1–255 characters' }] });
      }
      const ctx = principal.ctx;
      // Scope keys per caller (API key or user) so two integrations cannot collide.
      const scopedKey = `${principal.rateKey}:${key}`;
      const hash = requestHash(req.method, req.originalUrl.split('?')[0]!, req.body ?? null);
      const claim = await withTenant(deps.db.prisma, ctx.tenantId, (tx) => claimIdempotencyKey(tx, ctx, scopedKey, hash));
      if (claim.kind === 'conflict') throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with a different request');
      if (claim.kind === 'in_progress') throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed');
      if (claim.kind === 'replay') {
        res.setHeader('Idempotent-Replayed', 'true');
        const stored = claim.response as { body: unknown; contentType?: string };
        res.status(claim.statusCode);
        if (stored.contentType) res.type(stored.contentType);
        return res.send(typeof stored.body === 'string' ? stored.body : JSON.stringify(stored.body));
      }
      // Capture what the route sends, then store it once the response is written.
      const send = res.send.bind(res);
      let captured: unknown;
      res.send = (body?: unknown) => {
        captured = body;
        return send(body as never);
      };
      res.on('finish', () => {
        const status = res.statusCode;
        const contentType = String(res.getHeader('content-type') ?? 'application/json');
        const body = Buffer.isBuffer(captured) ? captured.toString('utf8') : captured;
        const op =
          status >= 500
            ? withTenant(deps.db.prisma, ctx.tenantId, (tx) => releaseIdempotencyKey(tx, ctx, scopedKey))
            : withTenant(deps.db.prisma, ctx.tenantId, (tx) => completeIdempotencyKey(tx, ctx, scopedKey, status, { body, contentType }));
        op.catch((err) => req.log?.error({ err }, 'idempotency record update failed'));
      });
      next();
    } catch (err) {
      next(err);
    }
  };
}
