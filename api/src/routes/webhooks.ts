import { z, pageQuery } from '@unionpoint/core';
import { EVENT_SAMPLES, EVENT_TYPES, eventEnvelopeSchema, sendTestWebhookEvent, testWebhookBody } from '@unionpoint/core/webhooks';
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

const endpointId = z.string().min(1).max(64).describe('Webhook endpoint id `whk_…`');
const idParam = z.object({ id: endpointId });

const DELIVERY_TEXT =
  'Each delivery is `POST <your url>` with the event as JSON and headers `Unionpoint-Event` (the type), `Unionpoint-Delivery` (the delivery id, the same across retries) and `Unionpoint-Signature: t=<unix seconds>,v1=<hex hmac_sha256(secret, t + "." + raw body)>`. Verify the signature over the raw body in constant time and refuse a `t` older than 5 minutes (`verifyWebhook` of `@unionpoint/sdk` does both). Answer 2xx within 10 s; anything else is retried after about 10 s, 1 min, 5 min, 30 min, then hourly for 24 h, in order per member. Deduplicate on the body’s `id`.';

/** One OpenAPI 3.1 `webhooks` entry per event type, with its payload schema and a sample. */
function registerEventSchemas(routes: Routes): void {
  for (const type of EVENT_TYPES) {
    routes.registry.registerWebhook({
      method: 'post',
      path: type,
      summary: `${type}`,
      description: `${eventEnvelopeSchema(type).shape.data.description ?? type}. ${DELIVERY_TEXT}`,
      tags: ['Webhooks'],
      request: {
        headers: z.object({
          'Unionpoint-Event': z.string().describe('The event type'),
          'Unionpoint-Delivery': z.string().describe('The delivery id: the same across retries of this delivery'),
          'Unionpoint-Signature': z.string().describe('`t=<unix seconds>,v1=<hex hmac_sha256(secret, t + "." + raw body)>`'),
        }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: eventEnvelopeSchema(type),
              example: { id: 'evt_sample', type, tenantId: 'ten_sample', createdAt: '2026-12-02T03:15:00.000Z', data: EVENT_SAMPLES[type] },
            },
          },
        },
      },
      responses: {
        200: { description: 'Any 2xx ends the delivery' },
        500: { description: 'Anything else (or no answer in 10 s) is retried' },
      },
    });
  }
}

export function webhookRoutes(routes: Routes): void {
  registerEventSchemas(routes);
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
    description: `${DELIVERY_TEXT} The payload of each event type is in the document's \`webhooks\` section. URLs on loopback or private networks are refused unless the API runs with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (\`npm start\` sets it for its local stack; never in production). Send a sample with POST /v1/webhooks/{id}/test.`,
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
    replica: true,
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
    errors: ['business_rule'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Send a delivered or failed event again (a new delivery, after the member’s pending ones)',
    params: z.object({ id: endpointId, deliveryId: z.string().min(1).max(64).describe('Delivery id `dlv_…` to send again') }),
    responses: { 202: webhookDeliverySchema },
    handler: async ({ ctx, tx, params }) => ({ status: 202, body: await tx((t) => replayWebhookDelivery(t, ctx, params.id, params.deliveryId)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/webhooks/:id/test',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Webhooks'],
    summary: 'Send a signed sample of an event type to the endpoint',
    description:
      'Queues a delivery of a sample event (the body of the `webhooks` entry of that type, with `test: true`) to this endpoint only, whatever events it subscribes to: signed, retried and logged like any other delivery (the log marks it `test`). It travels in a lane of its own, so it neither waits for nor holds back member events.',
    params: idParam,
    body: testWebhookBody,
    errors: ['business_rule'],
    responses: { 202: webhookDeliverySchema },
    handler: async ({ ctx, tx, params, body }) => ({ status: 202, body: await tx((t) => sendTestWebhookEvent(t, ctx, params.id, body.event)) }),
  });
}
