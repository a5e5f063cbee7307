import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@unionpoint/core';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { asRecord, localToday, referenceSegments, seedRfmTenant } from '../../api/test/rfm-fixtures.ts';
import { eventually, testWorker } from './helpers.ts';
import type { WorkerRuntime } from '../src/index.ts';

let api: TestApi;
let rt: WorkerRuntime;
let shop: TestTenant;
let quiet: TestTenant;
const yesterday = addDays(localToday(), -1);

async function snapshots(tenantId: string) {
  const { rows } = await api.db.pool.query<{ as_of: string; segments: Record<string, number>; members_scored: number; computed_at: Date }>(
    `SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, segments, members_scored, computed_at FROM rfm_snapshots WHERE tenant_id = $1 ORDER BY as_of`,
    [tenantId],
  );
  return rows;
}

async function completed(): Promise<number> {
  return (await rt.queues.retention.getJobCounts('completed')).completed ?? 0;
}

beforeAll(async () => {
  api = await startTestApi();
  shop = await api.createTenant();
  quiet = await api.createTenant();
  await seedRfmTenant(api, shop, yesterday);
  await api.http.post('/v1/members').set(quiet.auth).send({ unionId: 'q1' }).expect(201);
  rt = testWorker(api.db, api.databaseUrl);
});
afterAll(async () => {
  await rt?.close();
  await api?.close();
});

describe('analytics.rfm-snapshot', () => {
  it("stores yesterday's segments per tenant, identical to the on-demand definition", async () => {
    const expected = await referenceSegments(api, shop.id, yesterday);
    await rt.enqueue('analytics.rfm-snapshot', { tenantId: shop.id }, { jobId: `rfm.${shop.id}.${yesterday}` });
    await rt.enqueue('analytics.rfm-snapshot', { tenantId: quiet.id }, { jobId: `rfm.${quiet.id}.${yesterday}` });
    await eventually(async () => (await completed()) >= 2, 'both snapshot jobs');
    const rows = await snapshots(shop.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ as_of: yesterday, segments: expected, members_scored: 10 });
    expect(await snapshots(quiet.id)).toMatchObject([
      { as_of: yesterday, segments: { champions: 0, loyal: 0, recent: 0, potential: 0, at_risk: 0, hibernating: 0, no_orders: 1 }, members_scored: 0 },
    ]);

    // The summary of a range ending today reads the job's row.
    const r = await api.http.get('/v1/analytics/summary').set(shop.auth);
    expect(r.status).toBe(200);
    expect(r.body.rfmAsOf).toBe(yesterday);
    expect(asRecord(r.body.rfmSegments)).toEqual(expected);
  });

  it('runs again for the same tenant and day without recomputing (idempotent), also for an explicit day', async () => {
    const before = await snapshots(shop.id);
    const done = await completed();
    // The daily scheduler's next tick for the same day, and a backfill of an older day.
    await rt.enqueue('analytics.rfm-snapshot', { tenantId: shop.id }, { jobId: `rfm.${shop.id}.${yesterday}.again` });
    await rt.enqueue('analytics.rfm-snapshot', { tenantId: shop.id, asOf: addDays(yesterday, -60) }, { jobId: `rfm.${shop.id}.backfill` });
    await eventually(async () => (await completed()) >= done + 2, 'repeat jobs');
    const after = await snapshots(shop.id);
    expect(after.map((s) => s.as_of)).toEqual([addDays(yesterday, -60), yesterday]);
    expect(after[1]).toEqual(before[0]);
    expect(after[0]!.segments).toEqual(await referenceSegments(api, shop.id, addDays(yesterday, -60)));
  });

  it('refuses a malformed day in the payload', async () => {
    await expect(rt.enqueue('analytics.rfm-snapshot', { tenantId: shop.id, asOf: '2026/01/01' })).rejects.toThrow();
  });
});
