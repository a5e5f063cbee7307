// The merchant journey of docs/rules.md §7–8 entirely through the API: a Chinese four-tier ladder
// with member prices, free shipping, a Wednesday member day with double points, 1 point per
// yuan, 100 points = 1 yuan capped at 50%, then quotes checked to the cent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
const WED = '2026-11-25T04:00:00Z'; // Wednesday 12:00 in Asia/Shanghai
const THU = '2026-11-26T04:00:00Z';
const TUE_UTC_WED_SH = '2026-11-24T16:30:00Z'; // Tuesday in UTC, Wednesday 00:30 in Shanghai

async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await api.db.pool.query<{ relname: string }>(`SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname <> '_prisma_migrations' ORDER BY relname`);
  const out: Record<string, number> = {};
  for (const { relname } of rows) out[relname] = Number((await api.db.pool.query(`SELECT count(*) AS n FROM "${relname}"`)).rows[0].n);
  return out;
}

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  const program = await api.http
    .patch('/v1/program')
    .set(t.auth)
    .send({ earn: { pointsPerUnit: 1, memberDay: { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 } }, redeem: { pointsPerUnit: 100, maxShareBps: 5000 } });
  expect(program.status).toBe(200);
  const ladder = await api.http
    .put('/v1/tiers')
    .set(t.auth)
    .send({
      tiers: [
        { code: 'bronze', name: '铜牌', rank: 0, minGrowth: 0, benefits: {} },
        { code: 'silver', name: '银牌', rank: 1, minGrowth: 1000, benefits: { discountBps: 9800, freeShippingThresholdCents: 3900 } },
        { code: 'gold', name: '金牌', rank: 2, minGrowth: 5000, benefits: { discountBps: 9500, freeShippingThresholdCents: 0 } },
        { code: 'diamond', name: '钻石', rank: 3, minGrowth: 20_000, benefits: { discountBps: 9000, freeShippingThresholdCents: 0, exclusiveAccess: true } },
      ],
    });
  expect(ladder.status).toBe(200);
  for (const [unionId, tierCode] of [['bronze-1', null], ['silver-1', 'silver'], ['gold-1', 'gold'], ['diamond-1', 'diamond']] as const) {
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId })).status).toBe(201);
    if (tierCode) expect((await api.http.post(`/v1/members/${unionId}/tier`).set(t.auth).send({ tierCode, reason: 'setup' })).status).toBe(200);
  }
  for (const unionId of ['bronze-1', 'silver-1', 'gold-1', 'diamond-1']) {
    expect((await api.http.post(`/v1/members/${unionId}/points/adjust`).set(t.auth).send({ delta: 2000, reason: 'welcome' })).status).toBe(201);
  }
});
afterAll(() => api.close());

const cart = [
  { sku: 'tea', priceCents: 2999, quantity: 2 },
  { sku: 'cup', priceCents: 1500, quantity: 1, memberPriceCents: 1400 },
];
const quote = (body: Record<string, unknown>) => api.http.post('/v1/quotes').set(t.auth).send({ items: cart, shippingFeeCents: 800, ...body });

