import type { Tx } from '@unionpoint/db';
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

/**
 * Writes an event to the outbox in the caller's transaction, so it commits with the change it
 * describes and is never lost when Redis or a worker is down. Never enqueue inside a
 * transaction: the relay worker turns outbox rows into deliveries.
 */
export async function emitEvent(
  tx: Tx,
  ctx: TenantContext,
  event: { type: EventType; memberId?: string | null; data: Record<string, unknown>; at?: Date },
): Promise<string> {
  const id = newId('evt');
  const createdAt = event.at ?? new Date();
  await tx.outboxEvent.create({
    data: {
      tenantId: ctx.tenantId,
      id,
      type: event.type,
      memberId: event.memberId ?? null,
      payload: { id, type: event.type, tenantId: ctx.tenantId, createdAt: createdAt.toISOString(), data: event.data } as object,
    },
  });
  return id;
}
