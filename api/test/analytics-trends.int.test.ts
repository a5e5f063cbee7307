// GET /v1/analytics/trends (day by day) and GET /v1/tenant (the dashboard header). Orders are
// dated in January 2026 (completedAt), so the figures do not depend on the day the test runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let shop: TestTenant;
let other: TestTenant;
type Day = { date: string; members: number; newMembers: number; pointsIssued: number; pointsRedeemed: number; pointsOutstanding: number; liabilityCents: number };

beforeAll(async () => {
  api = await startTestApi();
  shop = await api.createTenant();
  other = await api.createTenant();
  const storeId = shop.stores[0]!.id;
  const send = (path: string, body: object) => api.http.post(path).set(shop.auth).send(body);
  for (const unionId of ['c1', 'c2']) await send('/v1/members', { unionId }).expect(201);
  // Shanghai days: 10:00 local = 02:00Z.
  await send('/v1/orders', { externalId: 't1', member: 'c1', storeId, amountCents: 10_000, completedAt: '2026-01-02T02:00:00Z' }).expect(201);
  await send('/v1/orders', { externalId: 't2', member: 'c2', storeId, amountCents: 5_000, completedAt: '2026-01-04T02:00:00Z' }).expect(201);
  await api.http.post('/v1/members').set(other.auth).send({ unionId: 'z1' }).expect(201);
  await api.http
    .post('/v1/orders')
    .set(other.auth)
    .send({ externalId: 'z', member: 'z1', storeId: other.stores[0]!.id, amountCents: 99_900, completedAt: '2026-01-03T02:00:00Z' })
    .expect(201);
});
afterAll(() => api.close());

describe('GET /v1/analytics/trends', () => {
  it('gives one entry per local day with points issued that day and the end-of-day outstanding points', async () => {
    const r = await api.http.get('/v1/analytics/trends?from=2026-01-01&to=2026-01-05').set(shop.auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: '2026-01-01', to: '2026-01-05', timezone: 'Asia/Shanghai', currency: 'CNY' });
    const days = r.body.days as Day[];
    expect(days.map((d) => d.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05']);
    const issued1 = days[1]!.pointsIssued;
    const issued2 = days[3]!.pointsIssued;
    expect(issued1).toBeGreaterThan(0);
    expect(issued2).toBeGreaterThan(0);
    expect(days.map((d) => d.pointsIssued)).toEqual([0, issued1, 0, issued2, 0]);
    // Outstanding walks forward with the issued points; the other tenant's order is not there.
    expect(days.map((d) => d.pointsOutstanding)).toEqual([0, issued1, issued1, issued1 + issued2, issued1 + issued2]);
    expect(days[4]!.liabilityCents).toBe(Math.floor(((issued1 + issued2) * 100) / 100));
    // The members joined today, after the range.
    expect(days.every((d) => d.members === 0 && d.newMembers === 0)).toBe(true);
  });

  it('agrees with the summary of each day for issued and redeemed points', async () => {
    const trends = (await api.http.get('/v1/analytics/trends?from=2026-01-01&to=2026-01-05').set(shop.auth).expect(200)).body.days as Day[];
    for (const d of trends) {
      const s = (await api.http.get(`/v1/analytics/summary?from=${d.date}&to=${d.date}`).set(shop.auth).expect(200)).body;
      expect([d.date, d.pointsIssued, d.pointsRedeemed]).toEqual([d.date, s.pointsIssued, s.pointsRedeemed]);
    }
  });

  it('counts today’s members at the end of today, and today’s outstanding points as the summary does', async () => {
    const all = (await api.http.get('/v1/analytics/summary').set(shop.auth).expect(200)).body;
    const r = await api.http.get(`/v1/analytics/trends?from=${all.to}&to=${all.to}`).set(shop.auth).expect(200);
    expect(r.body.days).toHaveLength(1);
    expect(r.body.days[0]).toMatchObject({ members: 2, newMembers: 2, pointsOutstanding: all.pointsOutstanding, liabilityCents: all.liabilityCents });
  });

  it('refuses a reversed or too long range with 400 and field errors', async () => {
    const reversed = await api.http.get('/v1/analytics/trends?from=2026-01-05&to=2026-01-01').set(shop.auth);
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('validation_failed');
    const long = await api.http.get('/v1/analytics/trends?from=2024-01-01&to=2026-01-01').set(shop.auth);
    expect(long.status).toBe(400);
    const bad = await api.http.get('/v1/analytics/trends?from=yesterday').set(shop.auth);
    expect(bad.status).toBe(400);
  });
});

describe('GET /v1/tenant', () => {
  it('returns the caller’s own tenant, never another', async () => {
    const mine = await api.http.get('/v1/tenant').set(shop.auth);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: shop.id, status: 'active' });
    expect(typeof mine.body.name).toBe('string');
    const theirs = await api.http.get('/v1/tenant').set(other.auth);
    expect(theirs.body.id).toBe(other.id);
  });
});
