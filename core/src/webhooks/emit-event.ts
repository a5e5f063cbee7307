import { Prisma, deferStatement, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';

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
