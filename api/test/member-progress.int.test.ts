// member.progress: progress to the next tier in the qualification model's own unit, and the
// retention requirement of the current period (API.md Clarifications → Progress).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { getMemberView } from '@unionpoint/core/members';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { expectLedgerConsistent, inTenant, order, refund } from './ledger/helpers.ts';

let api: TestApi;
const tenants: TestTenant[] = [];
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  for (const t of tenants) await expectLedgerConsistent(api, t.id);
  await api.close();
});

// Q3 2026 in Asia/Shanghai (the default quarter period): [2026-07-01, 2026-10-01) local.
const ts = (s: string) => new Date(`${s}+08:00`);
const AT = ts('2026-08-15T12:00:00');

async function tenant(model: 'growth' | 'spend' | 'rfm', ladderPatch?: (tiers: Record<string, unknown>[]) => void) {
  const t = await api.createTenant();
  tenants.push(t);
  await api.http.patch('/v1/program').set(t.auth).send({ qualificationModel: model }).expect(200);
  if (ladderPatch) {
    const { body } = await api.http.get('/v1/tiers').set(t.auth).expect(200);
    const tiers = body.data as Record<string, unknown>[];
    ladderPatch(tiers);
    const put = await api.http.put('/v1/tiers').set(t.auth).send({ tiers });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
  return t;
}

async function member(t: TestTenant, unionId: string, orders: { cents: number; at: string }[]) {
  expect((await api.http.post('/v1/members').set(t.auth).send({ unionId })).status).toBe(201);
  for (const [i, o] of orders.entries()) {
    const r = await order(api, t, {
      externalId: `${unionId}-${i}`,
      member: unionId,
      amountCents: o.cents,
      completedAt: ts(o.at).toISOString(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  const { body } = await api.http.get(`/v1/members/${unionId}`).set(t.auth).expect(200);
  return body.id as string;
}

const viewAt = (t: TestTenant, memberId: string, at = AT) =>
  inTenant(api, t.id, (tx) => getMemberView(tx, systemContext(t.id, 'test'), memberId, at));

describe('member progress', () => {
  it('growth: current growth, the next tier by minGrowth; a retention needing spend and growth reports both', async () => {
    const t = await tenant('growth', (tiers) => {
      tiers.find((x) => x.code === 'silver')!.retention = { minSpendCents: 50_000, minGrowth: 200 };
    });
    // Silver since June (growth 1500), then 100 units in Q3: below both parts of the requirement.
    const id = await member(t, 'g1', [
      { cents: 150_000, at: '2026-06-10T12:00:00' },
      { cents: 10_000, at: '2026-07-20T12:00:00' },
    ]);
    const view = await viewAt(t, id);
    expect(view.tier.code).toBe('silver');
    expect(view.growth.nextTier).toEqual({ code: 'gold', name: 'Gold', missing: 3400 });
    expect(view.progress).toEqual({
      unit: 'growth',
      current: 1600,
      nextTier: { code: 'gold', name: 'Gold', threshold: 5000, missing: 3400 },
      retention: {
        unit: 'both',
        periodEnd: '2026-09-30',
        requirement: { spendCents: 50_000, growth: 200 },
        achieved: { spendCents: 10_000, growth: 100 },
        missing: { spendCents: 40_000, growth: 100 },
        atRisk: true,
      },
    });
    // The lowest tier has no requirement; a guest-like new member has growth 0.
    const fresh = await member(t, 'g0', []);
    expect((await viewAt(t, fresh)).progress).toEqual({
      unit: 'growth',
      current: 0,
      nextTier: { code: 'silver', name: 'Silver', threshold: 1000, missing: 1000 },
      retention: null,
    });
    // Over the API too, measured now.
    const res = await api.http.get('/v1/members/g1').set(t.auth).expect(200);
    expect(res.body.progress).toMatchObject({ unit: 'growth', current: 1600, nextTier: { code: 'gold', threshold: 5000, missing: 3400 } });
    const list = await api.http.get('/v1/members?q=g1').set(t.auth).expect(200);
    expect(list.body.data[0].progress).toMatchObject({ unit: 'growth', current: 1600 });
  });

  it('spend: rolling 365-day spend (refunds deducted) against minSpendCents; the top tier has no next tier', async () => {
    const t = await tenant('spend');
    const id = await member(t, 's1', [{ cents: 300_000, at: '2026-05-10T12:00:00' }]);
    const view = await viewAt(t, id);
    expect(view.tier.code).toBe('silver');
    expect(view.progress).toMatchObject({
      unit: 'spendCents',
      current: 300_000,
      nextTier: { code: 'gold', name: 'Gold', threshold: 500_000, missing: 200_000 },
    });
    // Silver's default requirement is growth earned in the period: nothing in Q3 yet.
    expect(view.progress.retention).toEqual({
      unit: 'growth',
      periodEnd: '2026-09-30',
      requirement: { growth: 200 },
      achieved: { growth: 0 },
      missing: { growth: 200 },
      atRisk: true,
    });
    // A refund counts from when it is made: now the order counts 300,000 − 100,000.
    expect((await refund(api, t, 's1-0', { refundId: 'r1', amountCents: 100_000 })).status).toBe(201);
    const now = await api.http.get('/v1/members/s1').set(t.auth).expect(200);
    expect(now.body.progress).toMatchObject({ unit: 'spendCents', current: 200_000, nextTier: { code: 'gold', missing: 300_000 } });
    expect((await viewAt(t, id)).progress.current).toBe(300_000);
    // A year after the order it is out of the window.
    expect((await viewAt(t, id, ts('2027-05-10T12:00:00'))).progress.current).toBe(0);

    const top = await member(t, 's2', [{ cents: 1_200_000, at: '2026-08-01T12:00:00' }]);
    const topView = await viewAt(t, top);
    expect(topView.tier.code).toBe('diamond');
    // Reached diamond in this period: protected, not at risk.
    expect(topView.progress).toMatchObject({
      unit: 'spendCents',
      current: 1_200_000,
      nextTier: null,
      retention: { unit: 'growth', atRisk: false },
    });
  });

  it('rfm: the weighted RFM score against minRfmScore, missing in score points', async () => {
    const t = await tenant('rfm');
    // One order of 600 units 10 days before: R = 5, F = 1, M = 2 → 8 (silver at 6, gold at 9).
    const id = await member(t, 'r1', [{ cents: 60_000, at: '2026-08-05T12:00:00' }]);
    const view = await viewAt(t, id);
    expect(view.tier.code).toBe('silver');
    expect(view.progress).toMatchObject({
      unit: 'rfmScore',
      current: 8,
      nextTier: { code: 'gold', name: 'Gold', threshold: 9, missing: 1 },
      retention: {
        unit: 'growth',
        periodEnd: '2026-09-30',
        requirement: { growth: 200 },
        achieved: { growth: 600 },
        missing: { growth: 0 },
        atRisk: false,
      },
    });
    // 100 days later recency has dropped to R = 3: score 6.
    expect((await viewAt(t, id, ts('2026-11-13T12:00:00'))).progress).toMatchObject({ current: 6, nextTier: { code: 'gold', missing: 3 } });
  });
});
