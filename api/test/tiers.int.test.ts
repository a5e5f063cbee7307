import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { expireTrials } from '@unionpoint/core/tiers';
import { systemContext } from '@unionpoint/core';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const ladder = (over: Record<string, unknown>[] = []) => ({
  tiers: [
    { code: 'bronze', name: '铜牌', rank: 0, benefits: {} },
    { code: 'silver', name: '银牌', rank: 1, minGrowth: 1000, benefits: { discountBps: 9800 } },
    { code: 'gold', name: '金牌', rank: 2, minGrowth: 5000, benefits: { discountBps: 9500 } },
    { code: 'diamond', name: '钻石', rank: 3, minGrowth: 20000, benefits: { discountBps: 9000 } },
    ...over,
  ],
});

async function enrol(t: TestTenant, unionId: string, growth = 0, tierCode?: string) {
  const r = await api.http.post('/v1/members').set(t.auth).send({ unionId });
  expect(r.status).toBe(201);
  await api.db.pool.query('UPDATE members SET growth = $1, tier_code = COALESCE($2, tier_code) WHERE tenant_id = $3 AND union_id = $4', [growth, tierCode ?? null, t.id, unionId]);
}

async function counts(tenantId: string) {
  const { rows } = await api.db.pool.query(
    `SELECT (SELECT count(*) FROM tier_changes WHERE tenant_id = $1)::int AS changes, (SELECT count(*) FROM outbox_events WHERE tenant_id = $1)::int AS events,
            (SELECT count(*) FROM audit_log WHERE tenant_id = $1)::int AS audits, (SELECT string_agg(code || ':' || rank, ',' ORDER BY rank) FROM tiers WHERE tenant_id = $1) AS tiers,
            (SELECT string_agg(union_id || ':' || tier_code, ',' ORDER BY union_id) FROM members WHERE tenant_id = $1) AS members`,
    [tenantId],
  );
  return rows[0];
}

describe('PUT /v1/tiers — happy', () => {
  it('replaces the ladder, re-tiers members on removed tiers and only upgrades the others', async () => {
    const t = await api.createTenant();
    await enrol(t, 'a', 0); // bronze
    await enrol(t, 'b', 1500); // bronze, qualifies for silver under the new ladder
    await enrol(t, 'c', 100, 'gold'); // gold by hand with little growth: kept tier, never down
    await enrol(t, 'd', 6000, 'diamond'); // diamond is removed: model gives gold
    const body = {
      tiers: [
        { code: 'bronze', name: '铜牌', rank: 0, benefits: {} },
        { code: 'silver', name: '银牌', rank: 1, minGrowth: 1200, benefits: { discountBps: 9800 } },
        { code: 'gold', name: '金牌', rank: 2, minGrowth: 5000, benefits: { discountBps: 9500 } },
      ],
    };
    const sim = await api.http.post('/v1/tiers/simulate').set(t.auth).send(body);
    expect(sim.status).toBe(200);
    expect(sim.body).toEqual({
      distribution: [
        { code: 'bronze', before: 2, after: 1 },
        { code: 'silver', before: 0, after: 1 },
        { code: 'gold', before: 1, after: 2 },
        { code: 'diamond', before: 1, after: 0 },
      ],
      upgrades: 1,
      downgrades: 1,
      // Who moves, by unionId (the dashboard shows them before the save).
      sample: [
        { unionId: 'b', from: 'bronze', to: 'silver' },
        { unionId: 'd', from: 'diamond', to: 'gold' },
      ],
    });
    const before = await counts(t.id);
    const res = await api.http.put('/v1/tiers').set(t.auth).send(body);
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { code: string }) => x.code)).toEqual(['bronze', 'silver', 'gold']);
    expect(res.body).toMatchObject({ upgraded: 1, downgraded: 1 });
    const after = await counts(t.id);
    expect(after.members).toBe('a:bronze,b:silver,c:gold,d:gold');
    expect(after.tiers).toBe('bronze:0,silver:1,gold:2');
    expect(after.changes - before.changes).toBe(2);
    expect(after.events - before.events).toBe(2);
    const hist = await api.http.get('/v1/members/d/tier-history').set(t.auth);
    expect(hist.status).toBe(200);
    expect(hist.body.data[0]).toMatchObject({ from: 'diamond', to: 'gold', reason: 'ladder_changed' });
    expect(hist.body.data.at(-1)).toMatchObject({ from: null, to: 'bronze', reason: 'enrolled' });
    const { rows } = await api.db.pool.query(`SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = 'member.tier_changed' ORDER BY seq`, [t.id]);
    expect(rows.map((r) => r.payload.data.to).sort()).toEqual(['gold', 'silver']);
    const program = await api.http.get('/v1/program').set(t.auth);
    expect(program.body.version).toBeGreaterThan(1);
  });

  it('reuses ranks in another order and renames tiers in one replacement', async () => {
    const t = await api.createTenant();
    await enrol(t, 'x', 0);
    const res = await api.http.put('/v1/tiers').set(t.auth).send({
      tiers: [
        { code: 'member', name: 'Member', rank: 0, benefits: {} },
        { code: 'bronze', name: 'Bronze+', rank: 1, minGrowth: 10, benefits: {} },
      ],
    });
    expect(res.status).toBe(200);
    // bronze is kept (now rank 1): its member stays, since re-tiering only ever upgrades kept tiers.
    expect((await counts(t.id)).members).toBe('x:bronze');
    const get = await api.http.get('/v1/tiers').set(t.auth);
    expect(get.body.data.map((x: { code: string; rank: number }) => `${x.code}:${x.rank}`)).toEqual(['member:0', 'bronze:1']);
  });
});

