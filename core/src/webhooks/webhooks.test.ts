import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { nextAttemptAt, RETRY_WINDOW_MS } from './retry-schedule.ts';
import { signWebhook, verifyWebhookSignature } from './signature.ts';
import { isPrivateAddress } from './url-safety.ts';

describe('retry schedule', () => {
  const first = new Date('2026-01-01T00:00:00Z');
  it('backs off 10 s, 1 min, 5 min, 30 min, then hourly', () => {
    const at = (n: number, now: Date) => nextAttemptAt(n, first, now)!.getTime() - now.getTime();
    expect([1, 2, 3, 4, 5, 6].map((n) => at(n, first))).toEqual([10_000, 60_000, 300_000, 1_800_000, 3_600_000, 3_600_000]);
  });
  it('gives up after 24 hours', () => {
    expect(nextAttemptAt(20, first, new Date(first.getTime() + RETRY_WINDOW_MS - 3_600_000))).not.toBeNull();
    expect(nextAttemptAt(25, first, new Date(first.getTime() + RETRY_WINDOW_MS - 1000))).toBeNull();
  });
});

describe('signature', () => {
  it('is hex hmac_sha256(secret, t + "." + body)', () => {
    const header = signWebhook('s3cret', '{"a":1}', 1_700_000_000);
    const v1 = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1700000000,v1=${v1}`);
  });
  it('verifies, and refuses a changed body, another secret or an old timestamp', () => {
    const now = new Date();
    const t = Math.floor(now.getTime() / 1000);
    const header = signWebhook('k', 'body', t);
    expect(verifyWebhookSignature('k', 'body', header, { now })).toBe(true);
    expect(verifyWebhookSignature('k', 'body!', header, { now })).toBe(false);
    expect(verifyWebhookSignature('k2', 'body', header, { now })).toBe(false);
    expect(verifyWebhookSignature('k', 'body', signWebhook('k', 'body', t - 3600), { now })).toBe(false);
    expect(verifyWebhookSignature('k', 'body', 'garbage', { now })).toBe(false);
  });
});

describe('private networks', () => {
  it.each(['127.0.0.1', '10.0.0.8', '172.16.5.4', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '100.64.0.1'])(
    'refuses %s',
    (a) => expect(isPrivateAddress(a)).toBe(true),
  );
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])('accepts %s', (a) => expect(isPrivateAddress(a)).toBe(false));
});
