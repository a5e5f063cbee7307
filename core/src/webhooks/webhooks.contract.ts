import { z, str } from '../shared/zod.ts';
import { EVENT_TYPES } from './emit-event.ts';

export const eventTypeSchema = z.enum(EVENT_TYPES).openapi('EventType');

export const createWebhookBody = z
  .object({
    url: str(2048).refine((u) => {
      try {
        const p = new URL(u);
        return p.protocol === 'https:' || p.protocol === 'http:';
      } catch {
        return false;
      }
    }, 'must be an absolute http(s) URL').describe('Your HTTPS endpoint that receives `POST` deliveries (loopback and private networks only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)'),
    events: z.array(eventTypeSchema).min(1).max(EVENT_TYPES.length).describe('Event types to deliver (see the `webhooks` section for each payload)'),
  })
  .strict()
  .describe('A webhook endpoint')
  .openapi('CreateWebhook');
export type CreateWebhookInput = z.infer<typeof createWebhookBody>;

export const webhookSchema = z
  .object({
    id: z.string().describe('Endpoint id `whk_…`'),
    url: z.string().describe('Where deliveries go'),
    events: z.array(z.string()).describe('Event types delivered'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
    deletedAt: z.string().nullable().describe('When it was deleted (no more deliveries), or null'),
  })
  .describe('A webhook endpoint (its secret is shown only at creation)')
  .openapi('Webhook');
export type WebhookDto = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().describe('Signing secret `whsec_…`: shown only in this response; verify `Unionpoint-Signature` with it') })
  .describe('The created endpoint with its secret')
  .openapi('CreatedWebhook');

export const webhookAttemptSchema = z
  .object({
    attempt: z.number().int().describe('1 for the first attempt, then 2, 3, …'),
    statusCode: z.number().int().nullable().describe('Your endpoint’s HTTP status, or null when it did not answer'),
    latencyMs: z.number().int().describe('Milliseconds until the answer (or the failure)'),
    responseBody: z.string().nullable().describe('The start of your answer’s body'),
    error: z.string().nullable().describe('Why the attempt failed (timeout, refused, non-2xx), or null'),
    at: z.string().describe('When it was made (RFC 3339)'),
  })
  .describe('One delivery attempt')
  .openapi('WebhookAttempt');

export const webhookDeliverySchema = z
  .object({
    id: z.string().describe('Delivery id `whd_…`: the `Unionpoint-Delivery` header, the same across retries'),
    eventId: z.string().describe('Event id `evt_…` (the payload’s `id`)'),
    eventType: z.string().describe('Event type (the `Unionpoint-Event` header)'),
    memberId: z.string().nullable().describe('The member the event is about, or null; deliveries are in order per member'),
    status: z.enum(['pending', 'succeeded', 'failed']).describe('`pending` (waiting or retrying), `succeeded` (a 2xx) or `failed` (retries exhausted after 24 h)'),
    attempts: z.number().int().describe('Attempts so far'),
    responseCode: z.number().int().nullable().describe('HTTP status of the last attempt'),
    lastError: z.string().nullable().describe('Why the last attempt failed'),
    nextAttemptAt: z.string().nullable().describe('When the next attempt is due (RFC 3339), or null when none is (succeeded or failed)'),
    replayOf: z.string().nullable().describe('The delivery this one replays, or null'),
    test: z.boolean().describe('A test event sent with POST /v1/webhooks/{id}/test (sample data)'),
    createdAt: z.string().describe('When the delivery was created'),
    deliveredAt: z.string().nullable().describe('When a 2xx ended it'),
    attemptLog: z.array(webhookAttemptSchema).describe('Every attempt, first first'),
  })
  .describe('One event’s delivery to one endpoint')
  .openapi('WebhookDelivery');
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const testWebhookBody = z
  .object({ event: eventTypeSchema.describe('The event type to send a sample of (subscribed or not)') })
  .strict()
  .describe('Which sample event to send')
  .openapi('WebhookTest', { example: { event: 'order.completed' } });
