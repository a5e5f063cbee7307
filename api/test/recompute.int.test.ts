// Recompute with a diff preview (docs/rules.md §18, docs/recompute.md): the preview's diff for
// a model switch, a ladder change and new growth rules; apply = preview; a stale preview is
// 409; activity between preview and apply is replayed; ledgers stay append-only and consistent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRecomputeRun } from '@unionpoint/core/recompute';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { expectLedgerConsistent } from './ledger/helpers.ts';

let api: TestApi;
const tenants: TestTenant[] = [];
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  for (const t of tenants) await expectLedgerConsistent(api, t.id);
  await api.close();
});

async function tenant(): Promise<TestTenant> {
  const t = await api.createTenant();
  tenants.push(t);
  return t;
}

async function ok(res: import('supertest').Response, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/**
 * Four members under the default program (growth model, 1 growth per ¥1) and ladder
 * (silver 1000 / ¥2000, gold 5000 / ¥5000, diamond 20000 / ¥10000):
 * a: ¥1500 → 1500 growth, silver; b: ¥6000 then ¥3000 refunded → 3000 growth, still gold;
 * c: a login (5) and a review (20) → 25, bronze; d: nothing, bronze.
 */
async function seeded(): Promise<TestTenant> {
  const t = await tenant();
  for (const unionId of ['a', 'b', 'c', 'd']) await ok(await api.http.post('/v1/members').set(t.auth).send({ unionId }), 201);
  const store = t.stores[0]!.id;
  await ok(await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'oa', member: 'a', storeId: store, amountCents: 150_000 }), 201);
  await ok(await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'ob', member: 'b', storeId: store, amountCents: 600_000 }), 201);
  await ok(await api.http.post('/v1/orders/ob/refunds').set(t.auth).send({ refundId: 'rb', storeId: store, amountCents: 300_000 }), 201);
  await ok(await api.http.post('/v1/members/c/activities').set(t.auth).send({ type: 'login', reference: 'login-1' }), 201);
  await ok(await api.http.post('/v1/members/c/activities').set(t.auth).send({ type: 'review', reference: 'review-1', itemPriceCents: 5000 }), 201);
  expect(await state(t)).toEqual({ a: ['silver', 1500], b: ['gold', 3000], c: ['bronze', 25], d: ['bronze', 0] });
  return t;
}

async function state(t: TestTenant): Promise<Record<string, [string, number]>> {
  const { rows } = await api.db.pool.query<{ union_id: string; tier_code: string; growth: number }>(
    'SELECT union_id, tier_code, growth FROM members WHERE tenant_id = $1 ORDER BY union_id',
    [t.id],
  );
  return Object.fromEntries(rows.map((r) => [r.union_id, [r.tier_code, r.growth]]));
}

/** Asks for a preview, lets the worker's use case compute it (small batches: several per run) and reads it. */
async function preview(t: TestTenant, proposal: Record<string, unknown>, members = 4) {
  const queued = await ok(await api.http.post('/v1/recompute/preview').set(t.auth).send(proposal), 202);
  expect(queued).toEqual({ id: expect.stringMatching(/^rcp_/), status: 'queued' });
  const before = await ok(await api.http.get(`/v1/recompute/${queued.id}`).set(t.auth), 200);
  expect(before).toMatchObject({ status: 'queued', members: 0, stale: false, applied: null });
  expect(await processRecomputeRun(api.db, t.id, queued.id, { batchSize: 3 })).toMatchObject({ status: 'ready', members });
  return ok(await api.http.get(`/v1/recompute/${queued.id}`).set(t.auth), 200);
}

async function apply(t: TestTenant, id: string) {
  expect(await ok(await api.http.post(`/v1/recompute/${id}/apply`).set(t.auth).send({}), 202)).toEqual({ id, status: 'applying' });
  expect(await processRecomputeRun(api.db, t.id, id, { batchSize: 3 })).toMatchObject({ status: 'applied', members: 4 });
  return ok(await api.http.get(`/v1/recompute/${id}`).set(t.auth), 200);
}

const growthLedger = async (t: TestTenant) =>
  (
    await api.db.pool.query('SELECT id, member_id, delta, kind, balance_after, at FROM growth_ledger WHERE tenant_id = $1 ORDER BY id', [t.id])
  ).rows;
