import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@unionpoint/core';
import { withTenant } from '@unionpoint/db';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { asRecord, localToday, noonOf, referenceSegments, seedRfmTenant } from './rfm-fixtures.ts';

let api: TestApi;
let shop: TestTenant;
let other: TestTenant;
// A finished local day: its segments are final once computed.
const day = addDays(localToday(), -3);

async function snapshotRows(tenantId: string) {
  const { rows } = await api.db.pool.query<{ as_of: string; segments: Record<string, number>; computed_at: Date }>(
    `SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, segments, computed_at FROM rfm_snapshots WHERE tenant_id = $1 ORDER BY as_of`,
    [tenantId],
  );
  return rows;
}

beforeAll(async () => {
  api = await startTestApi();
  shop = await api.createTenant();
  other = await api.createTenant();
  await seedRfmTenant(api, shop, day);
  for (const unionId of ['x1', 'x2']) await api.http.post('/v1/members').set(other.auth).send({ unionId }).expect(201);
});
afterAll(() => api.close());

describe('RFM snapshots in GET /v1/analytics/summary', () => {
  it('computes the segments of a finished day once, as the per-call query defined them, and stores them', async () => {
    const expected = await referenceSegments(api, shop.id, day);
    // 10 buyers in several segments, 2 members without orders (one only before the window).
    expect(expected.no_orders).toBe(2);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(12);
    expect(await snapshotRows(shop.id)).toEqual([]);

    const r = await api.http.get(`/v1/analytics/summary?from=${addDays(day, -6)}&to=${day}`).set(shop.auth);
    expect(r.status).toBe(200);
    expect(r.body.rfmAsOf).toBe(day);
    expect(r.body.rfmSegments.map((s: { segment: string }) => s.segment)).toEqual([
      'champions',
      'loyal',
      'recent',
      'potential',
      'at_risk',
      'hibernating',
      'no_orders',
    ]);
    expect(asRecord(r.body.rfmSegments)).toEqual(expected);
    const rows = await snapshotRows(shop.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ as_of: day, segments: expected });
  });

  it('a later summary for the same day reads the stored snapshot, not the orders', async () => {
    const before = await snapshotRows(shop.id);
    // New orders inside the window (r11 and r12 become buyers) after the snapshot was taken.
    const storeId = shop.stores[0]!.id;
    for (const m of ['r11', 'r12'])
      await api.http
        .post('/v1/orders')
        .set(shop.auth)
        .send({ externalId: `late-${m}`, member: m, storeId, amountCents: 50_000, completedAt: noonOf(addDays(day, -1)) })
        .expect(201);
    const now = await referenceSegments(api, shop.id, day);
    expect(now.no_orders).toBe(0);

    const r = await api.http.get(`/v1/analytics/summary?from=${day}&to=${day}`).set(shop.auth);
    expect(r.status).toBe(200);
    expect(r.body.rfmAsOf).toBe(day);
    expect(asRecord(r.body.rfmSegments)).toEqual(before[0]!.segments);
    expect(asRecord(r.body.rfmSegments).no_orders).toBe(2);
    expect(await snapshotRows(shop.id)).toEqual(before);
  });

  it('a range ending today shows the segments of yesterday, the last finished day', async () => {
    const yesterday = addDays(localToday(), -1);
    const expected = await referenceSegments(api, shop.id, yesterday);
    const r = await api.http.get('/v1/analytics/summary').set(shop.auth);
    expect(r.status).toBe(200);
    expect(r.body.to).toBe(localToday());
    expect(r.body.rfmAsOf).toBe(yesterday);
    expect(asRecord(r.body.rfmSegments)).toEqual(expected);
    expect((await snapshotRows(shop.id)).map((s) => s.as_of)).toEqual([day, yesterday]);
  });

  it('concurrent summaries of a day not yet computed store it once and agree', async () => {
    const d = addDays(day, -30);
    const expected = await referenceSegments(api, shop.id, d);
    const rs = await Promise.all([1, 2, 3].map(() => api.http.get(`/v1/analytics/summary?from=${d}&to=${d}`).set(shop.auth)));
    for (const r of rs) {
      expect(r.status).toBe(200);
      expect(r.body.rfmAsOf).toBe(d);
      expect(asRecord(r.body.rfmSegments)).toEqual(expected);
    }
    expect((await snapshotRows(shop.id)).filter((s) => s.as_of === d)).toHaveLength(1);
  });
});

describe('RFM snapshots — tenant isolation', () => {
  it("another tenant's summary for the same day computes its own snapshot and never sees this one", async () => {
    const r = await api.http.get(`/v1/analytics/summary?from=${day}&to=${day}`).set(other.auth);
    expect(r.status).toBe(200);
    expect(r.body.rfmAsOf).toBe(day);
    expect(asRecord(r.body.rfmSegments)).toEqual({ champions: 0, loyal: 0, recent: 0, potential: 0, at_risk: 0, hibernating: 0, no_orders: 2 });
    expect((await snapshotRows(other.id)).map((s) => s.as_of)).toEqual([day]);
  });

  it('under the tenant role only the own snapshots are visible, and writing another tenant’s row is refused', async () => {
    const seen = await withTenant(api.db.prisma, other.id, (tx) =>
      tx.$queryRaw<{ tenant_id: string }[]>`SELECT tenant_id FROM rfm_snapshots`,
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.tenant_id))).toEqual(new Set([other.id]));
    await expect(
      withTenant(api.db.prisma, other.id, (tx) =>
        tx.$executeRaw`INSERT INTO rfm_snapshots (tenant_id, as_of, segments, members_scored) VALUES (${shop.id}, '2020-01-01', '{}', 0)`,
      ),
    ).rejects.toThrow();
  });
});
