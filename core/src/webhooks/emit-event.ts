import { Prisma, deferStatement, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId, newIdSql } from '../shared/ids.ts';

export const EVENT_TYPES = [
  'member.created',
  'member.tier_changed',
  'member.tier_at_risk',
  'points.earned',
  'points.redeemed',
  'points.expiring',
  'points.expired',
  'coupon.issued',
  'order.completed',
  'order.refunded',
  'retention.completed',
  'entitlement.granted',
  'plan.subscribed',
  'plan.renewed',
  'plan.cancelled',
  'plan.expiring',
  'task.completed',
  'referral.completed',
  'campaign.application_approved',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface OutboxEventInput {
  type: EventType;
  memberId?: string | null;
  data: Record<string, unknown>;
  at?: Date;
}

/**
 * Writes an event to the outbox in the caller's transaction, so it commits with the change it
 * describes and is never lost when Redis or a worker is down. Never enqueue inside a
 * transaction: the relay worker turns outbox rows into deliveries.
 */
export async function emitEvent(tx: Tx, ctx: TenantContext, event: OutboxEventInput): Promise<string> {
  return (await emitEvents(tx, ctx, [event]))[0]!;
}

/**
 * Several events in one INSERT, in the given order: their outbox sequence numbers follow the
 * array order. Returns the event ids in that order. In a tenant transaction the INSERT goes
 * with the COMMIT (deferStatement): no round trip of its own, and it commits or fails with it.
 */
export async function emitEvents(tx: Tx, ctx: TenantContext, events: OutboxEventInput[]): Promise<string[]> {
  if (events.length === 0) return [];
  const now = new Date();
  const ids: string[] = [];
  const rows = events.map((event) => {
    const id = newId('evt');
    ids.push(id);
    const createdAt = event.at ?? now;
    const payload = { id, type: event.type, tenantId: ctx.tenantId, createdAt: createdAt.toISOString(), data: event.data };
    return Prisma.sql`(${ctx.tenantId}, ${id}, ${event.type}, ${event.memberId ?? null}, ${JSON.stringify(payload)}::jsonb, ${now}::timestamptz)`;
  });
  // seq is a BIGSERIAL: the VALUES rows take their sequence numbers in order.
  await deferStatement(tx, Prisma.sql`INSERT INTO outbox_events (tenant_id, id, type, member_id, payload, created_at) VALUES ${Prisma.join(rows)}`);
  return ids;
}

export interface OutboxSelect {
  type: EventType;
  /**
   * One event per row: a SELECT yielding `member_id` (text, may be NULL) and `data` (jsonb), and
   * any column `seed` uses. Events take their outbox sequence numbers in `member_id` order.
   */
  rows: Prisma.Sql;
  /** The payload's createdAt (default now). */
  createdAt?: Date;
  /** The time part of the event ids (default createdAt). */
  idTime?: Date;
  /**
   * An expression over the row `s` that makes the event id deterministic (see newIdSql): the
   * same seed and idTime give the same id, and that event is written once.
   */
  seed?: Prisma.Sql;
}

/**
 * Set-based emission: an INSERT (usable as a data-modifying CTE) writing one outbox row per
 * row of `rows`, with the payload emitEvent writes ({id, type, tenantId, createdAt, data}) and
 * ids in the same scheme (newIdSql). In the caller's transaction, like emitEvent.
 */
export function outboxRowsFromSelectSql(ctx: TenantContext, event: OutboxSelect): Prisma.Sql {
  const createdAt = event.createdAt ?? new Date();
  const idTime = event.idTime ?? createdAt;
  return Prisma.sql`
    INSERT INTO outbox_events (tenant_id, id, type, member_id, payload, created_at)
    SELECT ${ctx.tenantId}, e.id, ${event.type}, e.member_id,
           jsonb_build_object('id', e.id, 'type', ${event.type}::text, 'tenantId', ${ctx.tenantId}::text, 'createdAt', ${createdAt.toISOString()}::text, 'data', e.data),
           ${createdAt}::timestamptz
    FROM (SELECT s.member_id, s.data, ${newIdSql('evt', idTime, event.seed)} AS id FROM (${event.rows}) s) e
    ORDER BY e.member_id
    ON CONFLICT (tenant_id, id) DO NOTHING
    RETURNING id`;
}