const tierChanges = async (t: TestTenant) =>
  (await api.db.pool.query('SELECT id, member_id, from_code, to_code, reason, at FROM tier_changes WHERE tenant_id = $1 ORDER BY id', [t.id])).rows;

describe('preview', () => {
  it('a growth → spend switch: members move to the tier their rolling spend gives, growth unchanged', async () => {
    const t = await seeded();
    const r = await preview(t, { qualificationModel: 'spend' });
    expect(r).toMatchObject({
      status: 'ready',
      members: 4,
      stale: false,
      proposal: { qualificationModel: 'spend' },
      growthDelta: 0,
      growthIncreased: 0,
      growthDecreased: 0,
      computedAt: expect.any(String),
    });
    // a spent ¥1500 (< ¥2000): silver → bronze; b ¥6000 − ¥3000 refunded = ¥3000: gold → silver.
    expect(r.tierChanges).toEqual([
      { from: 'silver', to: 'bronze', count: 1 },
      { from: 'gold', to: 'silver', count: 1 },
    ]);
    expect(r.tiers).toEqual([
      { code: 'bronze', before: 2, after: 3 },
      { code: 'silver', before: 1, after: 1 },
      { code: 'gold', before: 1, after: 0 },
    ]);
    expect(r.sample).toEqual([
      { unionId: 'a', tierBefore: 'silver', tierAfter: 'bronze', growthBefore: 1500, growthAfter: 1500 },
      { unionId: 'b', tierBefore: 'gold', tierAfter: 'silver', growthBefore: 3000, growthAfter: 3000 },
    ]);
    // Nothing but the run was written.
    expect(await state(t)).toEqual({ a: ['silver', 1500], b: ['gold', 3000], c: ['bronze', 25], d: ['bronze', 0] });
  });

  it('a growth → rfm switch with a ladder of scores', async () => {
    const t = await seeded();
    // R, F, M by the default thresholds: a 5 + 1 + 2 = 8, b 5 + 1 + 3 = 9 (¥3000 kept), c and d 1 + 1 + 1 = 3.
    const tiers = [
      { code: 'bronze', name: 'Bronze', rank: 0, minRfmScore: 0, benefits: {} },
      { code: 'silver', name: 'Silver', rank: 1, minRfmScore: 9, benefits: {} },
      { code: 'gold', name: 'Gold', rank: 2, minRfmScore: 12, benefits: {} },
    ];
    const r = await preview(t, { qualificationModel: 'rfm', tiers });
    expect(r.tierChanges).toEqual([
      { from: 'silver', to: 'bronze', count: 1 },
      { from: 'gold', to: 'silver', count: 1 },
    ]);
    expect(r.growthDelta).toBe(0);
  });

  it('a ladder change under the same model may move members down', async () => {
    const t = await seeded();
    const tiers = [
      { code: 'bronze', name: 'Bronze', rank: 0, minGrowth: 0, benefits: {} },
      { code: 'silver', name: 'Silver', rank: 1, minGrowth: 2000, benefits: {} },
      { code: 'gold', name: 'Gold', rank: 2, minGrowth: 3000, benefits: {} },
      { code: 'platinum', name: 'Platinum', rank: 3, minGrowth: 4000, benefits: {} },
    ];
    const r = await preview(t, { tiers });
    expect(r.tierChanges).toEqual([{ from: 'silver', to: 'bronze', count: 1 }]);
    expect(r.tiers).toEqual([
      { code: 'bronze', before: 2, after: 3 },
      { code: 'silver', before: 1, after: 0 },
      { code: 'gold', before: 1, after: 1 },
    ]);
  });

  it('new growth rules: every order, refund and activity replayed under them', async () => {
    const t = await seeded();
    const r = await preview(t, { growthRules: { purchasePerUnit: 2, dailyLogin: 10 } });
    // a 3000; b floor(12000 × ½) = 6000; c 10 + 20 = 30; d 0. Nobody changes tier.
    expect(r.tierChanges).toEqual([]);
    expect(r.growthDelta).toBe(1500 + 3000 + 5);
    expect(r).toMatchObject({ growthIncreased: 3, growthDecreased: 0 });
    expect(r.sample.map((s: { unionId: string; growthAfter: number }) => [s.unionId, s.growthAfter])).toEqual([
      ['a', 3000],
      ['b', 6000],
      ['c', 30],
    ]);
  });

  it('the current settings replay to the growth members hold; a tier kept through a refund is what the model no longer gives', async () => {
    const t = await seeded();
    const r = await preview(t, {});
    // b kept gold through the refund (no downgrade on a refund); the replay gives silver.
    expect(r).toMatchObject({ tierChanges: [{ from: 'gold', to: 'silver', count: 1 }], growthDelta: 0 });
    expect(r.sample).toEqual([{ unionId: 'b', tierBefore: 'gold', tierAfter: 'silver', growthBefore: 3000, growthAfter: 3000 }]);
  });

  it('a member merged into another counts with their survivor, once', async () => {
    const t = await seeded();
    await ok(await api.http.post('/v1/members/a/merge').set(t.auth).send({ fromUnionId: 'c' }), 200);
    expect((await state(t)).a).toEqual(['silver', 1525]);
    const r = await preview(t, {}, 3);
    expect(r).toMatchObject({ members: 3, growthDelta: 0 });
    const doubled = await preview(t, { growthRules: { review: 40 } }, 3);
    expect(doubled.growthDelta).toBe(20);
    expect(doubled.sample[0]).toEqual({ unionId: 'a', tierBefore: 'silver', tierAfter: 'silver', growthBefore: 1525, growthAfter: 1545 });
  });
});

