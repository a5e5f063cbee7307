// The storefront developer's view: error pages behind every problem `type`, store codes
// wherever a storeId goes, unit aliases, payload schemas that match what is really emitted,
// and signed test events a local receiver can verify.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '@unionpoint/core';
import {
  EVENT_TYPES,
  eventEnvelopeSchema,
  unsafeDeliverLane,
  unsafeFindDueLanes,
  verifyWebhookSignature,
  type EventType,
} from '@unionpoint/core/webhooks';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  t = await api.createTenant();
});
afterAll(async () => {
  await api?.close();
});

describe('error pages', () => {
  it('answers 200 HTML for every problem code, saying what it means and how to fix it', async () => {
    for (const code of Object.keys(ERROR_STATUS)) {
      const res = await api.http.get(`/docs/errors/${code}`);
      expect(res.status, code).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain(`<code>${code}</code>`);
      expect(res.text).toContain('What it means');
      expect(res.text).toContain('How to fix it');
    }
    const index = await api.http.get('/docs/errors');
    expect(index.status).toBe(200);
    for (const code of Object.keys(ERROR_STATUS)) expect(index.text).toContain(`/docs/errors/${code}`);
    const unknown = await api.http.get('/docs/errors/no_such_code');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it("gives every problem a `type` on the API's own origin that answers 200", async () => {
    const problems = [
      await api.http.get('/v1/members'),
      await api.http.post('/v1/orders').set(t.auth).send({}),
      await api.http.get('/v1/members/nobody').set(t.auth),
      await api.http.get('/v1/nothing-here'),
    ];
    for (const p of problems) {
      const type = new URL(p.body.type as string);
      expect(type.host).toBe(p.request.url ? new URL(p.request.url).host : '');
      expect(type.pathname).toBe(`/docs/errors/${p.body.code}`);
      expect((await api.http.get(type.pathname)).status).toBe(200);
    }
  });
});

describe('store codes', () => {
  it('accepts code:<store code> wherever a storeId is accepted', async () => {
    const [mall, shop] = t.stores as [{ id: string; code: string }, { id: string; code: string }];
    const enrol = await api.http
      .post('/v1/members')
      .set(t.auth)
      .send({ unionId: 'u-codes', openId: 'o-codes', storeId: `code:${mall.code}` });
    expect(enrol.status).toBe(201);
    expect(enrol.body.identities).toEqual([{ storeId: mall.id, openId: 'o-codes' }]);

    const byOpenId = await api.http
      .get('/v1/members/openid:o-codes')
      .query({ storeId: `code:${mall.code}` })
      .set(t.auth);
    expect(byOpenId.status).toBe(200);
    expect(byOpenId.body.unionId).toBe('u-codes');

    const order = await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'SO-codes-1', member: 'u-codes', storeId: `code:${shop.code}`, amountCents: 25710 });
    expect(order.status).toBe(201);
    expect(order.body.order.storeId).toBe(shop.id);
    // The same order by id is the same order (idempotent by store and externalId).
    const again = await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'SO-codes-1', member: 'u-codes', storeId: shop.id, amountCents: 25710 });
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(order.body.order.id);

    const key = await api.http
      .post('/v1/api-keys')
      .set(t.auth)
      .send({ name: 'till', storeId: `code:${shop.code}` });
    expect(key.status).toBe(201);
    expect(key.body.storeId).toBe(shop.id);
    // A till's own store by code is its store.
    const till = { Authorization: `Bearer ${key.body.key}` };
    const refund = await api.http
      .post('/v1/orders/SO-codes-1/refunds')
      .set(till)
      .send({ refundId: 'RF-codes-1', amountCents: 1500, storeId: `code:${shop.code}` });
    expect(refund.status).toBe(201);
    // Another store by code is still another store: 403.
    const other = await api.http
      .post('/v1/orders')
      .set(till)
      .send({ externalId: 'SO-codes-2', member: 'u-codes', storeId: `code:${mall.code}`, amountCents: 100 });
    expect(other.status).toBe(403);
  });

  it("refuses a bare store code with a detail naming the store's id, and an unknown code naming the code", async () => {
    const mall = t.stores[0]!;
    const bare = await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'SO-bare', member: 'u-codes', storeId: mall.code, amountCents: 100 });
    expect(bare.status).toBe(404);
    expect(bare.body.detail).toContain(mall.id);
    expect(bare.body.detail).toContain(`code:${mall.code}`);

    const bareRefund = await api.http
      .post('/v1/orders/SO-codes-1/refunds')
      .set(t.auth)
      .send({ refundId: 'RF-bare', amountCents: 1, storeId: mall.code });
    expect(bareRefund.status).toBe(404);
    expect(bareRefund.body.detail).toContain(mall.id);

    const unknown = await api.http
      .post('/v1/quotes')
      .set(t.auth)
      .send({ storeId: 'code:nowhere', items: [{ sku: 'A', priceCents: 100, quantity: 1 }], shippingFeeCents: 0 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain("'nowhere'");

    const badKey = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'till', storeId: mall.code });
    expect(badKey.status).toBe(400);
    expect(badKey.body.detail).toContain(mall.id);
  });
});

