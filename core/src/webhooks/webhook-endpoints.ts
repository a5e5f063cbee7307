import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { generateWebhookSecret } from './signature.ts';
import { assertDeliverableUrl } from './url-safety.ts';
import type { CreateWebhookInput, WebhookDto } from './webhooks.contract.ts';

type EndpointRow = { id: string; url: string; events: string[]; createdAt: Date; deletedAt: Date | null };
export const toWebhookDto = (r: EndpointRow): WebhookDto => ({
  id: r.id,
  url: r.url,
  events: r.events,
  createdAt: r.createdAt.toISOString(),
  deletedAt: r.deletedAt?.toISOString() ?? null,
});

/** Webhooks carry every store's events: a store-bound (POS) key may not see or change them. */
export function refuseStoreBound(ctx: TenantContext): void {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot manage webhooks');
}

export interface WebhookOptions {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: accept loopback/private targets (development, tests). */
  allowPrivateNetworks: boolean;
}

/** Registers an endpoint; the signing secret is in this response only. */
export async function createWebhook(tx: Tx, ctx: TenantContext, input: CreateWebhookInput, options: WebhookOptions): Promise<WebhookDto & { secret: string }> {
  refuseStoreBound(ctx);
  await assertDeliverableUrl(input.url, options.allowPrivateNetworks);
  const secret = generateWebhookSecret();
  const row = await tx.webhookEndpoint.create({
    data: { tenantId: ctx.tenantId, id: newId('whk'), url: input.url, events: [...new Set(input.events)], secret },
  });
  const dto = toWebhookDto(row);
  await recordAudit(tx, ctx, { action: 'webhook.created', targetType: 'webhook', targetId: row.id, after: dto });
  return { ...dto, secret };
}

export async function listWebhooks(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<WebhookDto>> {
  refuseStoreBound(ctx);
  const cursor = decodeCursor(page.cursor);
  const rows = await tx.webhookEndpoint.findMany({
    where: { tenantId: ctx.tenantId, deletedAt: null, ...afterCursor(cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toWebhookDto, (r) => r.createdAt);
}

/** Disables an endpoint at once: pending deliveries to it are dropped, its log stays. */
export async function deleteWebhook(tx: Tx, ctx: TenantContext, id: string): Promise<WebhookDto> {
  refuseStoreBound(ctx);
  const row = await tx.webhookEndpoint.findFirst({ where: { tenantId: ctx.tenantId, id, deletedAt: null } });
  if (!row) throw notFound('Webhook');
  const now = new Date();
  const updated = await tx.webhookEndpoint.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id } }, data: { deletedAt: now } });
  await tx.webhookDelivery.updateMany({
    where: { tenantId: ctx.tenantId, endpointId: id, status: 'pending' },
    data: { status: 'failed', lastError: 'endpoint deleted', updatedAt: now },
  });
  const dto = toWebhookDto(updated);
  await recordAudit(tx, ctx, { action: 'webhook.deleted', targetType: 'webhook', targetId: id, before: toWebhookDto(row), after: dto });
  return dto;
}