describe('PUT /v1/tiers — errors', () => {
  it('400 with field paths for bad ladders, and writes nothing', async () => {
    const t = await api.createTenant();
    await enrol(t, 'a', 0);
    const before = await counts(t.id);
    const cases: [unknown, string[]][] = [
      [ladder([{ code: 'gold', name: 'dup', rank: 4, minGrowth: 30000, benefits: {} }]), ['tiers.4.code']],
      [ladder([{ code: 'vip', name: 'dup rank', rank: 3, minGrowth: 30000, benefits: {} }]), ['tiers.4.rank']],
      [{ tiers: [{ code: 'b', name: 'b', rank: 0, benefits: {} }, { code: 's', name: 's', rank: 1, minGrowth: 0, benefits: {} }] }, ['tiers.1.minGrowth']],
      [{ tiers: [{ code: 'b', name: 'b', rank: 0, benefits: { discountBps: 10001 } }] }, ['tiers.0.benefits.discountBps']],
      [{ tiers: [{ code: 'b', name: 'b', rank: 0, benefits: { memberDay: { weekdays: [3], discountBps: -1 } } }] }, ['tiers.0.benefits.memberDay.discountBps']],
      [{ tiers: [] }, ['tiers']],
      [{ tiers: [{ code: 'b', name: 'b', rank: 0, benefits: { upgradeGift: { couponTemplateIds: ['nope'] } } }] }, ['tiers.0.benefits.upgradeGift.couponTemplateIds.0']],
    ];
    for (const [body, paths] of cases) {
      for (const path of ['/v1/tiers', '/v1/tiers/simulate']) {
        const res = await (path === '/v1/tiers' ? api.http.put(path) : api.http.post(path)).set(t.auth).send(body as object);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
      }
    }
    expect(await counts(t.id)).toEqual(before);
  });
});