describe('unit aliases', () => {
  it('answers memberPriceBps beside discountBps and percentOffBps beside percentBps', async () => {
    const tiers = await api.http.get('/v1/tiers').set(t.auth);
    const discounted = (tiers.body.data as { benefits: { discountBps?: number; memberPriceBps?: number } }[]).filter(
      (x) => x.benefits.discountBps !== undefined,
    );
    expect(discounted.length).toBeGreaterThan(0);
    for (const tier of discounted) expect(tier.benefits.memberPriceBps).toBe(tier.benefits.discountBps);

    const tpl = await api.http
      .post('/v1/coupon-templates')
      .set(t.auth)
      .send({ code: 'pct10', name: '9折券', kind: 'percent', percentBps: 1000, validDays: 30 });
    expect(tpl.status).toBe(201);
    expect(tpl.body.percentOffBps).toBe(1000);
    // Aliases are response-only: a body carrying one is refused.
    const withAlias = await api.http
      .post('/v1/coupon-templates')
      .set(t.auth)
      .send({ code: 'pct11', name: 'x', kind: 'percent', percentOffBps: 1000, validDays: 30 });
    expect(withAlias.status).toBe(400);
  });
});

describe('event payload schemas', () => {
  it('match what the emitters really write', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'u-events', storeId: t.stores[0]!.id });
    await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'SO-ev-1', member: 'u-events', storeId: t.stores[0]!.id, amountCents: 900_000 });
    await api.http
      .post('/v1/members/u-events/points/redeem')
      .set(t.auth)
      .send({ points: 100, reference: 'r-ev-1', storeId: t.stores[0]!.id });
    await api.http
      .post('/v1/orders/SO-ev-1/refunds')
      .set(t.auth)
      .send({ refundId: 'RF-ev-1', amountCents: 1000, storeId: t.stores[0]!.id });
    const { rows } = await api.db.pool.query<{ type: EventType; payload: unknown }>(
      'SELECT type, payload FROM outbox_events WHERE tenant_id = $1 ORDER BY seq',
      [t.id],
    );
    const seen = new Set(rows.map((r) => r.type));
    for (const type of [
      'member.created',
      'order.completed',
      'points.earned',
      'points.redeemed',
      'order.refunded',
      'member.tier_changed',
    ] as const)
      expect(seen, type).toContain(type);
    for (const r of rows) {
      const parsed = eventEnvelopeSchema(r.type).safeParse(r.payload);
      expect(parsed.success, `${r.type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});

describe('webhook test events', () => {
  let server: http.Server;
  const received: { event: string; delivery: string; signature: string; body: string }[] = [];
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          event: String(req.headers['unionpoint-event']),
          delivery: String(req.headers['unionpoint-delivery']),
          signature: String(req.headers['unionpoint-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers a signed sample of every event type, logged as a test, to a local receiver', async () => {
    const hook = await api.http
      .post('/v1/webhooks')
      .set(t.auth)
      .send({ url, events: ['order.completed'] });
    expect(hook.status).toBe(201);
    for (const event of EVENT_TYPES) {
      const res = await api.http.post(`/v1/webhooks/${hook.body.id}/test`).set(t.auth).send({ event });
      expect(res.status, event).toBe(202);
      expect(res.body).toMatchObject({ eventType: event, status: 'pending', test: true });
      expect(res.body.nextAttemptAt).toEqual(expect.any(String));
    }
    // Delivered like any other: the sweeper finds the lane, the lane sends in order.
    const due = (await unsafeFindDueLanes(api.db.pool, { graceMs: -60_000 })).filter((d) => d.endpointId === hook.body.id);
    expect(due).toHaveLength(1);
    const outcome = await unsafeDeliverLane(api.db.pool, due[0]!, { allowPrivateNetworks: true });
    expect(outcome.delivered).toBe(EVENT_TYPES.length);

    expect(received.map((r) => r.event)).toEqual([...EVENT_TYPES]);
    for (const r of received) {
      expect(verifyWebhookSignature(hook.body.secret, r.body, r.signature)).toBe(true);
      const body = JSON.parse(r.body);
      expect(body.test).toBe(true);
      expect(body.tenantId).toBe(t.id);
      expect(eventEnvelopeSchema(r.event as EventType).safeParse(body).success, r.event).toBe(true);
    }
    const log = await api.http.get(`/v1/webhooks/${hook.body.id}/deliveries`).query({ limit: 50 }).set(t.auth);
    expect(log.body.data).toHaveLength(EVENT_TYPES.length);
    for (const d of log.body.data) expect(d).toMatchObject({ status: 'succeeded', test: true, nextAttemptAt: null, attempts: 1 });

    const unknownEvent = await api.http.post(`/v1/webhooks/${hook.body.id}/test`).set(t.auth).send({ event: 'nope' });
    expect(unknownEvent.status).toBe(400);
    const unknownHook = await api.http.post('/v1/webhooks/whk_nope/test').set(t.auth).send({ event: 'order.completed' });
    expect(unknownHook.status).toBe(404);
  });
});

describe('unit aliases on the way back', () => {
  it('takes a ladder read and sent again (alias equal, dropped) and refuses an alias that disagrees', async () => {
    const tiers = (await api.http.get('/v1/tiers').set(t.auth)).body.data as { code: string; benefits: Record<string, unknown> }[];
    const again = await api.http.put('/v1/tiers').set(t.auth).send({ tiers });
    expect(again.status).toBe(200);
    const stored = await api.db.pool.query<{ benefits: Record<string, unknown> }>('SELECT benefits FROM tiers WHERE tenant_id = $1', [
      t.id,
    ]);
    for (const r of stored.rows) expect(r.benefits).not.toHaveProperty('memberPriceBps');
    const top = tiers.at(-1)!;
    const wrong = await api.http
      .patch(`/v1/tiers/${top.code}`)
      .set(t.auth)
      .send({ benefits: { discountBps: 9000, memberPriceBps: 9500 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('benefits.memberPriceBps');
  });
});
