// The one definition of "rolling 365-day completed spend" (tiers' completedSpendSql): its window
// bounds, its refund rule, and that the tiers module (upgrade rule, member view) and the
// retention run measure the same thing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { memberScore } from '@unionpoint/core/tiers';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { expectLedgerConsistent, inTenant } from './ledger/helpers.ts';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  await api.http.patch('/v1/program').set(t.auth).send({ qualificationModel: 'spend' }).expect(200);
  const ladder = await api.http
    .put('/v1/tiers')
    .set(t.auth)
    .send({
      tiers: [
        { code: 'bronze', name: 'Bronze', rank: 0, minGrowth: 0, minSpendCents: 0, benefits: {} },
        { code: 'silver', name: 'Silver', rank: 1, minGrowth: 1000, minSpendCents: 2000, benefits: {} },
        // A requirement nobody meets: every gold member is judged, and the rolling spend caps the drop.
        {
          code: 'gold',
          name: 'Gold',
          rank: 2,
          minGrowth: 5000,
          minSpendCents: 3000,
          retention: { minSpendCents: 100_000_000 },
          benefits: {},
        },
      ],
    });
  expect(ladder.status, JSON.stringify(ladder.body)).toBe(200);
});
afterAll(async () => {
  await expectLedgerConsistent(api, t.id);
  await api.close();
});

// Q2 2026 in Asia/Shanghai: [2026-04-01, 2026-07-01) local; its end instant is exclusive.
const Q2_END = '2026-06-30';
const END = new Date('2026-07-01T00:00:00+08:00');
const DAY_MS = 86_400_000;
const YEAR_BEFORE_END = new Date(END.getTime() - 365 * DAY_MS); // 2025-07-01T00:00+08:00
const ts = (s: string) => new Date(`${s}+08:00`);

interface Fixture {
  unionId: string;
  orders: { ext: string; cents: number; at: Date; refund?: { cents: number; at: Date } }[];
}

async function seedGoldMember(m: Fixture) {
  const id = `mem_${m.unionId}`;
  const store = t.stores[0]!.id;
  await api.db.pool.query(
    `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, growth) VALUES ($1, $2, $3, 'gold', $4, $5, now(), 0)`,
    [t.id, id, m.unionId, ts('2026-03-01T12:00:00'), ts('2025-01-01T10:00:00')],
  );
  await api.db.pool.query(
    `INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at) VALUES ($1, $2, $3, 'bronze', 'gold', 'upgrade', $4)`,
    [t.id, `tch_${m.unionId}`, id, ts('2026-03-01T12:00:00')],
  );
  for (const o of m.orders) {
    const orderId = `ord_${m.unionId}_${o.ext}`;
    await api.db.pool.query(
      `INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, request_hash, points_earned, growth_earned, refunded_cents, response)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'h', 0, 0, $9, '{}'::jsonb)`,
      [
        t.id,
        orderId,
        store,
        `${m.unionId}-${o.ext}`,
        id,
        o.cents,
        o.at,
        o.refund ? 'partially_refunded' : 'completed',
        o.refund?.cents ?? 0,
      ],
    );
    if (o.refund) {
      await api.db.pool.query(
        `INSERT INTO order_refunds (tenant_id, id, order_id, refund_id, amount_cents, points_clawed_back, growth_clawed_back, points_returned, request_hash, response, created_at)
         VALUES ($1, $2, $3, 'r1', $4, 0, 0, 0, 'h', '{}'::jsonb, $5)`,
        [t.id, `rfd_${m.unionId}_${o.ext}`, orderId, o.refund.cents, o.refund.at],
      );
    }
  }
}

const spendAt = (unionId: string, at: Date) =>
  inTenant(api, t.id, (tx) =>
    memberScore(tx, systemContext(t.id, 'test'), `mem_${unionId}`, { qualificationModel: 'spend', rfm: undefined as never }, at),
  );

describe('rolling 365-day completed spend: one definition', () => {
  beforeAll(async () => {
    const later = { ext: 'b', cents: 500, at: ts('2026-03-01T12:00:00') };
    // An order exactly 365 days before the period end, and one 1 ms earlier.
    await seedGoldMember({ unionId: 'edge-in', orders: [{ ext: 'a', cents: 2500, at: YEAR_BEFORE_END }, later] });
    await seedGoldMember({ unionId: 'edge-out', orders: [{ ext: 'a', cents: 2500, at: new Date(YEAR_BEFORE_END.getTime() - 1) }, later] });
    // 1500 of a 2500 order refunded before the period end, and the same refund after it.
    await seedGoldMember({
      unionId: 'refund-before',
      orders: [{ ext: 'a', cents: 2500, at: ts('2025-12-01T12:00:00'), refund: { cents: 1500, at: ts('2026-06-01T12:00:00') } }, later],
    });
    await seedGoldMember({
      unionId: 'refund-after',
      orders: [{ ext: 'a', cents: 2500, at: ts('2025-12-01T12:00:00'), refund: { cents: 1500, at: ts('2026-07-05T12:00:00') } }, later],
    });
  });

  it('the window is (at − 365 days, at]: an order exactly 365 days before `at` is out, one at `at` is in', async () => {
    const a = YEAR_BEFORE_END.getTime();
    expect(await spendAt('edge-in', new Date(a + 365 * DAY_MS))).toBe(500);
    expect(await spendAt('edge-in', new Date(a + 365 * DAY_MS - 1))).toBe(3000);
    expect(await spendAt('edge-in', new Date(a))).toBe(2500);
    expect(await spendAt('edge-in', new Date(a - 1))).toBe(0);
  });

  it('a refund is subtracted from the time it was made, not from the order time', async () => {
    expect(await spendAt('refund-before', ts('2026-05-31T12:00:00'))).toBe(3000);
    expect(await spendAt('refund-before', ts('2026-06-01T12:00:00'))).toBe(1500);
    expect(await spendAt('refund-after', new Date(END.getTime() - 1))).toBe(3000);
    expect(await spendAt('refund-after', ts('2026-07-05T12:00:00'))).toBe(1500);
  });

  it('retention measures the same spend at the period’s last instant as the tiers module does', async () => {
    const last = new Date(END.getTime() - 1);
    const expected = { 'edge-in': 3000, 'edge-out': 500, 'refund-before': 1500, 'refund-after': 3000 };
    for (const [u, cents] of Object.entries(expected)) expect(await spendAt(u, last), u).toBe(cents);
    // The spend model caps a retention drop by the rolling spend at the end: ≥ 2000 → silver.
    const preview = await api.http.post('/v1/retention/preview').set(t.auth).send({ periodEnd: Q2_END });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const to = Object.fromEntries(preview.body.sample.map((s: { unionId: string; to: string }) => [s.unionId, s.to]));
    expect(to).toEqual({ 'edge-in': 'silver', 'edge-out': 'bronze', 'refund-before': 'bronze', 'refund-after': 'silver' });
  });
});
