import { createHmac, timingSafeEqual } from 'node:crypto';
import type { webhooks } from './generated/api-types.ts';

type EventBodies = {
  [K in keyof webhooks]: webhooks[K] extends { post: { requestBody: { content: { 'application/json': infer B } } } } ? B : never;
};
/** Every event type the API delivers. */
export type EventType = keyof EventBodies;
/** A delivery body: `{id, type, tenantId, createdAt, test?, data}`, `data` typed by `type`. */
export type WebhookEvent = EventBodies[EventType];

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/**
 * Checks a delivery's `Unionpoint-Signature` (`t=<unix>,v1=<hex hmac_sha256(secret, t + "." +
 * body)>`) over the raw body, in constant time, and refuses a timestamp outside the replay
 * window (`toleranceSeconds`, default 300). Returns the parsed event; throws
 * WebhookVerificationError otherwise. Pass the body exactly as received (before any JSON parse).
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): WebhookEvent {
  if (!header) throw new WebhookVerificationError('No Unionpoint-Signature header');
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const i = item.indexOf('=');
    if (i > 0) parts.set(item.slice(0, i).trim(), [...(parts.get(item.slice(0, i).trim()) ?? []), item.slice(i + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  const signatures = (parts.get('v1') ?? []).filter((v) => /^[0-9a-f]{64}$/.test(v));
  if (!Number.isInteger(t) || signatures.length === 0) throw new WebhookVerificationError('Malformed Unionpoint-Signature header');
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - t) > tolerance)
    throw new WebhookVerificationError(`Timestamp outside the ${tolerance} s window (a replay, or a clock off)`);
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  // Every candidate is compared in full, in constant time (a rotated secret may send two).
  let ok = false;
  for (const v of signatures) ok = timingSafeEqual(expected, Buffer.from(v, 'hex')) || ok;
  if (!ok) throw new WebhookVerificationError('Signature does not match');
  return JSON.parse(body.toString('utf8')) as WebhookEvent;
}
