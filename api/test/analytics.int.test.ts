import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
let other: TestTenant;

function today(tz = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  other = await api.createTenant();
  for (const unionId of ['a1', 'a2', 'a3']) {
    const r = await api.http.post('/v1/members').set(t.auth).send({ unionId });
    expect(r.status).toBe(201);
  }
  await api.http.post('/v1/members').set(other.auth).send({ unionId: 'x1' }).expect(201);
  // Two members moved to gold directly in the database: the summary reads tier_code as stored.
  await api.db.pool.query(`UPDATE members SET tier_code = 'gold', points_balance = 250 WHERE tenant_id = $1 AND union_id IN ('a1', 'a2')`, [
    t.id,
  ]);
});
afterAll(() => api.close());

describe('GET /v1/analytics/summary — happy', () => {
  it('counts members, new members per local day and the tier distribution of this tenant only', async () => {
    const day = today();
    const r = await api.http.get(`/v1/analytics/summary?from=${day}&to=${day}`).set(t.auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: day, to: day, timezone: 'Asia/Shanghai', currency: 'CNY', members: 3, newMembers: 3 });
    expect(r.body.newMembersByDay).toEqual([{ date: day, count: 3 }]);
    const dist = Object.fromEntries(r.body.tierDistribution.map((d: { code: string; members: number }) => [d.code, d.members]));
    expect(dist).toEqual({ bronze: 1, silver: 0, gold: 2, diamond: 0 });
    expect(r.body.pointsOutstanding).toBe(500);
    // 500 points at 100 points per unit = 5.00 in cents.
    expect(r.body.liabilityCents).toBe(500);
  });

  it('defaults to the last 30 local days with one entry per day', async () => {
    const r = await api.http.get('/v1/analytics/summary').set(t.auth);
    expect(r.status).toBe(200);
    expect(r.body.to).toBe(today());
    expect(r.body.newMembersByDay).toHaveLength(30);
    expect(r.body.newMembers).toBe(3);
  });

  it('a range before the members joined has no new members and no members', async () => {
    const r = await api.http.get('/v1/analytics/summary?from=2020-01-01&to=2020-01-31').set(t.auth);
    expect(r.status).toBe(200);
    expect(r.body.newMembers).toBe(0);
    expect(r.body.members).toBe(0);
  });

  it('a dashboard session of the owner reads the same summary', async () => {
    const agent = (await import('supertest')).default.agent(api.app);
    await agent.post('/v1/auth/login').send(t.owner).expect(200);
    const r = await agent.get('/v1/analytics/summary');
    expect(r.status).toBe(200);
    expect(r.body.members).toBe(3);
  });
});