describe('apply', () => {
  it('gives what the preview showed, with recompute_adjust entries and tier changes, never rewriting history', async () => {
    const t = await seeded();
    const r = await preview(t, { qualificationModel: 'spend', growthRules: { purchasePerUnit: 2 } });
    const ledgerBefore = await growthLedger(t);
    const changesBefore = await tierChanges(t);
    const done = await apply(t, r.id);
    expect(done).toMatchObject({ status: 'applied', applied: { members: 4, tierMoves: 2, growthEntries: 2 }, appliedAt: expect.any(String) });
    // Apply = preview.
    const after = await state(t);
    for (const s of r.sample) expect(after[s.unionId], s.unionId).toEqual([s.tierAfter, s.growthAfter]);
    expect(after).toEqual({ a: ['bronze', 3000], b: ['silver', 6000], c: ['bronze', 25], d: ['bronze', 0] });
    // The settings are saved.
    const program = await ok(await api.http.get('/v1/program').set(t.auth), 200);
    expect(program).toMatchObject({ qualificationModel: 'spend', growthRules: { purchasePerUnit: 2, dailyLogin: 5 } });
    // Append-only: every earlier entry and tier change is still there as it was.
    const ledgerAfter = await growthLedger(t);
    for (const row of ledgerBefore) expect(ledgerAfter).toContainEqual(row);
    const added = ledgerAfter.filter((row) => !ledgerBefore.some((b) => b.id === row.id));
    expect(added.map((e) => [e.kind, e.delta]).sort()).toEqual([
      ['recompute_adjust', 1500],
      ['recompute_adjust', 3000],
    ]);
    const changesAfter = await tierChanges(t);
    for (const row of changesBefore) expect(changesAfter).toContainEqual(row);
    const moves = changesAfter.filter((row) => !changesBefore.some((b) => b.id === row.id));
    expect(moves.map((m) => [m.from_code, m.to_code, m.reason]).sort()).toEqual([
      ['gold', 'silver', 'recompute'],
      ['silver', 'bronze', 'recompute'],
    ]);
    const { rows: events } = await api.db.pool.query(
      "SELECT payload->'data'->>'reason' AS reason FROM outbox_events WHERE tenant_id = $1 AND type = 'member.tier_changed' AND payload->'data'->>'reason' = 'recompute'",
      [t.id],
    );
    expect(events).toHaveLength(2);
    const { rows: audit } = await api.db.pool.query("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'recompute.%' ORDER BY created_at", [t.id]);
    expect(audit.map((a) => a.action)).toEqual(['recompute.applied', 'recompute.completed']);
    // A fresh preview under the saved settings changes nothing more.
    expect(await preview(t, {})).toMatchObject({ tierChanges: [], growthDelta: 0, sample: [] });
    // Applying again is refused.
    expect((await api.http.post(`/v1/recompute/${r.id}/apply`).set(t.auth).send({})).body).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('replays what happened between the preview and the apply', async () => {
    const t = await seeded();
    const r = await preview(t, { growthRules: { purchasePerUnit: 2 } });
    // d buys ¥100 under the current rules (100 growth); c's review is revoked.
    await ok(await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'od', member: 'd', storeId: t.stores[0]!.id, amountCents: 10_000 }), 201);
    await ok(await api.http.delete('/v1/members/c/activities/review-1').set(t.auth), 200);
    expect((await state(t)).d).toEqual(['bronze', 100]);
    await apply(t, r.id);
    expect(await state(t)).toEqual({ a: ['silver', 3000], b: ['gold', 6000], c: ['bronze', 5], d: ['bronze', 200] });
  });

  it('keeps protectedUntil and trials: such members are not moved down, and the dates stay', async () => {
    const t = await seeded();
    const until = new Date(Date.now() + 30 * 86_400_000);
    await api.db.pool.query("UPDATE members SET protected_until = $2 WHERE tenant_id = $1 AND union_id = 'a'", [t.id, until]);
    await ok(await api.http.post('/v1/members/d/tier-trial').set(t.auth).send({ tierCode: 'gold', days: 7 }), 201);
    const r = await preview(t, { qualificationModel: 'spend' });
    expect(r.tierChanges).toEqual([{ from: 'gold', to: 'silver', count: 1 }]);
    await apply(t, r.id);
    const { rows } = await api.db.pool.query(
      "SELECT union_id, tier_code, protected_until, trial_until FROM members WHERE tenant_id = $1 AND union_id IN ('a', 'b', 'd') ORDER BY union_id",
      [t.id],
    );
    expect(rows.map((m) => [m.union_id, m.tier_code, m.protected_until !== null, m.trial_until !== null])).toEqual([
      ['a', 'silver', true, false],
      ['b', 'silver', false, false],
      ['d', 'gold', false, true],
    ]);
  });

  it('a ladder proposal is saved through the ladder write and members land on its tiers', async () => {
    const t = await seeded();
    const tiers = [
      { code: 'bronze', name: 'Bronze', rank: 0, minGrowth: 0, benefits: {} },
      { code: 'silver', name: 'Silver', rank: 1, minGrowth: 2000, benefits: {} },
      { code: 'gold', name: 'Gold', rank: 2, minGrowth: 2500, benefits: {} },
    ];
    const r = await preview(t, { tiers });
    await apply(t, r.id);
    const ladder = await ok(await api.http.get('/v1/tiers').set(t.auth), 200);
    expect(ladder.data.map((x: { code: string }) => x.code)).toEqual(['bronze', 'silver', 'gold']);
    expect(await state(t)).toEqual({ a: ['bronze', 1500], b: ['gold', 3000], c: ['bronze', 25], d: ['bronze', 0] });
  });

  it('a preview made before the last change of program or ladder is stale: 409 stale_preview, nothing changes', async () => {
    const t = await seeded();
    const r = await preview(t, { qualificationModel: 'spend' });
    await ok(await api.http.patch('/v1/program').set(t.auth).send({ earn: { pointsPerUnit: 2 } }), 200);
    expect(await ok(await api.http.get(`/v1/recompute/${r.id}`).set(t.auth), 200)).toMatchObject({ status: 'ready', stale: true });
    const res = await api.http.post(`/v1/recompute/${r.id}/apply`).set(t.auth).send({});
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'stale_preview' });
    expect((await ok(await api.http.get('/v1/program').set(t.auth), 200)).qualificationModel).toBe('growth');
    expect(await state(t)).toEqual({ a: ['silver', 1500], b: ['gold', 3000], c: ['bronze', 25], d: ['bronze', 0] });

    // A ladder change makes a preview stale too.
    const r2 = await preview(t, { qualificationModel: 'spend' });
    const { body: current } = await api.http.get('/v1/tiers').set(t.auth);
    await ok(await api.http.patch('/v1/tiers/gold').set(t.auth).send({ name: 'Gold+' }), 200);
    expect(current.data).toHaveLength(4);
    expect((await api.http.post(`/v1/recompute/${r2.id}/apply`).set(t.auth).send({})).body).toMatchObject({ status: 409, code: 'stale_preview' });
  });

  it('a preview not computed yet cannot be applied', async () => {
    const t = await seeded();
    const { id } = await ok(await api.http.post('/v1/recompute/preview').set(t.auth).send({}), 202);
    const res = await api.http.post(`/v1/recompute/${id}/apply`).set(t.auth).send({});
    expect(res.body).toMatchObject({ status: 409, code: 'conflict' });
  });
});

