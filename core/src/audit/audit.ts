import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { decodeCursor, afterCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { forbidden } from '../shared/errors.ts';

export interface AuditInput {
  action: string;
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
  action: string;
  target: { type: string | null; id: string | null };
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: string;
}

export async function listAudit(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<AuditEntryDto>> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read the audit log');
  const rows = await tx.auditEntry.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(
    rows,
    page.limit,
    (r) => ({
      id: r.id,
      actor: { type: r.actorType, id: r.actorId },
      action: r.action,
      target: { type: r.targetType, id: r.targetId },
      before: r.before,
      after: r.after,
      requestId: r.requestId,
      createdAt: r.createdAt.toISOString(),
    }),
    (r) => r.createdAt,
  );
}
