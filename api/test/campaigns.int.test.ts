// Member campaigns (docs/rules.md §16): early access per tier in the quote, applications with
// seats and approval. Quote times are given (`at`); application windows lie far in the past or
// future, so no test depends on the wall clock.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApi, TestTenant } from './harness.ts';
import { ledgerSuite, patchProgram } from './ledger/helpers.ts';

const suite = ledgerSuite();
let api: TestApi;
beforeAll(() => {
  api = suite.api;
});

async function tenant(): Promise<TestTenant> {
  const t = await suite.tenant();
  await patchProgram(api, t, { tasks: { firstOrder: 0 } });
  return t;
}

const quote = (t: TestTenant, member: string | undefined, at: string, items: { sku: string; quantity: number }[]) =>
  api.http
    .post('/v1/quotes')
    .set(t.auth)
    .send({ ...(member ? { member } : {}), storeId: t.stores[0]!.id, at, shippingFeeCents: 0, items: items.map((i) => ({ ...i, priceCents: 1000 })) });

describe('early access in the quote', () => {
  it('opens per tier (diamond before gold before everyone), refuses with not_open before, and limit_exceeded past the per-member limit', async () => {
    const t = await tenant();
    const created = await api.http
      .post('/v1/campaigns')
      .set(t.auth)
      .send({
        code: 'vip',
        name: '会员内购会',
        kind: 'early_access',
        startsAt: '2025-12-10T04:00:00Z',
        endsAt: '2025-12-11T04:00:00Z',
        tierStarts: [
          { tier: 'diamond', startsAt: '2025-12-10T00:00:00Z' },
          { tier: 'gold', startsAt: '2025-12-10T02:00:00Z' },
        ],
        skus: ['TEA'],
        perMemberLimit: 2,
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await api.http.get('/v1/campaigns').set(t.auth)).body.data.map((c: { code: string }) => c.code)).toEqual(['vip']);
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'g' }).expect(201);
    await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'gold', reason: 'test' }).expect(200);
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'b' }).expect(201);

    const early = await quote(t, 'g', '2025-12-10T01:59:00Z', [{ sku: 'TEA', quantity: 1 }, { sku: 'OTHER', quantity: 1 }]).expect(200);
    expect(early.body.lines[0].refused).toMatchObject({ code: 'not_open' });
    expect(early.body.lines[1].refused).toBeUndefined();
    expect(early.body.totalCents).toBeLessThan(2000);
    const open = await quote(t, 'g', '2025-12-10T02:00:00Z', [{ sku: 'TEA', quantity: 1 }]).expect(200);
    expect(open.body.lines[0].refused).toBeUndefined();
    // Bronze waits for the campaign's own start; a guest too.
    expect((await quote(t, 'b', '2025-12-10T03:00:00Z', [{ sku: 'TEA', quantity: 1 }])).body.lines[0].refused).toMatchObject({ code: 'not_open' });
    expect((await quote(t, undefined, '2025-12-10T03:00:00Z', [{ sku: 'TEA', quantity: 1 }])).body.lines[0].refused).toMatchObject({ code: 'not_open' });
    expect((await quote(t, 'b', '2025-12-10T04:00:00Z', [{ sku: 'TEA', quantity: 1 }])).body.lines[0].refused).toBeUndefined();

    // The limit counts the cart and the member's completed orders since the campaign started.
    expect((await quote(t, 'g', '2025-12-10T03:00:00Z', [{ sku: 'TEA', quantity: 3 }])).body.lines[0].refused).toMatchObject({ code: 'limit_exceeded' });
    await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'o1', member: 'g', storeId: t.stores[0]!.id, amountCents: 1000, completedAt: '2025-12-10T02:30:00Z', items: [{ sku: 'TEA', priceCents: 1000, quantity: 1 }] })
      .expect(201);
    const second = await quote(t, 'g', '2025-12-10T03:00:00Z', [{ sku: 'TEA', quantity: 1 }, { sku: 'TEA', quantity: 1 }]).expect(200);
    expect(second.body.lines[0].refused).toBeUndefined();
    expect(second.body.lines[1].refused).toMatchObject({ code: 'limit_exceeded' });
    // A fully refunded order no longer counts.
    await api.http.post('/v1/orders/o1/refunds').set(t.auth).send({ storeId: t.stores[0]!.id, refundId: 'r', amountCents: 1000, refundedAt: '2025-12-10T02:45:00Z' }).expect(201);
    expect((await quote(t, 'g', '2025-12-10T03:00:00Z', [{ sku: 'TEA', quantity: 2 }])).body.lines[0].refused).toBeUndefined();
    // Closed: no longer held back.
    expect((await quote(t, 'b', '2025-12-12T00:00:00Z', [{ sku: 'TEA', quantity: 5 }])).body.lines[0].refused).toBeUndefined();
  });

  it('refuses bad campaigns', async () => {
    const t = await tenant();
    const base = { code: 'c', name: 'c', kind: 'early_access', startsAt: '2026-12-10T04:00:00Z', endsAt: '2026-12-11T04:00:00Z', skus: ['A'] };
    expect((await api.http.post('/v1/campaigns').set(t.auth).send({ ...base, endsAt: base.startsAt })).status).toBe(400);
    expect((await api.http.post('/v1/campaigns').set(t.auth).send({ ...base, skus: [] })).status).toBe(400);
    expect((await api.http.post('/v1/campaigns').set(t.auth).send({ ...base, tierStarts: [{ tier: 'nope', startsAt: base.startsAt }] })).status).toBe(400);
    expect((await api.http.post('/v1/campaigns').set(t.auth).send(base)).status).toBe(201);
    expect((await api.http.post('/v1/campaigns').set(t.auth).send(base)).status).toBe(409);
  });
});

