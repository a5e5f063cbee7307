import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { afterCursor, decodeCursor, toPage, type Page } from '../shared/pagination.ts';
import type { InboxKind, InboxMessageDto, InboxQuery } from './inbox.contract.ts';
import { renderInboxMessage, type InboxRenderContext } from './render.ts';

type Row = { id: string; kind: string; data: unknown; createdAt: Date; readAt: Date | null };

function toDto(r: Row, render: InboxRenderContext): InboxMessageDto {
  const data = (r.data && typeof r.data === 'object' ? r.data : {}) as Record<string, unknown>;
  const kind = r.kind as InboxKind;
  return { id: r.id, kind, ...renderInboxMessage(kind, data, render), data, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null };
}

/** A member's inbox, newest first; `unread` keeps only unread messages. */
export async function listInbox(tx: Tx, ctx: TenantContext, memberId: string, query: InboxQuery, render: InboxRenderContext): Promise<Page<InboxMessageDto>> {
  const rows = await tx.inboxMessage.findMany({
    where: { tenantId: ctx.tenantId, memberId, ...(query.unread ? { readAt: null } : {}), ...afterCursor(decodeCursor(query.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: { id: true, kind: true, data: true, createdAt: true, readAt: true },
  });
  return toPage(rows, query.limit, (r) => toDto(r, render), (r) => r.createdAt);
}

/**
 * Marks one of the member's messages read (the first read time stays). Another member's
 * message, or an unknown id, is 404.
 */
export async function markInboxRead(tx: Tx, ctx: TenantContext, memberId: string, id: string, render: InboxRenderContext, at = new Date()): Promise<InboxMessageDto> {
  const [row] = await tx.$queryRaw<Row[]>`
    UPDATE inbox_messages SET read_at = COALESCE(read_at, ${at}::timestamptz)
    WHERE tenant_id = ${ctx.tenantId} AND member_id = ${memberId} AND id = ${id}
    RETURNING id, kind, data, created_at AS "createdAt", read_at AS "readAt"`;
  if (!row) throw notFound('Message');
  return toDto(row, render);
}

/**
 * The member's unread count, as one SELECT yielding `unread` (int), and the newest unread tier
 * change as `tier_change` (jsonb `{id, data, createdAt}` or null: what the member center
 * celebrates once, until the member reads it). Both read the unread messages only (the
 * partial index): batch it with other reads.
 */
export function unreadCountSql(ctx: TenantContext, memberId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT (SELECT count(*)::int FROM inbox_messages WHERE tenant_id = ${ctx.tenantId} AND member_id = ${memberId} AND read_at IS NULL) AS unread,
           (SELECT jsonb_build_object('id', id, 'data', data, 'createdAt', created_at) FROM inbox_messages
            WHERE tenant_id = ${ctx.tenantId} AND member_id = ${memberId} AND read_at IS NULL AND kind = 'member.tier_changed'
            ORDER BY created_at DESC, id DESC LIMIT 1) AS tier_change`;
}
