import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function setup(points = 0) {
  const t = await api.createTenant();
  const storeId = t.stores[0]!.id;
  await api.http.post('/v1/members').set(t.auth).send({ unionId: 'm' }).expect(201);
  await api.http.post('/v1/members').set(t.auth).send({ unionId: 'other' }).expect(201);
  if (points) await api.http.post('/v1/members/m/points/adjust').set(t.auth).send({ delta: points, reason: 'welcome' }).expect(201);
  await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'TEN', name: '10 off', kind: 'amount', amountCents: 1000, validDays: 30 }).expect(201);
  return { t, storeId };
}
const balance = async (t: TestTenant, m = 'm') => (await api.http.get(`/v1/members/${m}`).set(t.auth)).body.points.balance as number;

describe('rewards catalogue and exchange', () => {
  it('exchanges points for a coupon reward, moving points and stock in one transaction', async () => {
    const { t } = await setup(1000);
    const r = await api.http.post('/v1/rewards').set(t.auth).send({ code: 'R10', name: '10 yuan coupon', pointsCost: 300, couponTemplateCode: 'TEN', stock: 5 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: 'R10', pointsCost: 300, couponTemplateCode: 'TEN', stock: 5, exchanged: 0 });
    const ex = await api.http.post('/v1/members/m/rewards/R10/exchange').set(t.auth).send({});
    expect(ex.status).toBe(201);
    expect(ex.body).toMatchObject({ pointsSpent: 300, balance: 700, coupon: { template: { code: 'TEN' }, source: 'exchange', status: 'available' } });
    expect(await balance(t)).toBe(700);
    expect((await api.http.get('/v1/rewards').set(t.auth)).body.data[0]).toMatchObject({ stock: 4, exchanged: 1 });
    const ledger = await api.http.get('/v1/members/m/ledger?kind=points').set(t.auth);
    expect(ledger.body.data[0]).toMatchObject({ delta: -300 });
  });

  it('422 insufficient_points and out_of_stock, changing nothing', async () => {
    const { t } = await setup(100);
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'BIG', name: 'Big', pointsCost: 500, stock: 3 }).expect(201);
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'NONE', name: 'Gone', pointsCost: 1, stock: 0 }).expect(201);
    const poor = await api.http.post('/v1/members/m/rewards/BIG/exchange').set(t.auth).send({});
    expect(poor.status).toBe(422);
    expect(poor.body.code).toBe('insufficient_points');
    const gone = await api.http.post('/v1/members/m/rewards/NONE/exchange').set(t.auth).send({});
    expect(gone.status).toBe(422);
    expect(gone.body.code).toBe('out_of_stock');
    expect(await balance(t)).toBe(100);
    expect((await api.http.get('/v1/rewards').set(t.auth)).body.data.find((x: { code: string }) => x.code === 'BIG')).toMatchObject({ stock: 3, exchanged: 0 });
    expect((await api.http.post('/v1/members/m/rewards/NOPE/exchange').set(t.auth).send({})).status).toBe(404);
  });

  it('never oversells stock nor overspends points under parallel exchanges', async () => {
    const { t } = await setup(0);
    const members = Array.from({ length: 8 }, (_, i) => `p${i}`);
    for (const u of members) {
      await api.http.post('/v1/members').set(t.auth).send({ unionId: u }).expect(201);
      await api.http.post(`/v1/members/${u}/points/adjust`).set(t.auth).send({ delta: 250, reason: 'seed' }).expect(201);
    }
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'HOT', name: 'Hot item', pointsCost: 100, stock: 5 }).expect(201);
    // 8 members × 2 attempts each = 16 parallel exchanges for 5 units; each member can pay for 2.
    const results = await Promise.all(members.flatMap((u) => [0, 1].map(() => api.http.post(`/v1/members/${u}/rewards/HOT/exchange`).set(t.auth).send({}))));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    expect(results.filter((r) => r.status === 422 && r.body.code === 'out_of_stock')).toHaveLength(11);
    expect((await api.http.get('/v1/rewards').set(t.auth)).body.data[0]).toMatchObject({ stock: 0, exchanged: 5 });
    let total = 0;
    for (const u of members) total += await balance(t, u);
    expect(total).toBe(8 * 250 - 5 * 100);
  });

  it('never overspends one member’s points under parallel exchanges', async () => {
    const { t } = await setup(250);
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'X', name: 'X', pointsCost: 100 }).expect(201);
    const results = await Promise.all(Array.from({ length: 6 }, () => api.http.post('/v1/members/m/rewards/X/exchange').set(t.auth).send({})));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 422 && r.body.code === 'insufficient_points')).toHaveLength(4);
    expect(await balance(t)).toBe(50);
  });
});

