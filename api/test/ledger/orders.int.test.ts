import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../harness.ts';
import { balanceOf, ledgerSuite, enrol, order, patchProgram, refund } from './helpers.ts';

const suite = ledgerSuite();
let api: TestApi;
beforeAll(() => {
  api = suite.api;
});
const tenant = (overrides: Record<string, unknown> = {}) => suite.tenant(overrides);

describe('POST /v1/orders', () => {
  it('awards points, growth and the first-order bonus, and replays the same body', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const body = {
      externalId: 'o-1',
      member: 'u1',
      amountCents: 12_345,
      items: [{ sku: 'A', priceCents: 12_345, quantity: 1 }],
      appliedBenefits: [{ kind: 'member_price', amountCents: 100 }],
    };
    const first = await order(api, t, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.pointsAwarded).toBe(123);
    expect(first.body.bonusPointsAwarded).toBe(100);
    expect(first.body.growthAwarded).toBe(123);
    expect(first.body.order).toMatchObject({ externalId: 'o-1', status: 'completed' });
    expect(first.body.member.points.balance).toBe(223);
    const again = await order(api, t, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await order(api, t, { ...body, amountCents: 1 });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
    const second = await order(api, t, { externalId: 'o-2', member: 'u1', amountCents: 1000 });
    expect(second.body.bonusPointsAwarded).toBe(0);
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 233, growth: 133 });
  });

  it('a zero-amount order earns nothing and does not complete the first-order task', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const zero = await order(api, t, { externalId: 'z', member: 'u1', amountCents: 0 });
    expect(zero.status).toBe(201);
    expect(zero.body).toMatchObject({ pointsAwarded: 0, bonusPointsAwarded: 0, growthAwarded: 0 });
    expect((await order(api, t, { externalId: 'p', member: 'u1', amountCents: 100 })).body.bonusPointsAwarded).toBe(100);
  });

  it('firstOrderMinAmountCents: only an order at or above the minimum earns the bonus, once per member', async () => {
    const t = await tenant();
    const program = await api.http.get('/v1/program').set(t.auth).expect(200);
    expect(program.body.tasks).toMatchObject({ firstOrder: 100, firstOrderMinAmountCents: 0 });
    await patchProgram(api, t, { tasks: { firstOrderMinAmountCents: 1000 } });
    expect((await api.http.get('/v1/program').set(t.auth)).body.tasks).toMatchObject({ firstOrder: 100, firstOrderMinAmountCents: 1000 });
    expect((await api.http.patch('/v1/program').set(t.auth).send({ tasks: { firstOrderMinAmountCents: -1 } })).status).toBe(400);
    await enrol(api, t, 'u1');
    expect((await order(api, t, { externalId: 'small', member: 'u1', amountCents: 999 })).body.bonusPointsAwarded).toBe(0);
    expect((await order(api, t, { externalId: 'enough', member: 'u1', amountCents: 1000 })).body.bonusPointsAwarded).toBe(100);
    expect((await order(api, t, { externalId: 'again', member: 'u1', amountCents: 5000 })).body.bonusPointsAwarded).toBe(0);
  });

  it('a full refund of the order that earned the first-order bonus takes the bonus back; no later order earns it again', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const first = await order(api, t, { externalId: 'f1', member: 'u1', amountCents: 10_000 });
    expect(first.body).toMatchObject({ pointsAwarded: 100, bonusPointsAwarded: 100 });
    // A partial refund keeps the bonus.
    const part = await refund(api, t, 'f1', { refundId: 'r1', amountCents: 4000 });
    expect(part.body.pointsClawedBack).toBe(40);
    expect((await balanceOf(api, t, 'u1')).points).toBe(160);
    const full = await refund(api, t, 'f1', { refundId: 'r2', amountCents: 6000 });
    expect(full.status, JSON.stringify(full.body)).toBe(201);
    expect(full.body.pointsClawedBack).toBe(60 + 100);
    expect(full.body.member.points.balance).toBe(0);
    // Replaying the refund takes nothing more.
    expect((await refund(api, t, 'f1', { refundId: 'r2', amountCents: 6000 })).status).toBe(200);
    expect((await balanceOf(api, t, 'u1')).points).toBe(0);
    const ledger = await api.http.get('/v1/members/u1/ledger?limit=50').set(t.auth).expect(200);
    const clawbacks = ledger.body.data.filter((e: { kind: string; reason: string }) => e.kind === 'refund_clawback' && e.reason.includes('first-order'));
    expect(clawbacks.map((e: { delta: number }) => e.delta)).toEqual([-100]);
    const events = await suite.api.db.pool.query(
      `SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = 'order.refunded' ORDER BY seq DESC LIMIT 1`,
      [t.id],
    );
    expect(events.rows[0].payload.data).toMatchObject({ refundId: 'r2', pointsClawedBack: 160, status: 'refunded' });
    // Once per member: the next order earns no bonus.
    expect((await order(api, t, { externalId: 'f2', member: 'u1', amountCents: 10_000 })).body.bonusPointsAwarded).toBe(0);
  });

  it('debt: a first-order bonus already spent is taken back as debt under the debt policy, and stops at zero under cap_at_balance', async () => {
    const debt = await tenant();
    await enrol(api, debt, 'u1');
    await order(api, debt, { externalId: 'd1', member: 'u1', amountCents: 10_000 });
    await order(api, debt, { externalId: 'd2', member: 'u1', amountCents: 5000 });
    expect((await api.http.post('/v1/members/u1/points/redeem').set(debt.auth).send({ points: 250, reference: 'spend' })).status).toBe(201);
    const r = await refund(api, debt, 'd1', { refundId: 'r', amountCents: 10_000 });
    expect(r.body.pointsClawedBack).toBe(200);
    expect(r.body.member.points.balance).toBe(-200);

    const cap = await tenant();
    await patchProgram(api, cap, { refunds: { clawback: 'cap_at_balance' } });
    await enrol(api, cap, 'u1');
    await order(api, cap, { externalId: 'c1', member: 'u1', amountCents: 10_000 });
    await order(api, cap, { externalId: 'c2', member: 'u1', amountCents: 5000 });
    await api.http.post('/v1/members/u1/points/redeem').set(cap.auth).send({ points: 200, reference: 'spend' }).expect(201);
    const c = await refund(api, cap, 'c1', { refundId: 'r', amountCents: 10_000 });
    expect(c.body.pointsClawedBack).toBe(50);
    expect(c.body.member.points.balance).toBe(0);
  });

  it('multiplies tier and member-day multipliers in bps and floors once', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    await patchProgram(api, t, {
      earn: { pointsPerUnit: 3, memberDay: { weekdays: [3], discountBps: 10_000, pointsMultiplierBps: 20_000 } },
      tasks: { firstOrder: 0 },
    });
    await enrol(api, t, 'u1');
    // 2026-11-25 is a Wednesday in Shanghai from 2026-11-24T16:00Z.
    const wed = await order(api, t, { externalId: 'w', member: 'u1', amountCents: 999, completedAt: '2026-11-24T16:30:00Z' });
    expect(wed.body.pointsAwarded).toBe(59); // floor(9.99 × 3 × 1.0 × 2.0) = floor(59.94)
    const tue = await order(api, t, { externalId: 't', member: 'u1', amountCents: 999, completedAt: '2026-11-24T15:59:00Z' });
    expect(tue.body.pointsAwarded).toBe(29);
  });

  it('upgrades the tier when growth crosses a threshold', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const r = await order(api, t, { externalId: 'big', member: 'u1', amountCents: 100_000 });
    expect(r.body.member.tier.code).toBe('silver');
    const silver = await order(api, t, { externalId: 'next', member: 'u1', amountCents: 1000 });
    expect(silver.body.pointsAwarded).toBe(12); // 10 × 1.2
  });

  it('50 parallel replays of one order award once', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const body = { externalId: 'par', member: 'u1', amountCents: 5000 };
    const results = await Promise.all(Array.from({ length: 50 }, () => order(api, t, body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    for (const r of results) expect(r.body.pointsAwarded).toBe(50);
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 150, growth: 50 });
  });

  it('refuses bad input without writing, and a missing store with a tenant-wide key', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    for (const body of [
      { externalId: 'x', member: 'u1', amountCents: -1 },
      { externalId: 'x', member: 'u1', amountCents: 1.5 },
      { externalId: '', member: 'u1', amountCents: 1 },
      { externalId: 'x', member: 'u1', amountCents: 1, completedAt: 'yesterday' },
      { externalId: 'x', member: 'u1', amountCents: 1, extra: true },
    ]) {
      const r = await order(api, t, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const noStore = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'x', member: 'u1', amountCents: 1 });
    expect(noStore.status).toBe(400);
    expect((await balanceOf(api, t, 'u1')).points).toBe(0);
  });

  it("another tenant's member or order is 404", async () => {
    const a = await tenant();
    const b = await tenant();
    await enrol(api, a, 'ua');
    await order(api, a, { externalId: 'oa', member: 'ua', amountCents: 1000 });
    const r = await order(api, b, { externalId: 'ob', member: 'ua', amountCents: 1000 });
    expect(r.status).toBe(404);
    const foreignStore = await api.http
      .post('/v1/orders')
      .set(b.auth)
      .send({ externalId: 'ob', member: 'ua', amountCents: 1000, storeId: a.stores[0]!.id });
    expect(foreignStore.status).toBe(404);
    const rf = await refund(api, b, 'oa', { refundId: 'r1', amountCents: 1 });
    expect(rf.status).toBe(404);
    for (const path of [
      '/v1/members/ua/ledger',
      '/v1/members/ua/points/redeem',
      '/v1/members/ua/points/adjust',
      '/v1/members/ua/activities',
      '/v1/members/ua/check-ins',
      '/v1/members/ua/flag/clear',
    ]) {
      const res = path.endsWith('ledger')
        ? await api.http.get(path).set(b.auth)
        : await api.http
            .post(path)
            .set(b.auth)
            .send(
              path.endsWith('redeem')
                ? { points: 1, reference: 'r' }
                : path.endsWith('adjust')
                  ? { delta: 1, reason: 'x' }
                  : path.endsWith('activities')
                    ? { type: 'login', reference: 'l' }
                    : undefined,
            );
      expect(res.status, path).toBe(404);
    }
    const noKey = await api.http.post('/v1/orders').send({ externalId: 'ob', member: 'ua', amountCents: 1000 });
    expect(noKey.status).toBe(401);
  });
});

