import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { grantBirthdayGifts } from '@unionpoint/core/benefits';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function events(tenantId: string, type: string) {
  const { rows } = await api.db.pool.query(`SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = $2 ORDER BY seq`, [tenantId, type]);
  return rows.map((r) => r.payload.data);
}
async function enrol(t: TestTenant, unionId: string, profile: Record<string, unknown> = {}) {
  expect((await api.http.post('/v1/members').set(t.auth).send({ unionId, profile })).status).toBe(201);
}

describe('coupon templates and member coupons', () => {
  it('creates templates, grants coupons (coupon.issued, audited), lists them, and keeps to the stock', async () => {
    const t = await api.createTenant();
    await enrol(t, 'm1');
    const tpl = await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'P10', name: '10% off', kind: 'percent', percentBps: 1000, validDays: 7, stock: 2 });
    expect(tpl.status).toBe(201);
    expect(tpl.body).toMatchObject({ code: 'P10', kind: 'percent', percentBps: 1000, amountCents: null, stock: 2, issued: 0 });
    const a = await api.http.post('/v1/members/m1/coupons').set(t.auth).send({ templateCode: 'P10' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ template: { code: 'P10' }, status: 'available', source: 'manual' });
    expect(new Date(a.body.expiresAt).getTime() - new Date(a.body.createdAt).getTime()).toBe(7 * 86_400_000);
    expect((await api.http.post('/v1/members/m1/coupons').set(t.auth).send({ templateCode: 'P10' })).status).toBe(201);
    const out = await api.http.post('/v1/members/m1/coupons').set(t.auth).send({ templateCode: 'P10' });
    expect(out.status).toBe(422);
    expect(out.body.code).toBe('out_of_stock');
    const list = await api.http.get('/v1/members/m1/coupons?status=available').set(t.auth);
    expect(list.body.data).toHaveLength(2);
    expect((await api.http.get('/v1/coupon-templates').set(t.auth)).body.data[0]).toMatchObject({ code: 'P10', stock: 0, issued: 2 });
    expect(await events(t.id, 'coupon.issued')).toHaveLength(2);
    const audit = await api.http.get('/v1/audit').set(t.auth);
    expect(audit.body.data.filter((e: { action: string }) => e.action === 'coupon.granted')).toHaveLength(2);
  });

  it('never oversells a template under concurrent grants', async () => {
    const t = await api.createTenant();
    await Promise.all(['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((u) => enrol(t, u)));
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'FS', name: 'Free shipping', kind: 'free_shipping', validDays: 1, stock: 3 }).expect(201);
    const results = await Promise.all(['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((u) => api.http.post(`/v1/members/${u}/coupons`).set(t.auth).send({ templateCode: 'FS' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 422)).toHaveLength(3);
  });

  it('refuses bad templates with field paths, a duplicate code with 409, an unknown template with 400', async () => {
    const t = await api.createTenant();
    await enrol(t, 'm');
    const bad = await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'X', name: 'x', kind: 'amount', percentBps: 500, validDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['amountCents', 'percentBps', 'validDays']));
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'X', name: 'x', kind: 'amount', amountCents: 500, validDays: 3 }).expect(201);
    expect((await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'X', name: 'x', kind: 'amount', amountCents: 500, validDays: 3 })).status).toBe(409);
    expect((await api.http.post('/v1/members/m/coupons').set(t.auth).send({ templateCode: 'NOPE' })).status).toBe(400);
  });

  it("keeps coupons and templates per tenant: another tenant's member is 404", async () => {
    const a = await api.createTenant();
    const b = await api.createTenant();
    await enrol(a, 'shared');
    await api.http.post('/v1/coupon-templates').set(a.auth).send({ code: 'A', name: 'a', kind: 'amount', amountCents: 100, validDays: 3 }).expect(201);
    expect((await api.http.post('/v1/members/shared/coupons').set(b.auth).send({ templateCode: 'A' })).status).toBe(404);
    expect((await api.http.get('/v1/members/shared/coupons').set(b.auth)).status).toBe(404);
    expect((await api.http.get('/v1/coupon-templates').set(b.auth)).body.data).toEqual([]);
  });
});

