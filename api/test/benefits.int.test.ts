// The benefit catalogue (docs/rules.md §14): grants, entitlements per period in the tenant's
// zone, use (核销) with quotas under concurrency, coupon packs once per member, benefit and
// period, plan events. Time-dependent rules run the core use cases at a fixed `at`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { issueBenefitPacks, memberEntitlements, useEntitlement } from '@unionpoint/core/benefits';
import { changeMemberPlan, notifyExpiringPlans } from '@unionpoint/core/plans';
import { changeTier } from '@unionpoint/core/tiers';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const ctxOf = (t: TestTenant) => systemContext(t.id, 'test');

async function enrol(t: TestTenant, unionId: string): Promise<string> {
  const r = await api.http.post('/v1/members').set(t.auth).send({ unionId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
async function benefit(t: TestTenant, body: Record<string, unknown>) {
  const r = await api.http.post('/v1/benefits').set(t.auth).send({ category: 'service', kind: 'service', ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
async function plan(t: TestTenant, code = 'PLUS', period: 'month' | 'year' = 'month') {
  const r = await api.http.post('/v1/plans').set(t.auth).send({ code, name: code, priceCents: 1090, period });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}
function tx<T>(t: TestTenant, fn: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>): Promise<T> {
  return withTenant(api.db.prisma, t.id, fn);
}
const entitlements = (t: TestTenant, memberId: string, at: string) => tx(t, (x) => memberEntitlements(x, ctxOf(t), memberId, new Date(at)));
const use = (t: TestTenant, memberId: string, code: string, reference: string, at: string, extra: Record<string, unknown> = {}) =>
  tx(t, (x) => useEntitlement(x, ctxOf(t), { memberId }, code, { reference, ...extra }, new Date(at)));
const setTier = (t: TestTenant, memberId: string, tierCode: string, at: string) => tx(t, (x) => changeTier(x, ctxOf(t), { memberId }, { tierCode, reason: 'test' }, new Date(at)));
const subscribe = (t: TestTenant, memberId: string, action: 'subscribe' | 'cancel' | 'renew', reference: string, at: string, planCode = 'PLUS') =>
  tx(t, (x) => changeMemberPlan(x, ctxOf(t), { memberId }, { planCode, action, reference }, new Date(at)));
async function rows(sql: string, params: unknown[]) {
  return (await api.db.pool.query(sql, params)).rows;
}

describe('the catalogue', () => {
  it('creates, lists, edits and archives benefits with their grants (audited)', async () => {
    const t = await api.createTenant();
    await plan(t);
    const b = await benefit(t, { code: 'care', name: '专属客服', description: 'Call 400', grants: [{ tier: 'gold', per: 'month' }, { plan: 'PLUS', count: 2, per: 'week' }] });
    expect(b).toMatchObject({ code: 'care', kind: 'service', grants: [{ tier: 'gold', plan: null, exactTier: false, count: null, per: 'month' }, { tier: null, plan: 'PLUS', count: 2, per: 'week' }], archivedAt: null });
    const patched = await api.http.patch('/v1/benefits/care').set(t.auth).send({ name: 'VIP care', grants: [{ tier: 'diamond', exactTier: true, count: 3, per: 'day' }] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'VIP care', description: 'Call 400', grants: [{ tier: 'diamond', exactTier: true, count: 3, per: 'day' }] });
    expect((await api.http.delete('/v1/benefits/care').set(t.auth)).body.archivedAt).not.toBeNull();
    expect((await api.http.get('/v1/benefits').set(t.auth)).body.data).toEqual([]);
    expect((await api.http.get('/v1/benefits?includeArchived=true').set(t.auth)).body.data).toHaveLength(1);
    const audit = (await api.http.get('/v1/audit').set(t.auth)).body.data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['benefit.created', 'benefit.updated', 'benefit.archived']));
  });

  it('refuses bad benefits with field paths, a taken code with 409, an unknown code with 404', async () => {
    const t = await api.createTenant();
    const noTemplate = await api.http.post('/v1/benefits').set(t.auth).send({ code: 'fs', name: 'x', category: 'shopping', kind: 'coupon_pack', grants: [{ tier: 'gold', per: 'month' }] });
    expect(noTemplate.status).toBe(400);
    expect(noTemplate.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['couponTemplateCode', 'grants.0.count']));
    const both = await api.http.post('/v1/benefits').set(t.auth).send({ code: 'x', name: 'x', category: 'service', kind: 'service', grants: [{ per: 'month' }] });
    expect(both.status).toBe(400);
    const unknown = await api.http.post('/v1/benefits').set(t.auth).send({ code: 'x', name: 'x', category: 'service', kind: 'service', grants: [{ tier: 'platinum', per: 'month' }, { plan: 'NOPE', per: 'year' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['grants.0.tier', 'grants.1.plan']);
    await benefit(t, { code: 'x', name: 'x', grants: [] });
    expect((await api.http.post('/v1/benefits').set(t.auth).send({ code: 'x', name: 'x', category: 'service', kind: 'service' })).status).toBe(409);
    expect((await api.http.patch('/v1/benefits/none').set(t.auth).send({ name: 'y' })).status).toBe(404);
    expect((await api.http.patch('/v1/benefits/x').set(t.auth).send({ kind: 'coupon_pack' })).status).toBe(400);
  });
});

describe('entitlements and their periods', () => {
  it('tier grants apply to that tier and higher (exactTier: only it); calendar months in the tenant zone, 29 February included', async () => {
    const t = await api.createTenant(); // Asia/Shanghai, UTC+8
    const m = await enrol(t, 'm1');
    await benefit(t, { code: 'deliver', name: '优先配送', grants: [{ tier: 'silver', count: 2, per: 'month' }] });
    await benefit(t, { code: 'gold-only', name: 'Gold only', grants: [{ tier: 'gold', exactTier: true, per: 'month' }] });
    expect(await entitlements(t, m, '2028-02-10T00:00:00Z')).toEqual([]); // bronze
    await setTier(t, m, 'diamond', '2028-02-01T00:00:00Z');
    const feb = await entitlements(t, m, '2028-02-29T15:59:59Z'); // 23:59:59 on 29 Feb, local
    expect(feb).toHaveLength(1);
    expect(feb[0]).toMatchObject({ benefitCode: 'deliver', granted: 2, used: 0, remaining: 2, source: 'tier', periodStart: '2028-01-31T16:00:00.000Z', periodEnd: '2028-02-29T16:00:00.000Z' });
    await use(t, m, 'deliver', 'feb-1', '2028-02-29T15:59:59Z');
    await use(t, m, 'deliver', 'feb-2', '2028-02-29T15:59:59Z');
    await expect(use(t, m, 'deliver', 'feb-3', '2028-02-29T15:59:59Z')).rejects.toMatchObject({ code: 'quota_exhausted' });
    // One second later it is 1 March locally: a new period with the full quota.
    const mar = await entitlements(t, m, '2028-02-29T16:00:00Z');
    expect(mar[0]).toMatchObject({ used: 0, remaining: 2, periodStart: '2028-02-29T16:00:00.000Z', periodEnd: '2028-03-31T16:00:00.000Z' });
    await expect(use(t, m, 'gold-only', 'g', '2028-03-02T00:00:00Z')).rejects.toMatchObject({ code: 'not_entitled' });
    await setTier(t, m, 'gold', '2028-03-02T00:00:00Z');
    expect((await entitlements(t, m, '2028-03-02T01:00:00Z')).map((e) => e.benefitCode)).toEqual(['deliver', 'gold-only']);
    expect((await use(t, m, 'gold-only', 'g', '2028-03-02T01:00:00Z')).remaining).toBeNull();
    await expect(use(t, m, 'nothing', 'n', '2028-03-02T01:00:00Z')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('weeks start on Monday in the tenant zone; days, quarters and years are calendar ones too', async () => {
    const t = await api.createTenant({ timezone: 'America/New_York' });
    const m = await enrol(t, 'w');
    await benefit(t, { code: 'wk', name: 'Weekly', grants: [{ tier: 'bronze', count: 1, per: 'week' }] });
    await benefit(t, { code: 'q', name: 'Quarterly', grants: [{ tier: 'bronze', count: 1, per: 'quarter' }] });
    // Sunday 2026-03-08 23:30 local (EDT begins that day) is still the week of Monday 2 March.
    const sun = await entitlements(t, m, '2026-03-09T03:30:00Z');
    expect(sun.find((e) => e.benefitCode === 'wk')).toMatchObject({ periodStart: '2026-03-02T05:00:00.000Z', periodEnd: '2026-03-09T04:00:00.000Z' });
    expect(sun.find((e) => e.benefitCode === 'q')).toMatchObject({ periodStart: '2026-01-01T05:00:00.000Z', periodEnd: '2026-04-01T04:00:00.000Z' });
    await use(t, m, 'wk', 'w1', '2026-03-09T03:30:00Z');
    await expect(use(t, m, 'wk', 'w2', '2026-03-09T03:59:59Z')).rejects.toMatchObject({ code: 'quota_exhausted' });
    expect((await use(t, m, 'wk', 'w3', '2026-03-09T04:00:00Z')).remaining).toBe(0); // Monday 00:00 local
  });

  it('plan periods run from the subscription start (31 January → 29 February → 31 March)', async () => {
    const t = await api.createTenant();
    await plan(t, 'PLUS', 'year');
    const m = await enrol(t, 'p');
    await benefit(t, { code: 'item', name: 'Free item', grants: [{ plan: 'PLUS', count: 1, per: 'month' }] });
    await subscribe(t, m, 'subscribe', 'sub-1', '2028-01-31T02:00:00Z'); // 10:00 local
    const jan = await entitlements(t, m, '2028-02-15T00:00:00Z');
    expect(jan[0]).toMatchObject({ source: 'plan', periodStart: '2028-01-31T02:00:00.000Z', periodEnd: '2028-02-29T02:00:00.000Z' });
    const feb = await entitlements(t, m, '2028-03-01T00:00:00Z');
    expect(feb[0]).toMatchObject({ periodStart: '2028-02-29T02:00:00.000Z', periodEnd: '2028-03-31T02:00:00.000Z' });
    // Once the plan has run out there is no entitlement.
    expect(await entitlements(t, m, '2029-02-01T00:00:00Z')).toEqual([]);
  });

  it('after an upgrade mid-period, remaining = the new count − used this period; tier + plan is one row with the larger quota', async () => {
    const t = await api.createTenant();
    await plan(t);
    const m = await enrol(t, 'u');
    await benefit(t, { code: 'ship', name: 'Free shipping', grants: [{ tier: 'silver', count: 2, per: 'month' }, { tier: 'gold', count: 5, per: 'month' }, { plan: 'PLUS', count: 4, per: 'month' }] });
    await setTier(t, m, 'silver', '2026-05-01T00:00:00Z');
    await use(t, m, 'ship', 'u1', '2026-05-10T00:00:00Z');
    await use(t, m, 'ship', 'u2', '2026-05-11T00:00:00Z');
    await expect(use(t, m, 'ship', 'u3', '2026-05-12T00:00:00Z')).rejects.toMatchObject({ code: 'quota_exhausted' });
    await subscribe(t, m, 'subscribe', 'plus-1', '2026-05-12T00:00:00Z');
    const withPlan = await entitlements(t, m, '2026-05-12T01:00:00Z');
    expect(withPlan).toHaveLength(1);
    // The plan's periods start at the subscription: the two uses before it were in no plan period.
    expect(withPlan[0]).toMatchObject({ source: 'plan', granted: 4, used: 0, remaining: 4, periodStart: '2026-05-12T00:00:00.000Z' });
    await setTier(t, m, 'gold', '2026-05-13T00:00:00Z');
    const gold = await entitlements(t, m, '2026-05-13T01:00:00Z');
    expect(gold).toHaveLength(1);
    expect(gold[0]).toMatchObject({ source: 'tier', granted: 5, used: 2, remaining: 3, periodStart: '2026-04-30T16:00:00.000Z' });
    expect((await use(t, m, 'ship', 'u4', '2026-05-13T02:00:00Z')).remaining).toBe(2);
  });

  it('an archived benefit stays usable for the period it was granted in, not the next', async () => {
    const t = await api.createTenant();
    const m = await enrol(t, 'a');
    await benefit(t, { code: 'old', name: 'Old', grants: [{ tier: 'bronze', count: 3, per: 'month' }] });
    const at = new Date('2026-06-15T00:00:00Z');
    await tx(t, async (x) => (await import('@unionpoint/core/benefits')).archiveBenefit(x, ctxOf(t), 'old', at));
    expect((await use(t, m, 'old', 'a1', '2026-06-20T00:00:00Z')).remaining).toBe(2);
    await expect(use(t, m, 'old', 'a2', '2026-07-02T00:00:00Z')).rejects.toMatchObject({ code: 'not_entitled' });
  });
});

describe('use (核销)', () => {
  it('20 parallel uses of a quota of 6: exactly 6 succeed, the rest are 422 quota_exhausted', async () => {
    const t = await api.createTenant();
    await enrol(t, 'c');
    await benefit(t, { code: 'six', name: 'Six', grants: [{ tier: 'bronze', count: 6, per: 'year' }] });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.http.post('/v1/members/c/entitlements/six/use').set(t.auth).send({ reference: `par-${i}`, valueCents: 100 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    const refused = results.filter((r) => r.status === 422);
    expect(refused).toHaveLength(14);
    expect(refused.every((r) => r.body.code === 'quota_exhausted')).toBe(true);
    expect(results.filter((r) => r.status === 201).map((r) => r.body.remaining).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await rows(`SELECT count(*)::int AS n FROM entitlement_uses WHERE tenant_id = $1`, [t.id]))[0].n).toBe(6);
    const ent = await api.http.get('/v1/members/c/entitlements').set(t.auth);
    expect(ent.body.data[0]).toMatchObject({ benefitCode: 'six', granted: 6, used: 6, remaining: 0 });
  });

  it('is idempotent by reference, 409 for another benefit with it; usages list it with store and value', async () => {
    const t = await api.createTenant();
    await enrol(t, 'i');
    await benefit(t, { code: 'one', name: 'One', grants: [{ tier: 'bronze', count: 2, per: 'month' }] });
    await benefit(t, { code: 'two', name: 'Two', grants: [{ tier: 'bronze', per: 'month' }] });
    const body = { reference: 'r-1', storeId: t.stores[1]!.id, orderExternalId: 'o-9', valueCents: 500 };
    const first = await api.http.post('/v1/members/i/entitlements/one/use').set(t.auth).send(body);
    expect(first.status).toBe(201);
    expect(first.body.remaining).toBe(1);
    const again = await api.http.post('/v1/members/i/entitlements/one/use').set(t.auth).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await api.http.post('/v1/members/i/entitlements/two/use').set(t.auth).send(body)).status).toBe(409);
    const usages = await api.http.get('/v1/members/i/benefit-usages').set(t.auth);
    expect(usages.body.data).toEqual([expect.objectContaining({ benefitCode: 'one', kind: 'service', amountCents: 500, storeId: t.stores[1]!.id, reference: 'r-1', orderExternalId: 'o-9' })]);
    expect((await api.http.post('/v1/members/i/entitlements/one/use').set(t.auth).send({ reference: 'r-2', valueCents: 2_147_483_648 })).status).toBe(400);
  });

  it('a store-bound key uses and reads entitlements for its store', async () => {
    const t = await api.createTenant();
    await enrol(t, 's');
    await benefit(t, { code: 'care', name: 'Care', grants: [{ tier: 'bronze', per: 'day' }] });
    const key = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'till', storeId: t.stores[1]!.id });
    const till = { Authorization: `Bearer ${key.body.key}` };
    expect((await api.http.post('/v1/members/s/entitlements/care/use').set(till).send({ reference: 'till-1' })).status).toBe(201);
    expect((await api.http.get('/v1/members/s/entitlements').set(till)).body.data[0]).toMatchObject({ benefitCode: 'care', granted: null, remaining: null, used: 1 });
    expect((await rows(`SELECT store_id FROM entitlement_uses WHERE tenant_id = $1`, [t.id]))[0].store_id).toBe(t.stores[1]!.id);
    expect((await api.http.post('/v1/benefits').set(till).send({ code: 'x', name: 'x', category: 'service', kind: 'service' })).status).toBe(403);
  });
});

describe('coupon packs', () => {
  async function packTenant() {
    const t = await api.createTenant();
    await plan(t);
    const tpl = await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'FS', name: 'Free shipping', kind: 'free_shipping', validDays: 20 });
    expect(tpl.status).toBe(201);
    await benefit(t, { code: 'ship6', name: '6 free-shipping coupons', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'FS', grants: [{ plan: 'PLUS', count: 6, per: 'month' }, { tier: 'gold', count: 2, per: 'month' }] });
    return t;
  }
  async function runAll(t: TestTenant, at: string, limit: number, crashAfter = Infinity) {
    let after: string | null = null;
    let packs = 0;
    let batches = 0;
    for (;;) {
      if (batches === crashAfter) {
        // The process dies mid-batch: the batch's transaction rolls back.
        await expect(
          tx(t, async (x) => {
            await issueBenefitPacks(x, ctxOf(t), { at: new Date(at), afterMemberId: after, limit });
            throw new Error('crash');
          }),
        ).rejects.toThrow('crash');
        return { packs, crashed: true };
      }
      const r = await tx(t, (x) => issueBenefitPacks(x, ctxOf(t), { at: new Date(at), afterMemberId: after, limit }));
      batches++;
      packs += r.packs;
      if (r.lastMemberId === null) return { packs, crashed: false };
      after = r.lastMemberId;
    }
  }

  it('issues each entitled member the period pack once, even when the job runs twice or crashes mid-batch; coupons expire at min(period end, validity)', async () => {
    const t = await packTenant();
    const ids: string[] = [];
    for (const u of ['p1', 'p2', 'p3', 'p4', 'p5']) ids.push(await enrol(t, u));
    await setTier(t, ids[0]!, 'gold', '2026-04-20T00:00:00Z');
    await setTier(t, ids[3]!, 'diamond', '2026-04-20T00:00:00Z');
    // The tier moves issued April's packs at once.
    expect((await rows(`SELECT count(*)::int AS n FROM benefit_packs WHERE tenant_id = $1`, [t.id]))[0].n).toBe(2);
    const may = '2026-04-30T16:10:00Z'; // 1 May 00:10 local
    // Batches of 2 members: p1–p2, then p3–p4 (the crash), then p5.
    expect(await runAll(t, may, 2, 1)).toEqual({ packs: 1, crashed: true });
    expect((await runAll(t, may, 2)).packs).toBe(1);
    expect((await runAll(t, may, 2)).packs).toBe(0);
    const packs = await rows(`SELECT member_id, period_start, count, source FROM benefit_packs WHERE tenant_id = $1 AND period_start = $2 ORDER BY member_id`, [t.id, '2026-04-30T16:00:00Z']);
    expect(packs.map((p) => [p.member_id, p.count, p.source]).sort()).toEqual([[ids[0], 2, 'tier'], [ids[3], 2, 'tier']].sort());
    const coupons = await rows(`SELECT member_id, expires_at, source FROM coupons WHERE tenant_id = $1 AND created_at = $2`, [t.id, may]);
    expect(coupons).toHaveLength(4);
    // Validity 20 days from 1 May ends before the period (1 June).
    expect(coupons.every((c) => c.expires_at.toISOString() === '2026-05-20T16:10:00.000Z' && c.source === 'benefit_pack')).toBe(true);
    const april = await rows(`SELECT expires_at FROM coupons WHERE tenant_id = $1 AND created_at = $2`, [t.id, '2026-04-20T00:00:00Z']);
    // Issued on 20 April: the period ends first (1 May local), before the 20 days.
    expect(april.every((c) => c.expires_at.toISOString() === '2026-04-30T16:00:00.000Z')).toBe(true);
    expect((await api.http.get('/v1/coupon-templates').set(t.auth)).body.data[0].issued).toBe(8);
    const granted = await rows(`SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = 'entitlement.granted'`, [t.id]);
    expect(granted).toHaveLength(4);
    expect(granted[0].payload.data).toMatchObject({ benefitCode: 'ship6', count: 2, source: 'tier' });
    const ent = await entitlements(t, ids[0]!, '2026-05-02T00:00:00Z');
    expect(ent[0]).toMatchObject({ benefitCode: 'ship6', kind: 'coupon_pack', granted: 2, used: 0 });
    await expect(use(t, ids[0]!, 'ship6', 'pack-use', '2026-05-02T00:00:00Z')).rejects.toMatchObject({ code: 'business_rule' });
  });

  it('a subscription gets the current pack at once; a cancelled plan gets no next pack; events for the plan lifecycle', async () => {
    const t = await packTenant();
    const m = await enrol(t, 'plus');
    await subscribe(t, m, 'subscribe', 's-1', '2026-03-10T00:00:00Z');
    const first = await rows(`SELECT period_start, period_end, count, source FROM benefit_packs WHERE tenant_id = $1`, [t.id]);
    expect(first).toEqual([{ period_start: new Date('2026-03-10T00:00:00Z'), period_end: new Date('2026-04-10T00:00:00Z'), count: 6, source: 'plan' }]);
    await subscribe(t, m, 'renew', 's-2', '2026-04-01T00:00:00Z');
    await subscribe(t, m, 'renew', 's-2b', '2026-04-02T00:00:00Z'); // paid until 10 June
    expect((await runAll(t, '2026-04-10T01:00:00Z', 100)).packs).toBe(1);
    await subscribe(t, m, 'cancel', 's-3', '2026-04-20T00:00:00Z');
    // The paid period runs to 10 June, but the cancelled plan issues no pack for 10 May.
    expect((await runAll(t, '2026-05-10T01:00:00Z', 100)).packs).toBe(0);
    expect((await entitlements(t, m, '2026-05-10T01:00:00Z'))[0]).toMatchObject({ benefitCode: 'ship6', source: 'plan' });
    const types = (await rows(`SELECT type FROM outbox_events WHERE tenant_id = $1 AND type LIKE 'plan.%' ORDER BY seq`, [t.id])).map((r) => r.type);
    expect(types).toEqual(['plan.subscribed', 'plan.renewed', 'plan.renewed', 'plan.cancelled']);
    // plan.expiring 7 days ahead (local day of `until`: 10 June 08:00 local), once however often it runs.
    const notify = (date: string) => tx(t, (x) => notifyExpiringPlans(x, ctxOf(t), { date, timezone: 'Asia/Shanghai', at: new Date(`${date}T01:00:00Z`) }));
    expect((await notify('2026-06-02')).notified).toBe(0);
    expect((await notify('2026-06-03')).notified).toBe(1);
    expect((await notify('2026-06-03')).notified).toBe(0);
    const expiring = await rows(`SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = 'plan.expiring'`, [t.id]);
    expect(expiring).toHaveLength(1);
    expect(expiring[0].payload.data).toMatchObject({ plan: 'PLUS', status: 'cancelled' });
  });
});

describe('statement of value and analytics', () => {
  it('sums entitlement values and pricing benefits against the plan fee, per member and per plan', async () => {
    const t = await api.createTenant();
    await plan(t);
    await enrol(t, 'v');
    await benefit(t, { code: 'item', name: 'Free item', category: 'shopping', kind: 'gift', grants: [{ plan: 'PLUS', count: 4, per: 'week' }] });
    expect((await api.http.post('/v1/members/v/plan').set(t.auth).send({ planCode: 'PLUS', action: 'subscribe', reference: 'v-sub' })).status).toBe(201);
    expect((await api.http.post('/v1/members/v/entitlements/item/use').set(t.auth).send({ reference: 'v-1', valueCents: 990, storeId: t.stores[0]!.id })).status).toBe(201);
    const order = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'o-v', member: 'v', storeId: t.stores[0]!.id, amountCents: 10_000, appliedBenefits: [{ kind: 'free_shipping', amountCents: 600 }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const now = new Date();
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
    const value = await api.http.get(`/v1/members/v/plan-value?period=${month}`).set(t.auth);
    expect(value.status, JSON.stringify(value.body)).toBe(200);
    expect(value.body).toMatchObject({ period: month, planCode: 'PLUS', feeCents: 1090, savedCents: 1590 });
    expect(value.body.breakdown).toEqual([{ kind: 'entitlement', cents: 990 }, { kind: 'free_shipping', cents: 600 }]);
    expect((await api.http.get('/v1/members/v/plan-value?period=2026-13').set(t.auth)).status).toBe(400);
    const plans = await api.http.get('/v1/analytics/plans').set(t.auth);
    expect(plans.body.data).toEqual([expect.objectContaining({ planCode: 'PLUS', members: 1, savedCents: 1590 })]);
    const benefits = await api.http.get('/v1/analytics/benefits').set(t.auth);
    expect(benefits.body.benefits).toEqual([expect.objectContaining({ benefitCode: 'item', entitledMembers: 1, members: 1, uses: 1, valueCents: 990, usageRateBps: 10_000 })]);
    expect(benefits.body.stores).toEqual([expect.objectContaining({ storeId: t.stores[0]!.id, channel: 'online', uses: 1, valueCents: 990 })]);
  });
});