describe('resumable', () => {
  it('a preview and an apply interrupted after a batch resume from their cursor and give the uninterrupted result', async () => {
    const t = await seeded();
    const { id } = await ok(await api.http.post('/v1/recompute/preview').set(t.auth).send({ qualificationModel: 'spend' }), 202);
    const crash = () => {
      throw new Error('worker killed');
    };
    await expect(processRecomputeRun(api.db, t.id, id, { batchSize: 2, afterBatch: crash })).rejects.toThrow('worker killed');
    const half = await ok(await api.http.get(`/v1/recompute/${id}`).set(t.auth), 200);
    expect(half).toMatchObject({ status: 'running', members: 2 });
    expect(await processRecomputeRun(api.db, t.id, id, { batchSize: 2 })).toMatchObject({ status: 'ready', members: 4 });
    const r = await ok(await api.http.get(`/v1/recompute/${id}`).set(t.auth), 200);
    expect(r.tierChanges).toEqual([
      { from: 'silver', to: 'bronze', count: 1 },
      { from: 'gold', to: 'silver', count: 1 },
    ]);
    await ok(await api.http.post(`/v1/recompute/${id}/apply`).set(t.auth).send({}), 202);
    await expect(processRecomputeRun(api.db, t.id, id, { batchSize: 2, afterBatch: crash })).rejects.toThrow('worker killed');
    expect((await ok(await api.http.get(`/v1/recompute/${id}`).set(t.auth), 200))).toMatchObject({ status: 'applying', applied: { members: 2, growthEntries: 0 } });
    expect(await processRecomputeRun(api.db, t.id, id, { batchSize: 2 })).toMatchObject({ status: 'applied', members: 4 });
    expect(await state(t)).toEqual({ a: ['bronze', 1500], b: ['silver', 3000], c: ['bronze', 25], d: ['bronze', 0] });
    const { rows } = await api.db.pool.query("SELECT count(*)::int AS n FROM tier_changes WHERE tenant_id = $1 AND reason = 'recompute'", [t.id]);
    expect(rows[0].n).toBe(2);
    // Done: running it again changes nothing.
    expect(await processRecomputeRun(api.db, t.id, id, { batchSize: 2 })).toMatchObject({ status: 'skipped' });
  });
});