describe('coupons and benefits on orders', () => {
  it('uses a coupon once on an order, only by its owner, and gives it back on full refund', async () => {
    const { t, storeId } = await setup();
    const code = (await api.http.post('/v1/members/m/coupons').set(t.auth).send({ templateCode: 'TEN' })).body.code;
    const stranger = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'o0', member: 'other', storeId, amountCents: 5000, couponCodes: [code] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.code).toBe('coupon_not_applicable');
    const o1 = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'o1', member: 'm', storeId, amountCents: 5000, couponCodes: [code], appliedBenefits: [{ kind: 'member_price', amountCents: 100 }, { kind: 'free_shipping', amountCents: 800 }] });
    expect(o1.status).toBe(201);
    const used = (await api.http.get('/v1/members/m/coupons').set(t.auth)).body.data[0];
    expect(used).toMatchObject({ code, status: 'used', orderId: o1.body.order.id });
    const again = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'o2', member: 'm', storeId, amountCents: 5000, couponCodes: [code] });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('coupon_not_applicable');
    // A replay of the same order is not a second use.
    expect((await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'o1', member: 'm', storeId, amountCents: 5000, couponCodes: [code], appliedBenefits: [{ kind: 'member_price', amountCents: 100 }, { kind: 'free_shipping', amountCents: 800 }] })).status).toBe(200);
    const usage = await api.db.pool.query(`SELECT kind, amount_cents FROM benefit_usages WHERE tenant_id = $1 ORDER BY kind`, [t.id]);
    expect(usage.rows.map((r) => `${r.kind}:${r.amount_cents}`)).toEqual(['free_shipping:800', 'member_price:100']);
    await api.http.post('/v1/orders/o1/refunds').set(t.auth).send({ refundId: 'r1', amountCents: 2000, storeId }).expect(201);
    expect((await api.http.get('/v1/members/m/coupons').set(t.auth)).body.data[0].status).toBe('used');
    await api.http.post('/v1/orders/o1/refunds').set(t.auth).send({ refundId: 'r2', amountCents: 3000, storeId }).expect(201);
    expect((await api.http.get('/v1/members/m/coupons').set(t.auth)).body.data[0]).toMatchObject({ status: 'available', orderId: null });
  });
});

describe('qualification models through orders', () => {
  it('spend: rolling 365-day completed spend lifts the member; a refund never lowers the tier', async () => {
    const { t, storeId } = await setup();
    await api.http.patch('/v1/program').set(t.auth).send({ qualificationModel: 'spend' }).expect(200);
    const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
    // Outside the 365-day window by now: it does not count towards today's spend.
    await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'old', member: 'm', storeId, amountCents: 100_000, completedAt: old }).expect(201);
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.tier.code).toBe('bronze');
    await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'a', member: 'm', storeId, amountCents: 150_000 }).expect(201);
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.tier.code).toBe('bronze');
    await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'b', member: 'm', storeId, amountCents: 50_000 }).expect(201);
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.tier.code).toBe('silver');
    await api.http.post('/v1/orders/b/refunds').set(t.auth).send({ refundId: 'rb', amountCents: 50_000, storeId }).expect(201);
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.tier.code).toBe('silver');
    // The simulation counts refunds out: the same ladder would not lift anyone now.
    const sim = await api.http.post('/v1/tiers/simulate').set(t.auth).send({ tiers: (await api.http.get('/v1/tiers').set(t.auth)).body.data.map(({ code, name, rank, minGrowth, minSpendCents, minRfmScore, benefits }: Record<string, unknown>) => ({ code, name, rank, minGrowth, minSpendCents, minRfmScore, benefits })) });
    expect(sim.body).toMatchObject({ upgrades: 0, downgrades: 0 });
  });

  it('rfm: recent, frequent, big spenders score into higher tiers', async () => {
    const { t, storeId } = await setup();
    await api.http.patch('/v1/program').set(t.auth).send({ qualificationModel: 'rfm' }).expect(200);
    // R = 5 (today), F = 3 (4 orders), M = 3 (≥ 2000.00): score 11 → gold (≥ 9), not diamond (≥ 12).
    for (let i = 0; i < 4; i++) await api.http.post('/v1/orders').set(t.auth).send({ externalId: `r${i}`, member: 'm', storeId, amountCents: 60_000 }).expect(201);
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.tier.code).toBe('gold');
    const hist = await api.http.get('/v1/members/m/tier-history').set(t.auth);
    expect(hist.body.data.map((h: { to: string }) => h.to)).toEqual(['gold', 'silver', 'bronze']);
  });
});