describe('applications', () => {
  it('apply while open to the tier and seats remain (not_open, full), idempotent by reference; approval emits campaign.application_approved', async () => {
    const t = await tenant();
    for (const u of ['a', 'b', 'c', 'd']) await api.http.post('/v1/members').set(t.auth).send({ unionId: u }).expect(201);
    await api.http.post('/v1/members/d/tier').set(t.auth).send({ tierCode: 'diamond', reason: 'test' }).expect(200);
    await api.http
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ code: 'taste', name: '新品试吃', kind: 'application', startsAt: '2000-01-01T00:00:00Z', endsAt: '9999-01-01T00:00:00Z', seats: 2 })
      .expect(201);
    // Not open yet to bronze, open to diamond far earlier.
    await api.http
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ code: 'later', name: 'Later', kind: 'application', startsAt: '9998-01-01T00:00:00Z', endsAt: '9999-01-01T00:00:00Z', tierStarts: [{ tier: 'diamond', startsAt: '2000-01-01T00:00:00Z' }] })
      .expect(201);
    const notOpen = await api.http.post('/v1/campaigns/later/applications').set(t.auth).send({ member: 'a', reference: 'l-a' });
    expect(notOpen.status).toBe(422);
    expect(notOpen.body.code).toBe('not_open');
    expect((await api.http.post('/v1/campaigns/later/applications').set(t.auth).send({ member: 'd', reference: 'l-d' })).status).toBe(201);

    const first = await api.http.post('/v1/campaigns/taste/applications').set(t.auth).send({ member: 'a', reference: 'r-a' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'applied', unionId: 'a' });
    expect((await api.http.post('/v1/campaigns/taste/applications').set(t.auth).send({ member: 'a', reference: 'r-a' })).body.id).toBe(first.body.id);
    // Concurrent applications never take more than the seats.
    const rest = await Promise.all(['b', 'c', 'd'].map((u) => api.http.post('/v1/campaigns/taste/applications').set(t.auth).send({ member: u, reference: `r-${u}` })));
    expect(rest.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    expect(rest.filter((r) => r.status === 422).every((r) => r.body.code === 'full')).toBe(true);
    expect((await api.http.get('/v1/campaigns').set(t.auth)).body.data.find((c: { code: string }) => c.code === 'taste').applied).toBe(2);

    const approved = await api.http.post(`/v1/campaigns/taste/applications/${first.body.id}/approve`).set(t.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    await api.http.post(`/v1/campaigns/taste/applications/${first.body.id}/approve`).set(t.auth).expect(200);
    const events = await api.db.pool.query(`SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = 'campaign.application_approved'`, [t.id]);
    expect(events.rows.map((r) => r.payload.data.unionId)).toEqual(['a']);
    const apps = await api.http.get('/v1/campaigns/taste/applications').set(t.auth).expect(200);
    expect(apps.body.data.map((x: { unionId: string; status: string }) => [x.unionId, x.status])).toContainEqual(['a', 'approved']);
    expect((await api.http.post('/v1/campaigns/nope/applications').set(t.auth).send({ member: 'a', reference: 'x' })).status).toBe(404);
  });
});
