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
    }, 'must be an absolute http(s) URL'),
    events: z.array(eventTypeSchema).min(1).max(EVENT_TYPES.length),
  })
  .strict()
  .openapi('CreateWebhook');
export type CreateWebhookInput = z.infer<typeof createWebhookBody>;

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .openapi('Webhook');
export type WebhookDto = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().describe('Signing secret: shown only in this response') })
  .openapi('CreatedWebhook');

export const webhookAttemptSchema = z
  .object({
    attempt: z.number().int(),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    responseBody: z.string().nullable(),
    error: z.string().nullable(),
    at: z.string(),
  })
  .openapi('WebhookAttempt');

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    memberId: z.string().nullable(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    responseCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    replayOf: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    attemptLog: z.array(webhookAttemptSchema),
  })
  .openapi('WebhookDelivery');
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;