describe('GET /v1/analytics/summary — points, orders and benefits', () => {
  let shop: TestTenant;
  const send = (method: 'post' | 'get', path: string, body?: object) => {
    const r = api.http[method](path).set(shop.auth);
    return body ? r.send(body) : r;
  };

  beforeAll(async () => {
    shop = await api.createTenant();
    const storeId = shop.stores[0]!.id;
    for (const unionId of ['b1', 'b2', 'b3']) await send('post', '/v1/members', { unionId }).expect(201);
    await send('post', '/v1/orders', { externalId: 'o1', member: 'b1', storeId, amountCents: 10_000 }).expect(201);
    await send('post', '/v1/orders', {
      externalId: 'o2',
      member: 'b1',
      storeId,
      amountCents: 5_000,
      appliedBenefits: [{ kind: 'member_price', amountCents: 500 }],
    }).expect(201);
    await send('post', '/v1/orders/o2/refunds', { refundId: 'r1', storeId, amountCents: 2_500 }).expect(201);
    await send('post', '/v1/orders', {
      externalId: 'o3',
      member: 'b2',
      storeId,
      amountCents: 20_000,
      appliedBenefits: [
        { kind: 'member_price', amountCents: 1_000 },
        { kind: 'free_shipping', amountCents: 800 },
      ],
    }).expect(201);
    await send('post', '/v1/members/b3/points/adjust', { delta: 50, reason: 'goodwill' }).expect(201);
    await send('post', '/v1/members/b1/points/redeem', { points: 30, reference: 'redeem-1' }).expect(201);
    // Points spent in the points mall are redeemed points too.
    await send('post', '/v1/rewards', { code: 'mug', name: 'Mug', pointsCost: 20 }).expect(201);
    await send('post', '/v1/members/b2/rewards/mug/exchange', { reference: 'mug-1' }).expect(201);
  });

  it('sums issued and redeemed points as the ledgers show them, and counts movers as active', async () => {
    let issued = 0;
    let balances = 0;
    for (const m of ['b1', 'b2', 'b3']) {
      const ledger = await send('get', `/v1/members/${m}/ledger?limit=200`).expect(200);
      for (const e of ledger.body.data as { kind: string; delta: number }[])
        if (e.delta > 0 && e.kind !== 'redeem_refund') issued += e.delta;
      balances += (await send('get', `/v1/members/${m}`).expect(200)).body.points.balance;
    }
    const r = await send('get', '/v1/analytics/summary');
    expect(r.status).toBe(200);
    expect(issued).toBeGreaterThan(0);
    expect(r.body).toMatchObject({
      members: 3,
      activeMembers: 3,
      pointsIssued: issued,
      pointsRedeemed: 50,
      pointsExpired: 0,
      pointsOutstanding: balances,
    });
    expect(r.body.liabilityCents).toBe(Math.floor((balances * 100) / 100));
  });

  it('reports benefit usage per order, ARPU and repeat purchases per tier, and RFM segments', async () => {
    const r = await send('get', '/v1/analytics/summary');
    expect(r.body.benefitUsage).toEqual([
      { kind: 'member_price', orders: 2, amountCents: 1_500, rateBps: 6_666 },
      { kind: 'free_shipping', orders: 1, amountCents: 800, rateBps: 3_333 },
    ]);
    // Net spend 10000 + (5000 − 2500) + 20000 = 32500 over the 3 bronze members, rounded down.
    expect(r.body.arpuByTierCents.bronze).toBe(10_833);
    expect(r.body.arpuByTierCents.gold).toBe(0);
    // Two buyers, one of them twice.
    expect(r.body.repeatPurchaseRateByTierBps.bronze).toBe(5_000);
    // RFM segments are those of the last finished day (yesterday): today's orders count from
    // tomorrow's snapshot on (api/test/analytics-rfm.int.test.ts covers the segments).
    const yesterday = new Date(`${today()}T00:00:00Z`);
    yesterday.setUTCDate(yesterday.getUTCDate() - 1);
    expect(r.body.rfmAsOf).toBe(yesterday.toISOString().slice(0, 10));
    const segments = Object.fromEntries(r.body.rfmSegments.map((s: { segment: string; members: number }) => [s.segment, s.members]));
    expect(segments.no_orders).toBe(3);
    expect(Object.values(segments).reduce((a, b) => (a as number) + (b as number), 0)).toBe(3);
  });

  it('a range without activity has no movement but the same outstanding points', async () => {
    const r = await send('get', '/v1/analytics/summary?from=2020-01-01&to=2020-01-31');
    expect(r.body).toMatchObject({ activeMembers: 0, pointsIssued: 0, pointsRedeemed: 0, benefitUsage: [] });
    expect(r.body.pointsOutstanding).toBeGreaterThan(0);
  });
});

describe('GET /v1/analytics/summary — errors', () => {
  it('refuses from after to with 400 validation_failed', async () => {
    const r = await api.http.get('/v1/analytics/summary?from=2026-02-01&to=2026-01-01').set(t.auth);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('validation_failed');
  });
  it('refuses a range above a year and a malformed date', async () => {
    expect((await api.http.get('/v1/analytics/summary?from=2024-01-01&to=2026-01-01').set(t.auth)).status).toBe(400);
    const bad = await api.http.get('/v1/analytics/summary?from=2026-02-30').set(t.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toContain('from');
  });
});

describe('GET /v1/analytics/summary — security', () => {
  it('needs a key or a session', async () => {
    expect((await api.http.get('/v1/analytics/summary')).status).toBe(401);
  });
  it('refuses the platform key', async () => {
    expect((await api.http.get('/v1/analytics/summary').set(api.platform)).status).toBe(403);
  });
  it('another tenant sees only its own members', async () => {
    const r = await api.http.get('/v1/analytics/summary').set(other.auth);
    expect(r.status).toBe(200);
    expect(r.body.members).toBe(1);
    expect(r.body.pointsOutstanding).toBe(0);
  });
});