describe('gifts', () => {
  it('gives the upgrade gift the first time a tier is reached, and the birthday gift once a year', async () => {
    const t = await api.createTenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'UP', name: 'Welcome to gold', kind: 'amount', amountCents: 2000, validDays: 30 }).expect(201);
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'BDAY', name: 'Happy birthday', kind: 'amount', amountCents: 1000, validDays: 30 }).expect(201);
    const tiers = (await api.http.get('/v1/tiers').set(t.auth)).body.data.map((x: Record<string, unknown>) => {
      const { code, name, rank, minGrowth, benefits } = x as { code: string; name: string; rank: number; minGrowth: number; benefits: Record<string, unknown> };
      return { code, name, rank, minGrowth, benefits: code === 'gold' ? { ...benefits, upgradeGift: { couponTemplateIds: ['UP'] }, birthdayGift: { couponTemplateId: 'BDAY', points: 88 } } : benefits };
    });
    await api.http.put('/v1/tiers').set(t.auth).send({ tiers }).expect(200);
    await enrol(t, 'g', { birthday: '1992-02-29' });
    await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'gold', reason: 'promo' }).expect(200);
    await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'silver', reason: 'undo' }).expect(200);
    await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'gold', reason: 'again' }).expect(200);
    const coupons = async () => (await api.http.get('/v1/members/g/coupons').set(t.auth)).body.data.map((c: { template: { code: string } }) => c.template.code).sort();
    expect(await coupons()).toEqual(['UP']);
    const ctx = systemContext(t.id, 'test');
    // 2027 is not a leap year: a 29 February birthday is celebrated on 28 February.
    expect(await withTenant(api.db.prisma, t.id, (tx) => grantBirthdayGifts(tx, ctx, '2027-02-27'))).toEqual({ granted: 0 });
    expect(await withTenant(api.db.prisma, t.id, (tx) => grantBirthdayGifts(tx, ctx, '2027-02-28'))).toEqual({ granted: 1 });
    expect(await withTenant(api.db.prisma, t.id, (tx) => grantBirthdayGifts(tx, ctx, '2027-02-28'))).toEqual({ granted: 0 });
    expect(await coupons()).toEqual(['BDAY', 'UP']);
    expect((await api.http.get('/v1/members/g').set(t.auth)).body.points.balance).toBe(88);
    expect(await withTenant(api.db.prisma, t.id, (tx) => grantBirthdayGifts(tx, ctx, '2028-02-28'))).toEqual({ granted: 0 });
    expect(await withTenant(api.db.prisma, t.id, (tx) => grantBirthdayGifts(tx, ctx, '2028-02-29'))).toEqual({ granted: 1 });
    expect((await api.http.get('/v1/members/g').set(t.auth)).body.points.balance).toBe(176);
  });
});

describe('paid plans', () => {
  it('subscribe / renew / cancel / trial, idempotent by reference; plan benefits merge with the tier', async () => {
    const t = await api.createTenant();
    await enrol(t, 'p');
    const plan = await api.http
      .post('/v1/plans')
      .set(t.auth)
      .send({ code: 'plus', name: 'PLUS', priceCents: 25_800, period: 'year', trialDays: 7, benefits: { discountBps: 9500, freeShippingThresholdCents: 0 } });
    expect(plan.status).toBe(201);
    expect((await api.http.get('/v1/plans').set(t.auth)).body.data).toHaveLength(1);
    const trial = await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'trial', reference: 'r1' });
    expect(trial.status).toBe(201);
    expect(trial.body.plan).toMatchObject({ code: 'plus' });
    expect(trial.body.benefits).toMatchObject({ discountBps: 9500, freeShippingThresholdCents: 0 });
    const again = await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'trial', reference: 'r1' });
    expect(again.status).toBe(200);
    expect((await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'subscribe', reference: 'r1' })).status).toBe(409);
    expect((await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'trial', reference: 'r2' })).status).toBe(422);
    const sub = await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'subscribe', reference: 'r3' });
    const until1 = new Date(sub.body.plan.until);
    const renew = await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'renew', reference: 'r4' });
    const until2 = new Date(renew.body.plan.until);
    expect(until2.getUTCFullYear() - until1.getUTCFullYear()).toBe(1);
    const cancel = await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'plus', action: 'cancel', reference: 'r5' });
    expect(cancel.body.plan.until).toBe(renew.body.plan.until);
    // The plan's 95折 beats bronze; the quote explains it comes from the plan.
    const q = await api.http.post('/v1/quotes').set(t.auth).send({ member: 'p', items: [{ sku: 'a', priceCents: 1000, quantity: 1 }], shippingFeeCents: 500 });
    expect(q.body).toMatchObject({ goodsCents: 950, shippingFeeCents: 0, totalCents: 950 });
    expect(q.body.lines[0].discounts[0].reason).toContain('plan PLUS');
    const list = await api.http.get('/v1/members').set(t.auth);
    expect(list.body.data[0].plan).toMatchObject({ code: 'plus', name: 'PLUS' });
    expect((await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'nope', action: 'subscribe', reference: 'r6' })).status).toBe(400);
  });
});
