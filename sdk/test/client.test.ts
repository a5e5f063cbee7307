import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  OPERATIONS,
  UnionpointError,
  UnionpointNetworkError,
  verifyWebhook,
  WebhookVerificationError,
} from '../src/index.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body: string | undefined };

/** A fetch that answers from a script and records what it was asked. */
function scripted(answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { type: `/docs/errors/${code}`, title: code, status, code, detail: `${code} happened` }, headers);

describe('createClient', () => {
  it('has a method for every operation', () => {
    const up = createClient({ baseUrl: 'http://api.test' });
    for (const name of Object.keys(OPERATIONS)) expect(typeof (up as unknown as Record<string, unknown>)[name], name).toBe('function');
  });

  it('retries a write on 429 and 503 after Retry-After, with the same Idempotency-Key every time', async () => {
    const { fetch, calls } = scripted([
      problem(429, 'rate_limited', { 'retry-after': '2' }),
      problem(503, 'unavailable', { 'retry-after': '1' }),
      json(201, { redeemed: 10, balance: 90 }),
    ]);
    const waits: number[] = [];
    const up = createClient({ baseUrl: 'http://api.test', apiKey: 'up_x', fetch, sleep: async (ms) => void waits.push(ms) });
    const r = await up.redeemPoints({
      params: { member: 'openid:o 1' },
      query: { storeId: 'code:mall' } as never,
      body: { points: 10, reference: 'r-1' },
    });
    expect(r).toEqual({ redeemed: 10, balance: 90 });
    expect(waits).toEqual([2000, 1000]);
    expect(calls).toHaveLength(3);
    const keys = calls.map((c) => c.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(calls[0]!.url).toBe('http://api.test/v1/members/openid%3Ao%201/points/redeem?storeId=code%3Amall');
    expect(calls[0]!.headers.authorization).toBe('Bearer up_x');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ points: 10, reference: 'r-1' });
  });

  it('retries network errors with back-off, then gives up with a network error', async () => {
    const { fetch, calls } = scripted([new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed')]);
    const waits: number[] = [];
    const up = createClient({
      baseUrl: 'http://api.test',
      fetch,
      maxRetries: 2,
      retryDelayMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(up.getProgram()).rejects.toBeInstanceOf(UnionpointNetworkError);
    expect(waits).toEqual([100, 200]);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('throws problems as UnionpointError with their code, without retrying a 4xx', async () => {
    const { fetch, calls } = scripted([problem(422, 'insufficient_points')]);
    const up = createClient({ baseUrl: 'http://api.test', fetch, sleep: async () => {} });
    const error = await up.redeemPoints({ params: { member: 'u1' }, body: { points: 10, reference: 'r' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnionpointError);
    expect(error).toMatchObject({
      status: 422,
      code: 'insufficient_points',
      detail: 'insufficient_points happened',
      type: '/docs/errors/insufficient_points',
    });
    expect(calls).toHaveLength(1);
  });

  it('uses a given Idempotency-Key', async () => {
    const { fetch, calls } = scripted([json(201, {})]);
    const up = createClient({ baseUrl: 'http://api.test', fetch });
    await up.createStore({ body: { code: 's', name: 'S', channel: 'store' } }, { idempotencyKey: 'mine' });
    expect(calls[0]!.headers['idempotency-key']).toBe('mine');
  });

  it('iterates a list across pages by cursor', async () => {
    const { fetch, calls } = scripted([
      json(200, { data: [{ unionId: 'a' }, { unionId: 'b' }], nextCursor: 'c1' }),
      json(200, { data: [{ unionId: 'c' }], nextCursor: null }),
    ]);
    const up = createClient({ baseUrl: 'http://api.test', fetch });
    const seen: string[] = [];
    for await (const m of up.paginate('listMembers', { query: { limit: 2 } })) seen.push(m.unionId);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['?limit=2', '?limit=2&cursor=c1']);
  });
});

describe('verifyWebhook', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({
    id: 'evt_1',
    type: 'order.completed',
    tenantId: 'ten_1',
    createdAt: '2026-12-02T00:00:00Z',
    data: { amountCents: 100 },
  });
  const sign = (t: number, b = body, s = secret) => `t=${t},v1=${createHmac('sha256', s).update(`${t}.${b}`).digest('hex')}`;
  const now = new Date('2026-12-02T00:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('returns the event for a valid signature within the window', () => {
    expect(verifyWebhook(body, sign(t - 299), secret, { now }).id).toBe('evt_1');
    expect(verifyWebhook(Buffer.from(body), sign(t), secret, { now, toleranceSeconds: 10 }).type).toBe('order.completed');
  });

  it('refuses a tampered body, a wrong secret, a replay outside the window and a malformed header', () => {
    const fails = (f: () => unknown, why: RegExp) => expect(f).toThrow(why);
    fails(() => verifyWebhook(body.replace('100', '999'), sign(t), secret, { now }), /does not match/);
    fails(() => verifyWebhook(body, sign(t, body, 'whsec_other'), secret, { now }), /does not match/);
    fails(() => verifyWebhook(body, sign(t - 301), secret, { now }), /window/);
    fails(() => verifyWebhook(body, sign(t - 11), secret, { now, toleranceSeconds: 10 }), /window/);
    fails(() => verifyWebhook(body, sign(t + 400), secret, { now }), /window/);
    fails(() => verifyWebhook(body, 'garbage', secret, { now }), /Malformed/);
    fails(() => verifyWebhook(body, undefined, secret, { now }), /No Unionpoint-Signature/);
    expect(() => verifyWebhook(body, 'garbage', secret, { now })).toThrow(WebhookVerificationError);
  });
});
