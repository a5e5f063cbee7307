import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base58 } from '../shared/ids.ts';

/** `whsec_` + base58 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return 'whsec_' + base58(randomBytes(32));
}

/** The Unionpoint-Signature header: `t=<unix>,v1=<hex hmac_sha256(secret, t + "." + body)>`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * What a receiver does: recompute the HMAC over the raw body and compare in constant time;
 * refuse timestamps older than `toleranceSeconds` (replay protection).
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = signWebhook(secret, body, t).split('v1=')[1]!;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(v1, 'hex'));
}