describe('PATCH /v1/tiers/:code', () => {
  type T = { code: string; minGrowth: number; minRfmScore: number; retention: Record<string, unknown>; benefits: Record<string, unknown> } & Record<string, unknown>;
  const tiersOf = async (t: TestTenant): Promise<T[]> => (await api.http.get('/v1/tiers').set(t.auth).expect(200)).body.data;
  const version = async (t: TestTenant): Promise<number> => (await api.http.get('/v1/program').set(t.auth)).body.version;

  it('changes only the fields sent, merges benefits key by key, re-tiers and is audited', async () => {
    const t = await api.createTenant();
    await enrol(t, 'a', 900); // bronze; qualifies for silver once silver starts at 800
    await enrol(t, 'b', 700); // bronze; still below 800
    await enrol(t, 'c', 100, 'gold'); // kept tier: never down
    // Benefits the dashboard has no column for, on silver.
    const full = await tiersOf(t);
    full[1]!.benefits = { ...full[1]!.benefits, birthdayGift: { points: 50 }, exclusiveAccess: true, memberDay: { weekdays: [5], discountBps: 9000 } };
    await api.http.put('/v1/tiers').set(t.auth).send({ tiers: full }).expect(200);
    const before = await tiersOf(t);
    expect(before.map((x) => x.minRfmScore)).toEqual([0, 6, 9, 12]);
    const v0 = await version(t);
    const c0 = await counts(t.id);

    const res = await api.http
      .patch('/v1/tiers/silver')
      .set(t.auth)
      .send({ name: 'Silver+', minGrowth: 800, retention: { minSpendCents: 10_000 }, benefits: { discountBps: 9700, birthdayGift: { points: 80 } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ upgraded: 1, downgraded: 0 });
    const silver = {
      ...before[1]!,
      name: 'Silver+',
      minGrowth: 800,
      retention: { ...before[1]!.retention, minSpendCents: 10_000 },
      benefits: { ...before[1]!.benefits, discountBps: 9700, birthdayGift: { points: 80 } },
    };
    expect(res.body.data).toEqual(silver);
    // Every other field of silver (minRfmScore, minSpendCents, the other benefit keys) and
    // every other tier are exactly as they were.
    expect(await tiersOf(t)).toEqual([before[0], silver, before[2], before[3]]);
    expect(await version(t)).toBe(v0 + 1);
    const c1 = await counts(t.id);
    expect(c1.members).toBe('a:silver,b:bronze,c:gold');
    expect(c1.changes - c0.changes).toBe(1);
    expect(c1.events - c0.events).toBe(1);
    const hist = await api.http.get('/v1/members/a/tier-history').set(t.auth);
    expect(hist.body.data[0]).toMatchObject({ from: 'bronze', to: 'silver', reason: 'ladder_changed' });
    const audit = await api.http.get('/v1/audit?limit=5').set(t.auth);
    const entry = audit.body.data.find((e: { action: string }) => e.action === 'tier.updated');
    expect(entry.target).toEqual({ type: 'tier', id: 'silver' });
    expect(entry.before).toMatchObject({ name: before[1]!.name, minGrowth: 1000 });
    expect(entry.after).toMatchObject({ tier: { name: 'Silver+', minGrowth: 800, minRfmScore: 6 }, upgraded: 1, downgraded: 0 });

    // A retention requirement can be dropped with null; the other one stays.
    const dropped = await api.http.patch('/v1/tiers/silver').set(t.auth).send({ retention: { minGrowth: null } });
    expect(dropped.status).toBe(200);
    expect(dropped.body.data.retention).toEqual({ minSpendCents: 10_000 });
  });

  it('refuses bad patches with 400/404 problem+json and changes nothing', async () => {
    const t = await api.createTenant();
    await enrol(t, 'a', 1500);
    const before = await tiersOf(t);
    const v0 = await version(t);
    const c0 = await counts(t.id);
    const cases: [string, unknown, number, string[]][] = [
      ['silver', { minGrowth: 6000 }, 400, ['minGrowth']], // above gold's 5000
      ['silver', { minGrowth: 0 }, 400, ['minGrowth']],
      ['bronze', { minRfmScore: 3 }, 400, ['minRfmScore']], // the lowest tier is open to all
      ['gold', { minRfmScore: 6 }, 400, ['minRfmScore']], // not above silver's 6
      ['silver', { benefits: { discountBps: 10_001 } }, 400, ['benefits.discountBps']],
      ['silver', { benefits: { upgradeGift: { couponTemplateIds: ['nope'] } } }, 400, ['benefits.upgradeGift.couponTemplateIds.0']],
      ['silver', { benefits: { memberDay: { weekdays: [3, 3], discountBps: 9000 } } }, 400, ['benefits.memberDay.weekdays.1']],
      ['silver', { rank: 7 }, 400, []],
      ['silver', { code: 'other' }, 400, []],
      ['silver', { name: '' }, 400, ['name']],
      ['silver', {}, 400, []],
      ['silver', { minGrowth: 2 ** 31 }, 400, ['minGrowth']],
      ['platinum', { name: 'Platinum' }, 404, []],
    ];
    for (const [code, body, status, paths] of cases) {
      const res = await api.http.patch(`/v1/tiers/${code}`).set(t.auth).send(body as object);
      expect(res.status, `${code} ${JSON.stringify(body)}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (paths.length) expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
    }
    expect(await tiersOf(t)).toEqual(before);
    expect(await version(t)).toBe(v0);
    expect(await counts(t.id)).toEqual(c0);
  });

  it('edits a ladder whose unused thresholds are stored as 0', async () => {
    const t = await api.createTenant();
    await api.http.put('/v1/tiers').set(t.auth).send(ladder()).expect(200); // minGrowth only
    const res = await api.http.patch('/v1/tiers/gold').set(t.auth).send({ name: 'Gold+', benefits: { fastRefund: true } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Gold+', minGrowth: 5000, minSpendCents: 0, minRfmScore: 0, benefits: { discountBps: 9500, fastRefund: true } });
    // Bringing in a threshold on one tier only is refused: every tier above the lowest needs it.
    const one = await api.http.patch('/v1/tiers/gold').set(t.auth).send({ minSpendCents: 100 });
    expect(one.status).toBe(400);
    expect(one.body.errors.map((e: { path: string; message: string }) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Tier silver: /)]),
    );
  });

  it('is refused to a store-bound key (403) and stays within the tenant', async () => {
    const t = await api.createTenant();
    const other = await api.createTenant();
    const bound = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'pos', storeId: t.stores[1]!.id });
    const pos = { Authorization: `Bearer ${bound.body.key}` };
    const refused = await api.http.patch('/v1/tiers/silver').set(pos).send({ name: 'x' });
    expect(refused.status).toBe(403);
    await api.http.patch('/v1/tiers/silver').set(other.auth).send({ name: 'Other silver' }).expect(200);
    expect((await tiersOf(t))[1]!.name).toBe('Silver');
  });
});

describe('manual tier change and trial', () => {
  it('changes a tier by hand (audited) and refuses an unknown tier', async () => {
    const t = await api.createTenant();
    await enrol(t, 'm', 0);
    const up = await api.http.post('/v1/members/m/tier').set(t.auth).send({ tierCode: 'gold', reason: 'VIP customer' });
    expect(up.status).toBe(200);
    expect(up.body.tier.code).toBe('gold');
    const down = await api.http.post('/v1/members/m/tier').set(t.auth).send({ tierCode: 'silver', reason: 'correction' });
    expect(down.body.tier.code).toBe('silver');
    const bad = await api.http.post('/v1/members/m/tier').set(t.auth).send({ tierCode: 'platinum', reason: 'x' });
    expect(bad.status).toBe(400);
    const audit = await api.http.get('/v1/audit').set(t.auth);
    expect(audit.body.data.filter((a: { action: string }) => a.action === 'member.tier_changed')).toHaveLength(2);
  });

  it('gives a 7-day trial once, and expireTrials reverts it unless earned meanwhile', async () => {
    const t = await api.createTenant();
    await enrol(t, 'p', 0);
    await enrol(t, 'q', 0);
    const trial = await api.http.post('/v1/members/p/tier-trial').set(t.auth).send({});
    expect(trial.status).toBe(201);
    expect(trial.body.tier.code).toBe('silver');
    const until = new Date(trial.body.tier.trialUntil).getTime();
    expect(Math.round((until - Date.now()) / 86_400_000)).toBe(7);
    expect((await api.http.post('/v1/members/p/tier-trial').set(t.auth).send({})).status).toBe(422);
    expect((await api.http.post('/v1/members/q/tier-trial').set(t.auth).send({ tierCode: 'gold' })).body.tier.code).toBe('gold');
    // q earns silver meanwhile (not gold): goes back to silver. p earns nothing: back to bronze.
    await api.db.pool.query(`UPDATE members SET growth = 1000 WHERE tenant_id = $1 AND union_id = 'q'`, [t.id]);
    const ctx = systemContext(t.id, 'test');
    const early = await withTenant(api.db.prisma, t.id, (tx) => expireTrials(tx, ctx, new Date()));
    expect(early).toEqual({ ended: 0, kept: 0 });
    const r = await withTenant(api.db.prisma, t.id, (tx) => expireTrials(tx, ctx, new Date(Date.now() + 8 * 86_400_000)));
    expect(r).toEqual({ ended: 2, kept: 0 });
    expect((await counts(t.id)).members).toBe('p:bronze,q:silver');
    const p = await api.http.get('/v1/members/p').set(t.auth);
    expect(p.body.tier.trialUntil).toBeNull();
  });

  it('keeps the trial tier for a member who qualified for it during the trial', async () => {
    const t = await api.createTenant();
    await enrol(t, 'k', 0);
    await api.http.post('/v1/members/k/tier-trial').set(t.auth).send({ tierCode: 'silver' }).expect(201);
    await api.db.pool.query(`UPDATE members SET growth = 1200 WHERE tenant_id = $1 AND union_id = 'k'`, [t.id]);
    const r = await withTenant(api.db.prisma, t.id, (tx) => expireTrials(tx, systemContext(t.id, 'test'), new Date(Date.now() + 8 * 86_400_000)));
    expect(r).toEqual({ ended: 0, kept: 1 });
    expect((await counts(t.id)).members).toBe('k:silver');
  });
});

describe('tiers — security', () => {
  it('401 without a key; another tenant’s member is 404; the ladder is per tenant', async () => {
    const a = await api.createTenant();
    const b = await api.createTenant();
    await enrol(a, 'shared', 0);
    expect((await api.http.put('/v1/tiers').send(ladder())).status).toBe(401);
    expect((await api.http.get('/v1/members/shared/tier-history').set(b.auth)).status).toBe(404);
    expect((await api.http.post('/v1/members/shared/tier').set(b.auth).send({ tierCode: 'gold', reason: 'x' })).status).toBe(404);
    await api.http.put('/v1/tiers').set(b.auth).send({ tiers: [{ code: 'only', name: 'Only', rank: 0, benefits: {} }] }).expect(200);
    expect((await api.http.get('/v1/tiers').set(a.auth)).body.data).toHaveLength(4);
  });
});

describe('store-bound keys', () => {
  it('cannot change the ladder, tiers by hand, coupon templates, rewards or plans (403)', async () => {
    const t = await api.createTenant();
    await enrol(t, 'sb');
    const bound = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'pos', storeId: t.stores[1]!.id });
    const pos = { Authorization: `Bearer ${bound.body.key}` };
    expect((await api.http.put('/v1/tiers').set(pos).send(ladder())).status).toBe(403);
    expect((await api.http.post('/v1/members/sb/tier').set(pos).send({ tierCode: 'gold', reason: 'x' })).status).toBe(403);
    expect((await api.http.post('/v1/coupon-templates').set(pos).send({ code: 'A', name: 'a', kind: 'amount', amountCents: 1, validDays: 1 })).status).toBe(403);
    expect((await api.http.post('/v1/rewards').set(pos).send({ code: 'R', name: 'r', pointsCost: 1 })).status).toBe(403);
    expect((await api.http.post('/v1/plans').set(pos).send({ code: 'p', name: 'p', priceCents: 1, period: 'month' })).status).toBe(403);
    // Quoting is the store's everyday work; the ladder itself is tenant work (API.md "Who may do what").
    expect((await api.http.get('/v1/tiers').set(pos)).status).toBe(403);
    expect((await api.http.post('/v1/quotes').set(pos).send({ member: 'sb', items: [{ sku: 'a', priceCents: 100, quantity: 1 }], shippingFeeCents: 0 })).status).toBe(200);
  });
});
