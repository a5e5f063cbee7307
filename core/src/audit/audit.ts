import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { decodeCursor, afterCursor, toPage, type Page } from '../shared/pagination.ts';
import { forbidden, validationFailed } from '../shared/errors.ts';
import type { AuditAction, AuditQuery } from './audit.contract.ts';

export interface AuditInput {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as object));

/** Appends one audit entry in the caller's transaction: who, what, before, after, when. */
export async function recordAudit(tx: Tx, ctx: TenantContext, input: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      tenantId: ctx.tenantId,
      id: newId('aud'),
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      before: json(input.before) ?? undefined,
      after: json(input.after) ?? undefined,
      requestId: ctx.requestId ?? null,
    },
  });
}

export interface AuditEntryDto {
  id: string;
  actor: { type: string; id: string | null };
  action: AuditAction;
  target: { type: string | null; id: string | null };
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: string;
}

/**
 * The tenant's audit log, newest first, narrowed by the filters given (all must hold): who
 * acted, the action or its kind, the member it was about (already resolved to an id by the
 * caller), and a time range [from, to). Each filter with the tenant is a prefix of an index
 * ending in (created_at, id), so a page is read in order and stops after `limit + 1` rows.
 */
export async function listAudit(tx: Tx, ctx: TenantContext, query: Omit<AuditQuery, 'member'> & { memberId?: string | undefined }): Promise<Page<AuditEntryDto>> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read the audit log');
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from > to) throw validationFailed([{ path: 'query.from', message: 'must not be after `to`' }]);
  if (query.action && query.kind && !query.action.startsWith(`${query.kind}.`)) {
    throw validationFailed([{ path: 'query.kind', message: 'the action is not of this kind' }]);
  }
  const rows = await tx.auditEntry.findMany({
    where: {
      tenantId: ctx.tenantId,
      AND: [
        query.actorType ? { actorType: query.actorType } : {},
        query.actorId ? { actorId: query.actorId } : {},
        query.action ? { action: query.action } : query.kind ? { action: { startsWith: `${query.kind}.` } } : {},
        query.memberId ? { targetType: 'member', targetId: query.memberId } : {},
        from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {},
        afterCursor(decodeCursor(query.cursor)),
      ],
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  return toPage(
    rows,
    query.limit,
    (r) => ({
      id: r.id,
      actor: { type: r.actorType, id: r.actorId },
      action: r.action as AuditAction,
      target: { type: r.targetType, id: r.targetId },
      before: r.before,
      after: r.after,
      requestId: r.requestId,
      createdAt: r.createdAt.toISOString(),
    }),
    (r) => r.createdAt,
  );
}
