// The benefit jobs through the worker's real queue and handlers, with the worker's clock on the
// day under test: the coupon packs of the period (then the same day again: nothing more), the
// next period's packs, and plan.expiring once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { runJob, testWorker } from './helpers.ts';
import type { WorkerRuntime } from '../src/index.ts';

let api: TestApi;
let worker: WorkerRuntime;
let clock = new Date();
let jobs = 0;

beforeAll(async () => {
  api = await startTestApi();
  worker = testWorker(api.db, api.databaseUrl, {}, { now: () => clock });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
});

function run(name: 'benefits.packs' | 'plans.expiring', t: TestTenant, at: string) {
  clock = new Date(at);
  return runJob(worker, name, { tenantId: t.id }, `${name}.${t.id}.${++jobs}`);
}
async function count(sql: string, t: TestTenant): Promise<number> {
  return (await api.db.pool.query(sql, [t.id])).rows[0].n;
}

describe('benefits.packs', () => {
  it('issues each tier member the period pack once per period, whatever the number of runs', async () => {
    const t = await api.createTenant();
    expect((await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'FREE', name: 'Free item', kind: 'amount', amountCents: 1500, validDays: 30 })).status).toBe(201);
    const b = await api.http
      .post('/v1/benefits')
      .set(t.auth)
      .send({ code: 'weekly-item', name: 'A free item a week', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'FREE', grants: [{ tier: 'bronze', count: 1, per: 'week' }] });
    expect(b.status).toBe(201);
    for (const u of ['a', 'b', 'c']) expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: u })).status).toBe(201);
    // Monday 2026-06-01 00:10 in Shanghai.
    expect(await run('benefits.packs', t, '2026-05-31T16:10:00Z')).toEqual({ packs: 3, coupons: 3 });
    expect(await run('benefits.packs', t, '2026-05-31T16:20:00Z')).toEqual({ packs: 0, coupons: 0 });
    expect(await run('benefits.packs', t, '2026-06-04T16:10:00Z')).toEqual({ packs: 0, coupons: 0 });
    // The next Monday: the next week's packs; coupons expire with the week.
    expect(await run('benefits.packs', t, '2026-06-07T16:10:00Z')).toEqual({ packs: 3, coupons: 3 });
    expect(await count(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1 AND source = 'benefit_pack' AND expires_at = '2026-06-14T16:00:00Z'`, t)).toBe(3);
    expect(await count(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND type = 'entitlement.granted'`, t)).toBe(6);
  });
});

describe('plans.expiring', () => {
  it('announces a plan 7 local days before it ends, once', async () => {
    const t = await api.createTenant();
    expect((await api.http.post('/v1/plans').set(t.auth).send({ code: 'PLUS', name: 'PLUS', priceCents: 1090, period: 'month' })).status).toBe(201);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'p' })).status).toBe(201);
    expect((await api.http.post('/v1/members/p/plan').set(t.auth).send({ planCode: 'PLUS', action: 'subscribe', reference: 'p-1' })).status).toBe(201);
    const until = new Date((await api.db.pool.query(`SELECT until FROM member_plans WHERE tenant_id = $1`, [t.id])).rows[0].until);
    const weekBefore = new Date(until.getTime() - 7 * 86_400_000).toISOString();
    expect(await run('plans.expiring', t, weekBefore)).toEqual({ notified: 1 });
    expect(await run('plans.expiring', t, weekBefore)).toEqual({ notified: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND type = 'plan.expiring'`, t)).toBe(1);
  });
});
