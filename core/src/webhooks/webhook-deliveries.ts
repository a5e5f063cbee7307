import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import type { WebhookDeliveryDto } from './webhooks.contract.ts';
import { refuseStoreBound } from './webhook-endpoints.ts';

const deliveryInclude = { attemptLog: { orderBy: { attempt: 'asc' as const } } };
type DeliveryRow = {
  id: string;
  eventId: string;
  eventType: string;
  memberId: string | null;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  replayOf: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: { attempt: number; statusCode: number | null; latencyMs: number; responseBody: string | null; error: string | null; at: Date }[];
};

export const toDeliveryDto = (r: DeliveryRow): WebhookDeliveryDto => ({
  id: r.id,
  eventId: r.eventId,
  eventType: r.eventType,
  memberId: r.memberId,
  status: r.status as WebhookDeliveryDto['status'],
  attempts: r.attempts,
  responseCode: r.lastStatusCode,
  lastError: r.lastError,
  nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
  replayOf: r.replayOf,
  createdAt: r.createdAt.toISOString(),
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  attemptLog: r.attemptLog.map((a) => ({
    attempt: a.attempt,
    statusCode: a.statusCode,
    latencyMs: a.latencyMs,
    responseBody: a.responseBody,
    error: a.error,
    at: a.at.toISOString(),
  })),
});

async function endpointOrThrow(tx: Tx, ctx: TenantContext, endpointId: string) {
  refuseStoreBound(ctx);
  const endpoint = await tx.webhookEndpoint.findFirst({ where: { tenantId: ctx.tenantId, id: endpointId }, select: { id: true, deletedAt: true } });
  if (!endpoint) throw notFound('Webhook');
  return endpoint;
}

/** The delivery log of one endpoint, newest first, each with its attempts. */
export async function listWebhookDeliveries(tx: Tx, ctx: TenantContext, endpointId: string, page: PageQuery): Promise<Page<WebhookDeliveryDto>> {
  await endpointOrThrow(tx, ctx, endpointId);
  const cursor = decodeCursor(page.cursor);
  const rows = await tx.webhookDelivery.findMany({
    where: { tenantId: ctx.tenantId, endpointId, ...afterCursor(cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    include: deliveryInclude,
  });
  return toPage(rows, page.limit, toDeliveryDto, (r) => r.createdAt);
}

/**
 * Sends an event again: a new delivery (its own Unionpoint-Delivery id, `replayOf` the original)
 * with the original payload, queued at the end of its member's lane. The worker's sweeper picks
 * it up; nothing is enqueued inside this transaction.
 */
export async function replayWebhookDelivery(tx: Tx, ctx: TenantContext, endpointId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
  const endpoint = await endpointOrThrow(tx, ctx, endpointId);
  if (endpoint.deletedAt) throw new AppError('business_rule', 'This webhook is deleted');
  const original = await tx.webhookDelivery.findFirst({ where: { tenantId: ctx.tenantId, endpointId, id: deliveryId } });
  if (!original) throw notFound('Delivery');
  // Keeps the member order: the replay goes after every event already relayed to this lane.
  const [next] = await tx.$queryRaw<{ seq: bigint }[]>`SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM webhook_deliveries WHERE tenant_id = ${ctx.tenantId} AND endpoint_id = ${endpointId} AND lane = ${original.lane}`;
  const created = await tx.webhookDelivery.create({
    data: {
      tenantId: ctx.tenantId,
      id: newId('dlv'),
      endpointId,
      eventId: original.eventId,
      eventType: original.eventType,
      memberId: original.memberId,
      lane: original.lane,
      seq: next!.seq,
      payload: original.payload as object,
      replayOf: original.id,
    },
    include: deliveryInclude,
  });
  await recordAudit(tx, ctx, { action: 'webhook.delivery_replayed', targetType: 'webhook_delivery', targetId: created.id, after: { replayOf: original.id } });
  return toDeliveryDto(created);
}