describe('POST /v1/quotes — the 铜牌/银牌/金牌/钻石 ladder', () => {
  it('silver on a Thursday: 98折 per unit, explicit member price when lower, free shipping over 39', async () => {
    const r = await quote({ member: 'silver-1', at: THU });
    expect(r.status).toBe(200);
    // tea 2999 × 98% = 2939.02 → 2939, ×2 = 5878; cup min(1400, 1470) = 1400. G = 7278 ≥ 3900.
    expect(r.body).toMatchObject({
      subtotalCents: 2999 * 2 + 1500,
      memberDiscountCents: 120 + 100,
      memberDayDiscountCents: 0,
      goodsCents: 7278,
      shippingFeeCents: 0,
      totalCents: 7278,
      pointsToEarn: 72,
      memberDay: false,
    });
    expect(r.body.lines[0]).toMatchObject({ sku: 'tea', memberUnitPriceCents: 2939, lineTotalCents: 5878 });
    expect(r.body.lines[0].discounts[0].reason).toContain('银牌');
    expect(r.body.lines[0].discounts[0].reason).toContain('98折');
    expect(r.body.appliedBenefits.map((b: { kind: string }) => b.kind)).toEqual(['member_price', 'free_shipping']);
  });

  it('silver on Wednesday: 88折 on top, double points, points capped by the balance', async () => {
    const r = await quote({ member: 'silver-1', at: WED, redeemPoints: 10_000 });
    // tea 2939 × 88% = 2586.32 → 2586, ×2 = 5172; cup 1400 × 88% = 1232. G = 6404.
    // Points: balance 2000 → 20.00 yuan (cap 50% = 3202). G'' = 4404; earn floor(44.04 × 2) = 88.
    expect(r.body).toMatchObject({ goodsCents: 6404, memberDayDiscountCents: (2939 - 2586) * 2 + 168, pointsRedeemed: 2000, pointsValueCents: 2000, payableGoodsCents: 4404, totalCents: 4404, pointsToEarn: 88, memberDay: true });
  });

  it('an order for the quoted amount on member day earns exactly the quoted points', async () => {
    const q = await quote({ member: 'gold-1', at: WED, items: [{ sku: 'tea', priceCents: 12_345, quantity: 1 }] });
    // 12345 × 95% = 11727.75 → 11728; × 88% = 10320.64 → 10321; points floor(103.21 × 2) = 206.
    expect(q.body).toMatchObject({ payableGoodsCents: 10_321, pointsToEarn: 206 });
    const order = await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'wed-1', member: 'gold-1', storeId: t.stores[0]!.id, amountCents: q.body.payableGoodsCents, completedAt: WED, appliedBenefits: [{ kind: 'member_day', amountCents: q.body.memberDayDiscountCents }] });
    expect(order.status).toBe(201);
    expect(order.body.pointsAwarded).toBe(q.body.pointsToEarn);
  });

  it('member day follows the tenant time zone, not UTC', async () => {
    expect((await quote({ member: 'silver-1', at: TUE_UTC_WED_SH })).body.memberDay).toBe(true);
    expect((await quote({ member: 'silver-1', at: '2026-11-25T16:30:00Z' })).body.memberDay).toBe(false);
  });

  it('bronze pays list price and shipping under 39; silver below 39 pays shipping too', async () => {
    const bronze = await quote({ member: 'bronze-1', at: THU, items: [{ sku: 'pen', priceCents: 3900, quantity: 1 }] });
    expect(bronze.body).toMatchObject({ goodsCents: 3900, shippingFeeCents: 800, totalCents: 4700, pointsToEarn: 39 });
    const silver = await quote({ member: 'silver-1', at: THU, items: [{ sku: 'pen', priceCents: 3979, quantity: 1 }] });
    expect(silver.body).toMatchObject({ goodsCents: 3899, shippingFeeCents: 800, totalCents: 4699 });
  });

  it('gold: 95折 and free shipping always; points capped at 50% of the goods', async () => {
    const r = await quote({ member: 'gold-1', at: THU, items: [{ sku: 'pen', priceCents: 1001, quantity: 3 }], redeemPoints: 5000 });
    // 1001 × 95% = 950.95 → 951; G = 2853; cap floor(2853 / 2) = 1426 cents = 1426 points.
    expect(r.body).toMatchObject({ goodsCents: 2853, shippingFeeCents: 0, pointsValueCents: 1426, pointsRedeemed: 1426, totalCents: 1427, pointsToEarn: 14 });
  });

  it('diamond buys exclusive items; silver is refused that line, which stays out of every total', async () => {
    const items = [{ sku: 'limited', priceCents: 10_000, quantity: 1, exclusive: true }, { sku: 'tea', priceCents: 2999, quantity: 1 }];
    const d = await quote({ member: 'diamond-1', at: THU, items });
    expect(d.body).toMatchObject({ goodsCents: 9000 + 2699, totalCents: 11_699 });
    const s = await quote({ member: 'silver-1', at: THU, items });
    expect(s.body.lines[0].refused).toMatchObject({ code: 'exclusive_item' });
    expect(s.body).toMatchObject({ subtotalCents: 2999, goodsCents: 2939, shippingFeeCents: 800, totalCents: 3739 });
  });

  it('a guest gets list prices, pays shipping and earns nothing', async () => {
    const r = await quote({ at: WED });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ member: null, goodsCents: 7498, shippingFeeCents: 800, totalCents: 8298, pointsToEarn: 0, memberDay: false });
  });

  it('applies a coupon after member prices with its minimum spend checked against G', async () => {
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'TEN', name: '10 yuan off 60', kind: 'amount', amountCents: 1000, minSpendCents: 6000, validDays: 30 }).expect(201);
    const c1 = (await api.http.post('/v1/members/silver-1/coupons').set(t.auth).send({ templateCode: 'TEN' })).body.code;
    const thu = await quote({ member: 'silver-1', at: THU, couponCodes: [c1] });
    expect(thu.body).toMatchObject({ goodsCents: 7278, couponDiscountCents: 1000, totalCents: 6278, pointsToEarn: 62 });
    // On Wednesday G = 6404 ≥ 6000 still; another member cannot use silver's coupon.
    const gold = await quote({ member: 'gold-1', at: THU, couponCodes: [c1] });
    expect(gold.body.coupons).toEqual([{ code: c1, applied: false, amountCents: 0, reason: 'Not a coupon of this member' }]);
    expect(gold.body.couponDiscountCents).toBe(0);
  });

  it('writes nothing: every table has the same row count after quotes', async () => {
    const before = await tableCounts();
    await quote({ member: 'silver-1', at: WED, redeemPoints: 500 });
    await quote({ at: THU });
    await quote({ member: 'diamond-1', items: [{ sku: 'x', priceCents: 1, quantity: 1, exclusive: true }], shippingFeeCents: 0 });
    expect(await tableCounts()).toEqual(before);
  });
});

describe('POST /v1/quotes — errors and security', () => {
  it('400 with field paths for a bad cart, 404 for an unknown member, 404 for another tenant’s member', async () => {
    const bad = await api.http.post('/v1/quotes').set(t.auth).send({ items: [{ sku: 'a', priceCents: -1, quantity: 0 }], shippingFeeCents: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['items.0.priceCents', 'items.0.quantity']));
    expect((await api.http.post('/v1/quotes').set(t.auth).send({ items: [], shippingFeeCents: 0 })).status).toBe(400);
    expect((await api.http.post('/v1/quotes').set(t.auth).send({ items: cart, shippingFeeCents: 0, at: 'tomorrow' })).status).toBe(400);
    expect((await quote({ member: 'nobody' })).status).toBe(404);
    const other = await api.createTenant();
    expect((await api.http.post('/v1/quotes').set(other.auth).send({ member: 'silver-1', items: cart, shippingFeeCents: 0 })).status).toBe(404);
  });
});
