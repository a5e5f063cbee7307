// Entitlements and coupon packs through a member's life (docs/rules.md §14): a merge counts what
// either member used once for the survivor and issues no pack twice; members moved set-based (a
// ladder change, a retention run) get their packs at once; a change of the tenant's zone applies
// to periods from the next period on, and points lots keep their expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant, type Tx } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { issueBenefitPacks, memberEntitlements, useEntitlement } from '@unionpoint/core/benefits';
import { updateProgram } from '@unionpoint/core/program';
import { processRetentionRun } from '@unionpoint/core/retention';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const ctxOf = (t: TestTenant) => systemContext(t.id, 'test');
const tx = <T>(t: TestTenant, fn: (tx: Tx) => Promise<T>) => withTenant(api.db.prisma, t.id, fn);

async function enrol(t: TestTenant, unionId: string): Promise<string> {
  const r = await api.http.post('/v1/members').set(t.auth).send({ unionId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
async function template(t: TestTenant, code = 'SHIP') {
  await api.http.post('/v1/coupon-templates').set(t.auth).send({ code, name: '免运费券', kind: 'free_shipping', validDays: 365 }).expect(201);
}
async function benefit(t: TestTenant, body: Record<string, unknown>) {
  const r = await api.http.post('/v1/benefits').set(t.auth).send({ category: 'service', kind: 'service', ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}
async function rows<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> {
  return (await api.db.pool.query(sql, params)).rows as T[];
}
const packsOf = (t: TestTenant, memberId: string) =>
  rows<{ period_start: Date; count: number }>(`SELECT period_start, count FROM benefit_packs WHERE tenant_id = $1 AND member_id = $2 ORDER BY period_start`, [t.id, memberId]);
const packCoupons = (t: TestTenant, memberId: string) =>
  rows<{ n: number }>(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1 AND member_id = $2 AND source = 'benefit_pack'`, [t.id, memberId]).then((r) => r[0]!.n);
const issueAll = (t: TestTenant, at: Date) => tx(t, (x) => issueBenefitPacks(x, ctxOf(t), { at }));

describe('a merge', () => {
  it('counts the uses of both members once against the survivor’s quota, in the period', async () => {
    const t = await api.createTenant();
    const keep = await enrol(t, 'keep');
    await enrol(t, 'dup');
    await benefit(t, { code: 'deliver', name: '优先配送', grants: [{ tier: 'bronze', count: 3, per: 'month' }] });
    const use = (member: string, reference: string) => api.http.post(`/v1/members/${member}/entitlements/deliver/use`).set(t.auth).send({ reference });
    expect((await use('keep', 'k1')).status).toBe(201);
    expect((await use('dup', 'd1')).status).toBe(201);
    expect((await use('dup', 'd2')).status).toBe(201);
    await api.http.post('/v1/members/keep/merge').set(t.auth).send({ fromUnionId: 'dup' }).expect(200);
    const [ent] = await tx(t, (x) => memberEntitlements(x, ctxOf(t), keep, new Date()));
    expect(ent).toMatchObject({ benefitCode: 'deliver', granted: 3, used: 3, remaining: 0 });
    const more = await use('keep', 'k2');
    expect(more.status).toBe(422);
    expect(more.body.code).toBe('quota_exhausted');
    // The merged unionId addresses the survivor: its quota, not a fresh one.
    expect((await use('dup', 'd3')).body.code).toBe('quota_exhausted');
    // A reference used before the merge replays for the survivor.
    expect((await use('keep', 'd1')).status).toBe(200);
    const usages = await api.http.get('/v1/members/keep/benefit-usages').set(t.auth).expect(200);
    expect(usages.body.data.filter((u: { benefitCode?: string }) => u.benefitCode === 'deliver')).toHaveLength(3);
  });

  it('issues no pack twice: the merged member’s pack moves, and where both had one the survivor keeps its own', async () => {
    const t = await api.createTenant();
    await template(t);
    await benefit(t, { code: 'ship', name: '免运费券', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'SHIP', grants: [{ tier: 'bronze', count: 2, per: 'month' }] });
    await benefit(t, { code: 'gold-ship', name: '金牌券包', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'SHIP', grants: [{ tier: 'gold', exactTier: true, count: 3, per: 'month' }] });
    const keep = await enrol(t, 'keep');
    const dup = await enrol(t, 'dup');
    // The merged member is gold: its gold pack is issued on the move up.
    await api.http.post('/v1/members/dup/tier').set(t.auth).send({ tierCode: 'gold', reason: 'VIP' }).expect(200);
    await issueAll(t, new Date());
    expect(await packsOf(t, keep)).toHaveLength(1);
    expect(await packsOf(t, dup)).toHaveLength(2);

    await api.http.post('/v1/members/keep/merge').set(t.auth).send({ fromUnionId: 'dup' }).expect(200);
    // The survivor is gold now: it holds its own bronze pack and the gold pack that moved; the
    // merged member's bronze pack stays with it (the survivor had one for the period).
    const kept = await rows<{ code: string }>(`SELECT b.code FROM benefit_packs p JOIN benefits b ON b.tenant_id = p.tenant_id AND b.id = p.benefit_id WHERE p.tenant_id = $1 AND p.member_id = $2 ORDER BY b.code`, [t.id, keep]);
    expect(kept.map((r) => r.code)).toEqual(['gold-ship', 'ship']);
    expect((await packsOf(t, dup)).length).toBe(1);
    // Every pack coupon is the survivor's: 2 + 2 + 3, and the daily run issues nothing more.
    expect(await packCoupons(t, keep)).toBe(7);
    expect(await issueAll(t, new Date())).toMatchObject({ packs: 0, coupons: 0 });
    const ents = await tx(t, (x) => memberEntitlements(x, ctxOf(t), keep, new Date()));
    expect(ents.map((e) => [e.benefitCode, e.granted])).toEqual([
      ['ship', 2],
      ['gold-ship', 3],
    ]);
  });
});

describe('set-based moves issue the new tier’s packs at once', () => {
  it('a ladder change (PUT and PATCH /v1/tiers) issues the moved members’ packs in its transaction', async () => {
    const t = await api.createTenant();
    await template(t);
    await benefit(t, { code: 'silver-ship', name: '银牌券包', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'SHIP', grants: [{ tier: 'silver', count: 2, per: 'month' }] });
    const a = await enrol(t, 'a');
    const b = await enrol(t, 'b');
    const c = await enrol(t, 'c');
    await api.db.pool.query(`UPDATE members SET growth = CASE WHEN union_id = 'a' THEN 800 WHEN union_id = 'b' THEN 400 ELSE 0 END WHERE tenant_id = $1`, [t.id]);
    // Silver from 500 growth: a moves up and gets its pack now, not at the next daily run.
    const res = await api.http.patch('/v1/tiers/silver').set(t.auth).send({ minGrowth: 500 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await api.http.get('/v1/members/a').set(t.auth)).body.tier.code).toBe('silver');
    expect(await packsOf(t, a)).toHaveLength(1);
    expect(await packCoupons(t, a)).toBe(2);
    expect(await packsOf(t, b)).toHaveLength(0);
    const events = await rows<{ member_id: string }>(`SELECT member_id FROM outbox_events WHERE tenant_id = $1 AND type = 'entitlement.granted'`, [t.id]);
    expect(events.map((e) => e.member_id)).toEqual([a]);

    // A full replace moving b up too: b's pack, and nothing again for a.
    const ladder = (await api.http.get('/v1/tiers').set(t.auth)).body.data as { code: string; minGrowth: number }[];
    const tiers = ladder.map((x) => (x.code === 'silver' ? { ...x, minGrowth: 300 } : x));
    expect((await api.http.put('/v1/tiers').set(t.auth).send({ tiers })).status).toBe(200);
    expect(await packsOf(t, b)).toHaveLength(1);
    expect(await packsOf(t, a)).toHaveLength(1);
    expect(await packsOf(t, c)).toHaveLength(0);
    expect(await issueAll(t, new Date())).toMatchObject({ packs: 0 });
  });

  it('a retention run issues the downgraded members’ packs of their new tier, once, crash and rerun included', async () => {
    const t = await api.createTenant();
    await template(t);
    // A comeback pack for bronze members only.
    await benefit(t, { code: 'comeback', name: '回归礼包', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'SHIP', grants: [{ tier: 'bronze', exactTier: true, count: 1, per: 'month' }] });
    for (const id of ['r1', 'r2']) {
      await api.db.pool.query(
        `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, growth) VALUES ($1, $2, $2, 'gold', '2026-01-15T02:00:00Z', '2025-12-01T02:00:00Z', now(), 0)`,
        [t.id, `mem_${id}`],
      );
      await api.db.pool.query(`INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at) VALUES ($1, $2, $3, 'bronze', 'gold', 'upgrade', '2026-01-15T02:00:00Z')`, [t.id, `tch_${id}`, `mem_${id}`]);
    }
    const queued = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: '2026-06-30' });
    expect(queued.status).toBe(202);
    const now = new Date('2026-07-02T01:00:00Z');
    const out = await processRetentionRun(api.db, t.id, queued.body.runId, { batchSize: 1, now });
    expect(out).toMatchObject({ status: 'completed', downgraded: 2 });
    for (const id of ['mem_r1', 'mem_r2']) {
      const packs = await packsOf(t, id);
      // July in Asia/Shanghai, the period holding the run.
      expect(packs.map((p) => p.period_start.toISOString())).toEqual(['2026-06-30T16:00:00.000Z']);
    }
    expect(await processRetentionRun(api.db, t.id, queued.body.runId, { now })).toMatchObject({ status: 'skipped' });
    expect(await issueAll(t, now)).toMatchObject({ packs: 0 });
  });
});

describe('a change of the tenant’s time zone applies from the next period on', () => {
  it('Shanghai → New York: January keeps its start and runs to New York’s end of January; no second pack, no fresh quota', async () => {
    const t = await api.createTenant(); // Asia/Shanghai
    await template(t);
    await benefit(t, { code: 'ship', name: '免运费券', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'SHIP', grants: [{ tier: 'bronze', count: 2, per: 'month' }] });
    await benefit(t, { code: 'deliver', name: '优先配送', grants: [{ tier: 'bronze', count: 1, per: 'month' }] });
    const m = await enrol(t, 'm');
    const ctx = ctxOf(t);
    await issueAll(t, new Date('2027-01-10T00:00:00Z'));
    await tx(t, (x) => useEntitlement(x, ctx, { memberId: m }, 'deliver', { reference: 'jan' }, new Date('2027-01-10T00:00:00Z')));

    const changed = await tx(t, (x) => updateProgram(x, ctx, { timezone: 'America/New_York' }, new Date('2027-01-20T00:00:00Z')));
    expect(changed.timezoneChange).toEqual({ previous: 'Asia/Shanghai', at: '2027-01-20T00:00:00.000Z' });
    const program = await api.http.get('/v1/program').set(t.auth).expect(200);
    expect(program.body).toMatchObject({ timezone: 'America/New_York', timezoneChange: { previous: 'Asia/Shanghai' } });

    // 1 February 04:00 in Shanghai is still 31 January in New York: the January period goes on.
    const late = new Date('2027-01-31T20:00:00Z');
    const ents = await tx(t, (x) => memberEntitlements(x, ctx, m, late));
    const deliver = ents.find((e) => e.benefitCode === 'deliver')!;
    expect(deliver).toMatchObject({ periodStart: '2026-12-31T16:00:00.000Z', periodEnd: '2027-02-01T05:00:00.000Z', used: 1, remaining: 0 });
    expect(await issueAll(t, late)).toMatchObject({ packs: 0 });
    await expect(tx(t, (x) => useEntitlement(x, ctx, { memberId: m }, 'deliver', { reference: 'late' }, late))).rejects.toMatchObject({ code: 'quota_exhausted' });

    // February is New York's: a new period, a new pack.
    const feb = new Date('2027-02-01T05:00:00Z');
    const next = (await tx(t, (x) => memberEntitlements(x, ctx, m, feb))).find((e) => e.benefitCode === 'deliver')!;
    expect(next).toMatchObject({ periodStart: '2027-02-01T05:00:00.000Z', periodEnd: '2027-03-01T05:00:00.000Z', used: 0, remaining: 1 });
    expect(await issueAll(t, feb)).toMatchObject({ packs: 1, coupons: 2 });
    expect((await packsOf(t, m)).map((p) => p.period_start.toISOString())).toEqual(['2026-12-31T16:00:00.000Z', '2027-02-01T05:00:00.000Z']);
  });

  it('New York → Shanghai: the running period is not cut short; the first Shanghai period starts when it ends; every kind of period', async () => {
    const period = async (per: string, anchor: string | null, at: string) => {
      const [r] = await rows<{ s: Date; e: Date }>(
        `SELECT lower(p) AS s, upper(p) AS e FROM up_benefit_period($1, $2::timestamptz, $3::timestamptz, 'Asia/Shanghai', 'America/New_York', '2027-01-20T00:00:00Z') p`,
        [per, anchor, at],
      );
      return [r!.s.toISOString(), r!.e.toISOString()];
    };
    // Before the change: New York's months.
    expect(await period('month', null, '2026-12-15T00:00:00Z')).toEqual(['2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
    // January runs to its New York end, though Shanghai's January ended 13 hours before.
    expect(await period('month', null, '2027-01-31T20:00:00Z')).toEqual(['2027-01-01T05:00:00.000Z', '2027-02-01T05:00:00.000Z']);
    // Then Shanghai's February, from where January ended.
    expect(await period('month', null, '2027-02-01T05:00:00Z')).toEqual(['2027-02-01T05:00:00.000Z', '2027-02-28T16:00:00.000Z']);
    expect(await period('month', null, '2027-03-10T00:00:00Z')).toEqual(['2027-02-28T16:00:00.000Z', '2027-03-31T16:00:00.000Z']);
    // Days: the day of the change (19 January in New York) runs to its end there.
    expect(await period('day', null, '2027-01-20T03:00:00Z')).toEqual(['2027-01-19T05:00:00.000Z', '2027-01-20T05:00:00.000Z']);
    expect(await period('day', null, '2027-01-20T05:00:00Z')).toEqual(['2027-01-20T05:00:00.000Z', '2027-01-20T16:00:00.000Z']);
    expect(await period('day', null, '2027-01-21T00:00:00Z')).toEqual(['2027-01-20T16:00:00.000Z', '2027-01-21T16:00:00.000Z']);
    // A plan's monthly periods from a start on 10 January 09:00 New York.
    expect(await period('month', '2027-01-10T14:00:00Z', '2027-02-09T20:00:00Z')).toEqual(['2027-01-10T14:00:00.000Z', '2027-02-10T14:00:00.000Z']);
    expect(await period('month', '2027-01-10T14:00:00Z', '2027-02-20T00:00:00Z')).toEqual(['2027-02-10T14:00:00.000Z', '2027-03-10T14:00:00.000Z']);
    // Consecutive periods tile time: each ends where the next starts, none repeats.
    const starts = new Set<string>();
    let at = new Date('2027-01-15T00:00:00Z');
    for (let i = 0; i < 40; i++) {
      const [s, e] = await period('day', null, at.toISOString());
      expect(starts.has(s!)).toBe(false);
      starts.add(s!);
      const [s2] = await period('day', null, e!);
      expect(s2).toBe(e);
      at = new Date(e!);
    }
  });

  it('points lots keep the expiry they were given', async () => {
    const t = await api.createTenant();
    await enrol(t, 'p');
    await api.http.post('/v1/orders').set(t.auth).send({ storeId: t.stores[0]!.id, externalId: 'o1', member: 'p', amountCents: 10_000 }).expect(201);
    const before = await rows<{ expires_at: Date | null }>(`SELECT expires_at FROM points_lots WHERE tenant_id = $1 ORDER BY id`, [t.id]);
    expect(before.length).toBeGreaterThan(0);
    await api.http.patch('/v1/program').set(t.auth).send({ timezone: 'America/New_York' }).expect(200);
    const after = await rows<{ expires_at: Date | null }>(`SELECT expires_at FROM points_lots WHERE tenant_id = $1 ORDER BY id`, [t.id]);
    expect(after).toEqual(before);
    // The same zone again is no change: the recorded change stays.
    const first = (await api.http.get('/v1/program').set(t.auth)).body.timezoneChange;
    await api.http.patch('/v1/program').set(t.auth).send({ timezone: 'America/New_York' }).expect(200);
    expect((await api.http.get('/v1/program').set(t.auth)).body.timezoneChange).toEqual(first);
  });
});
