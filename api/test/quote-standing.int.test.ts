// A quote with a member says what the order does for the tier (API.md Clarifications, "Quote
// standing"): the tier after it, the upgrade it brings, what retention would still miss and
// whether it keeps the tier, and the cart's price at the next tier. Default ladder (growth: 1
// growth per yuan; 银牌 at 1000 with 98折, 金牌 keeps with 600 growth a quarter).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
let storeId: string;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  storeId = t.stores[0]!.id;
  await api.http.post('/v1/members').set(t.auth).send({ unionId: 'near' }).expect(201);
  await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'near-1', member: 'near', storeId, amountCents: 90_000 }).expect(201);
  await api.http.post('/v1/members').set(t.auth).send({ unionId: 'keeper' }).expect(201);
  await api.http.post('/v1/members/keeper/tier').set(t.auth).send({ tierCode: 'gold', reason: 'VIP' }).expect(200);
});
afterAll(() => api.close());

const quote = (member: string | undefined, priceCents: number) =>
  api.http.post('/v1/quotes').set(t.auth).send({ ...(member ? { member } : {}), storeId, items: [{ sku: 'a', priceCents, quantity: 1 }], shippingFeeCents: 0 });

describe('quote standing', () => {
  it('an order that crosses the next threshold: upgrade, and the price at the next tier', async () => {
    const small = await quote('near', 5_000);
    expect(small.status).toBe(200);
    expect(small.body.standing).toEqual({ tierAfter: 'bronze', nextTierPrice: { code: 'silver', totalCents: 4_900 } });
    const big = await quote('near', 20_000);
    expect(big.body.totalCents).toBe(20_000);
    expect(big.body.standing).toEqual({ tierAfter: 'silver', upgrade: { code: 'silver', name: expect.any(String) }, nextTierPrice: { code: 'silver', totalCents: 19_600 } });
  });

  it('retention: what would still be missing this period, and whether the order keeps the tier', async () => {
    const member = await api.http.get('/v1/members/keeper').set(t.auth);
    expect(member.body.progress.retention.missing).toEqual({ growth: 600 });
    const part = await quote('keeper', 30_000);
    const payable = part.body.payableGoodsCents as number;
    expect(part.body.standing.retention).toEqual({ periodEnd: member.body.progress.retention.periodEnd, missing: { growth: 600 - Math.floor(payable / 100) }, keeps: false });
    expect(part.body.standing.tierAfter).toBe('gold');
    const whole = await quote('keeper', 80_000);
    expect(whole.body.standing.retention).toMatchObject({ missing: { growth: 0 }, keeps: true });
  });

  it('a guest quote has no standing', async () => {
    const guest = await quote(undefined, 5_000);
    expect(guest.status).toBe(200);
    expect(guest.body).not.toHaveProperty('standing');
  });
});