describe('bad input: 4xx problem+json, nothing written', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['an unknown model', { qualificationModel: 'vibes' }],
    ['an unknown key', { rules: {} }],
    ['an unknown growth rule', { growthRules: { purchasePerEuro: 1 } }],
    ['a negative growth rule', { growthRules: { dailyLogin: -1 } }],
    ['a growth rule past its range', { growthRules: { monthlyShopping: { grantDay: 31 } } }],
    ['an empty ladder', { tiers: [] }],
    [
      'thresholds not rising',
      {
        tiers: [
          { code: 'bronze', name: 'B', rank: 0, minGrowth: 0, benefits: {} },
          { code: 'silver', name: 'S', rank: 1, minGrowth: 0, benefits: {} },
        ],
      },
    ],
    [
      'a ladder without the thresholds of the proposed model',
      { qualificationModel: 'rfm', tiers: [{ code: 'bronze', name: 'B', rank: 0, benefits: {} }, { code: 'silver', name: 'S', rank: 1, minGrowth: 10, benefits: {} }] },
    ],
  ];
  it.each(bad)('%s → 400', async (_name, body) => {
    const t = await tenant();
    const res = await api.http.post('/v1/recompute/preview').set(t.auth).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    const { rows } = await api.db.pool.query('SELECT count(*)::int AS n FROM recompute_runs WHERE tenant_id = $1', [t.id]);
    expect(rows[0].n).toBe(0);
  });

  it('an unknown or another tenant’s recompute is 404', async () => {
    const t = await seeded();
    const other = await tenant();
    const { id } = await ok(await api.http.post('/v1/recompute/preview').set(t.auth).send({}), 202);
    expect((await api.http.get(`/v1/recompute/${id}`).set(other.auth)).status).toBe(404);
    expect((await api.http.post(`/v1/recompute/${id}/apply`).set(other.auth).send({})).status).toBe(404);
    expect((await api.http.get('/v1/recompute/rcp_nothing').set(t.auth)).body).toMatchObject({ status: 404, code: 'not_found' });
  });
});