describe('POST /v1/orders/:externalId/refunds', () => {
  it('keeps floor(P × (A − R) / A) over partial, several partial and full refunds', async () => {
    const t = await tenant();
    await patchProgram(api, t, { tasks: { firstOrder: 0 }, earn: { pointsPerUnit: 7 } });
    await enrol(api, t, 'u1');
    // A = 10000 cents, P = 700 points, G = 100 growth.
    const o = await order(api, t, { externalId: 'r', member: 'u1', amountCents: 10_000 });
    expect(o.body.pointsAwarded).toBe(700);
    const r1 = await refund(api, t, 'r', { refundId: 'a', amountCents: 3333 });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    expect(r1.body.pointsClawedBack).toBe(700 - Math.floor((700 * 6667) / 10000));
    expect(r1.body.growthClawedBack).toBe(100 - Math.floor((100 * 6667) / 10000));
    expect(r1.body.order.status).toBe('partially_refunded');
    const r2 = await refund(api, t, 'r', { refundId: 'b', amountCents: 1 });
    expect(r2.body.pointsClawedBack).toBe(Math.floor((700 * 6667) / 10000) - Math.floor((700 * 6666) / 10000));
    const r3 = await refund(api, t, 'r', { refundId: 'c', amountCents: 6666 });
    expect(r3.body.order.status).toBe('refunded');
    const total = r1.body.pointsClawedBack + r2.body.pointsClawedBack + r3.body.pointsClawedBack;
    expect(total).toBe(700);
    expect(r1.body.growthClawedBack + r2.body.growthClawedBack + r3.body.growthClawedBack).toBe(100);
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 0, growth: 0 });
    const over = await refund(api, t, 'r', { refundId: 'd', amountCents: 1 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('refund_exceeds_order');
    const replay = await refund(api, t, 'r', { refundId: 'a', amountCents: 3333 });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(r1.body);
    const conflict = await refund(api, t, 'r', { refundId: 'a', amountCents: 3000 });
    expect(conflict.status).toBe(409);
  });

  it('refuses an over-refund in one step and writes nothing', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    await order(api, t, { externalId: 'o', member: 'u1', amountCents: 1000 });
    const r = await refund(api, t, 'o', { refundId: 'x', amountCents: 1001 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('refund_exceeds_order');
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 110, growth: 10 });
    const unknown = await refund(api, t, 'nope', { refundId: 'x', amountCents: 1 });
    expect(unknown.status).toBe(404);
  });

  it('debt: spent points make the balance negative, and the next earning repays it first', async () => {
    const t = await tenant();
    await patchProgram(api, t, { tasks: { firstOrder: 0 } });
    await enrol(api, t, 'u1');
    await order(api, t, { externalId: 'o', member: 'u1', amountCents: 10_000 });
    const red = await api.http.post('/v1/members/u1/points/redeem').set(t.auth).send({ points: 80, reference: 'spend' });
    expect(red.status).toBe(201);
    const r = await refund(api, t, 'o', { refundId: 'full', amountCents: 10_000 });
    expect(r.body.pointsClawedBack).toBe(100);
    expect(r.body.member.points.balance).toBe(-80);
    const next = await order(api, t, { externalId: 'o2', member: 'u1', amountCents: 10_000 });
    expect(next.body.member.points.balance).toBe(20);
  });

  it('cap_at_balance: clawback stops at zero', async () => {
    const t = await tenant();
    await patchProgram(api, t, { tasks: { firstOrder: 0 }, refunds: { clawback: 'cap_at_balance' } });
    await enrol(api, t, 'u1');
    await order(api, t, { externalId: 'o', member: 'u1', amountCents: 10_000 });
    await api.http.post('/v1/members/u1/points/redeem').set(t.auth).send({ points: 80, reference: 'spend' });
    const r = await refund(api, t, 'o', { refundId: 'full', amountCents: 10_000 });
    expect(r.body.pointsClawedBack).toBe(20);
    expect(r.body.member.points.balance).toBe(0);
  });

  it('returns points redeemed against the order in the refund proportion', async () => {
    const t = await tenant();
    await patchProgram(api, t, { tasks: { firstOrder: 0 } });
    await enrol(api, t, 'u1');
    await api.http.post('/v1/members/u1/points/adjust').set(t.auth).send({ delta: 1000, reason: 'welcome' });
    const red = await api.http
      .post('/v1/members/u1/points/redeem')
      .set(t.auth)
      .send({ points: 500, reference: 'chk-1', orderExternalId: 'o', storeId: t.stores[0]!.id });
    expect(red.body).toEqual({ redeemed: 500, balance: 500 });
    await order(api, t, { externalId: 'o', member: 'u1', amountCents: 10_000 });
    const half = await refund(api, t, 'o', { refundId: 'h', amountCents: 5000 });
    expect(half.body.pointsReturned).toBe(250);
    expect(half.body.pointsClawedBack).toBe(50);
    const rest = await refund(api, t, 'o', { refundId: 'r', amountCents: 5000 });
    expect(rest.body.pointsReturned).toBe(250);
    expect(rest.body.member.points.balance).toBe(1000);
  });

  it('flags a member whose refunds exceed the threshold; a flagged member earns no points until cleared', async () => {
    const t = await tenant();
    await patchProgram(api, t, { tasks: { firstOrder: 0 }, refunds: { flagThresholdBps: 5000, flagWindowDays: 30, flagMinOrders: 3 } });
    await enrol(api, t, 'u1');
    for (const id of ['a', 'b', 'c']) await order(api, t, { externalId: id, member: 'u1', amountCents: 1000 });
    await refund(api, t, 'a', { refundId: 'ra', amountCents: 1000 });
    expect((await balanceOf(api, t, 'u1')).flagged).toBe(false); // 1000/3000 ≤ 50%
    const r = await refund(api, t, 'b', { refundId: 'rb', amountCents: 1000 });
    expect(r.body.member.flagged).toBe(true); // 2000/3000 > 50%
    const o = await order(api, t, { externalId: 'd', member: 'u1', amountCents: 1000 });
    expect(o.body.pointsAwarded).toBe(0);
    expect(o.body.growthAwarded).toBe(10);
    const clear = await api.http.post('/v1/members/u1/flag/clear').set(t.auth).send();
    expect(clear.status).toBe(200);
    expect(clear.body.flagged).toBe(false);
    const audit = await api.http.get('/v1/audit').set(t.auth);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['member.flagged', 'member.flag_cleared']),
    );
    const e = await order(api, t, { externalId: 'e', member: 'u1', amountCents: 1000 });
    expect(e.body.pointsAwarded).toBe(10);
  });
});
