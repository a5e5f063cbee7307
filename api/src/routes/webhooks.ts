import { z, pageQuery } from '@unionpoint/core';
import {
  createWebhook,
  createWebhookBody,
  createdWebhookSchema,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  replayWebhookDelivery,
  webhookDeliverySchema,
  webhookSchema,
} from '@unionpoint/core/webhooks';
import { pageOf, type Routes, Access } from '../http/route.ts';

const idParam = z.object({ id: z.string().min(1).max(64) });

export function webhookRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/webhooks',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Webhook endpoints (secrets are never listed)',
    query: pageQuery,
    responses: { 200: pageOf(webhookSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listWebhooks(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/webhooks',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Register an endpoint; the signing secret is shown once',
    description:
      'Deliveries are `POST url` with headers `Unionpoint-Event`, `Unionpoint-Delivery` (the same across retries) and `Unionpoint-Signature: t=<unix>,v1=<hex hmac_sha256(secret, t + "." + body)>`. A 2xx ends it; otherwise retried after about 10 s, 1 min, 5 min, 30 min, then hourly for 24 h, in order per member. URLs on loopback or private networks are refused.',
    body: createWebhookBody,
    responses: { 201: createdWebhookSchema },
    handler: async ({ ctx, tx, body, deps }) => ({
      status: 201,
      body: await tx((t) => createWebhook(t, ctx, body, { allowPrivateNetworks: deps.config.webhookAllowPrivateNetworks })),
    }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/webhooks/:id',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Delete an endpoint: no further deliveries; its log stays readable',
    params: idParam,
    responses: { 200: webhookSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => deleteWebhook(t, ctx, params.id)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Delivery log of an endpoint, newest first, with every attempt',
    params: idParam,
    query: pageQuery,
    responses: { 200: pageOf(webhookDeliverySchema) },
    handler: async ({ ctx, tx, params, query }) => ({ status: 200, body: await tx((t) => listWebhookDeliveries(t, ctx, params.id, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Send a delivered or failed event again (a new delivery, after the member’s pending ones)',
    params: z.object({ id: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) }),
    responses: { 202: webhookDeliverySchema },
    handler: async ({ ctx, tx, params }) => ({ status: 202, body: await tx((t) => replayWebhookDelivery(t, ctx, params.id, params.deliveryId)) }),
  });
}
