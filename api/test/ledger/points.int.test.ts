import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { lockMember } from '@unionpoint/core/identities';
import { creditPoints, expirePoints, notifyExpiringPoints } from '@unionpoint/core/points';
import type { TestApi, TestTenant } from '../harness.ts';
import { balanceOf, ledgerSuite, enrol, expectLedgerConsistent, inTenant, order, patchProgram, refund } from './helpers.ts';

const suite = ledgerSuite();
let api: TestApi;
beforeAll(() => {
  api = suite.api;
});
const tenant = (overrides: Record<string, unknown> = {}) => suite.tenant(overrides);
const adjust = (t: TestTenant, unionId: string, delta: number, reason = 'test') =>
  api.http.post(`/v1/members/${unionId}/points/adjust`).set(t.auth).send({ delta, reason });
const redeem = (t: TestTenant, unionId: string, body: Record<string, unknown>) =>
  api.http.post(`/v1/members/${unionId}/points/redeem`).set(t.auth).send(body);

/** Credits a lot at an event time in the past (as an order completed then would). */
async function creditAt(t: TestTenant, memberId: string, points: number, at: Date) {
  const ctx = systemContext(t.id, 'test');
  return inTenant(api, t.id, async (tx) => {
    await lockMember(tx, ctx, memberId);
    return creditPoints(tx, ctx, { memberId, points, kind: 'adjust', reason: 'backdated', at });
  });
}

describe('redeem', () => {
  it('redeems, replays by reference, refuses more than the balance and bad input', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    await adjust(t, 'u1', 100);
    const r = await redeem(t, 'u1', { points: 30, reference: 'r1' });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ redeemed: 30, balance: 70 });
    const again = await redeem(t, 'u1', { points: 30, reference: 'r1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ redeemed: 30, balance: 70 });
    expect((await redeem(t, 'u1', { points: 31, reference: 'r1' })).status).toBe(409);
    const tooMuch = await redeem(t, 'u1', { points: 71, reference: 'r2' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('insufficient_points');
    for (const points of [0, -1, 1.5, '5']) expect((await redeem(t, 'u1', { points, reference: 'r3' })).status).toBe(400);
    expect((await balanceOf(api, t, 'u1')).points).toBe(70);
  });

  it('100 parallel redeems at one member: exactly the affordable ones succeed, never below zero', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    await adjust(t, 'u1', 1000);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => redeem(t, 'u1', { points: 15, reference: `p-${i}` })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 422);
    expect(ok).toHaveLength(66); // floor(1000 / 15)
    expect(refused).toHaveLength(34);
    for (const r of ok) expect(r.body.balance).toBeGreaterThanOrEqual(0);
    expect((await balanceOf(api, t, 'u1')).points).toBe(1000 - 66 * 15);
  });

  it('consumes the oldest lots first', async () => {
    const t = await tenant();
    const m = await enrol(api, t, 'u1');
    const now = Date.now();
    await creditAt(t, m.id, 10, new Date(now - 60 * 86_400_000));
    await creditAt(t, m.id, 20, new Date(now - 30 * 86_400_000));
    await redeem(t, 'u1', { points: 15, reference: 'x' });
    const lots = await inTenant(api, t.id, (tx) =>
      tx.pointsLot.findMany({ where: { tenantId: t.id, memberId: m.id }, orderBy: { earnedAt: 'asc' } }),
    );
    expect(lots.map((l) => l.remaining)).toEqual([0, 15]);
  });
});

describe('adjust', () => {
  it('adjusts with a reason, audited with the actor; never below zero', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const up = await adjust(t, 'u1', 50, 'goodwill');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ delta: 50, balance: 50, entry: { kind: 'adjust', delta: 50, balanceAfter: 50, reason: 'goodwill' } });
    const down = await adjust(t, 'u1', -60, 'too much');
    expect(down.status).toBe(422);
    expect(down.body.code).toBe('insufficient_points');
    expect((await adjust(t, 'u1', -50, 'correction')).body.balance).toBe(0);
    expect((await api.http.post('/v1/members/u1/points/adjust').set(t.auth).send({ delta: 0, reason: 'x' })).status).toBe(400);
    expect((await api.http.post('/v1/members/u1/points/adjust').set(t.auth).send({ delta: 5 })).status).toBe(400);
    const audit = await api.http.get('/v1/audit').set(t.auth);
    const entries = audit.body.data.filter((e: { action: string }) => e.action === 'points.adjusted');
    expect(entries).toHaveLength(2);
    expect(entries[0].actor.type).toBe('api_key');
    expect(entries[0].after).toMatchObject({ delta: -50, reason: 'correction', pointsBalance: 0 });
  });
});

describe('ledger', () => {
  it('lists points and growth entries newest first with a cursor', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    for (let i = 1; i <= 5; i++) await adjust(t, 'u1', i);
    await order(api, t, { externalId: 'o', member: 'u1', amountCents: 2500 });
    const p1 = await api.http.get('/v1/members/u1/ledger?kind=points&limit=4').set(t.auth);
    expect(p1.status).toBe(200);
    expect(p1.body.data).toHaveLength(4);
    expect(p1.body.data[0]).toHaveProperty('balanceAfter');
    expect(Object.keys(p1.body.data[0])).toEqual(
      expect.arrayContaining(['id', 'kind', 'delta', 'balanceAfter', 'reason', 'reference', 'storeId', 'expiresAt', 'createdAt']),
    );
    const p2 = await api.http.get(`/v1/members/u1/ledger?kind=points&limit=4&cursor=${p1.body.nextCursor}`).set(t.auth);
    expect(p2.body.data).toHaveLength(3);
    expect(p2.body.nextCursor).toBeNull();
    const all = [...p1.body.data, ...p2.body.data];
    expect(all.map((e: { balanceAfter: number }) => e.balanceAfter)).toEqual([140, 40, 15, 10, 6, 3, 1]);
    const g = await api.http.get('/v1/members/u1/ledger?kind=growth').set(t.auth);
    expect(g.body.data).toEqual([
      expect.objectContaining({ kind: 'purchase', delta: 25, balanceAfter: 25, reference: 'o', storeId: t.stores[0]!.id }),
    ]);
    expect((await api.http.get('/v1/members/u1/ledger?kind=coins').set(t.auth)).status).toBe(400);
    expect((await api.http.get('/v1/members/u1/ledger?cursor=garbage').set(t.auth)).status).toBe(400);
  });
});

describe('expiry', () => {
  it('lots expire at the end of the Nth month after the month earned, in the tenant time zone', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    await patchProgram(api, t, { expiry: { months: 12 }, tasks: { firstOrder: 0 } });
    await enrol(api, t, 'u1');
    // 2026-01-31T17:00Z is 2026-02-01 01:00 in Shanghai: earned in February.
    await order(api, t, { externalId: 'o', member: 'u1', amountCents: 1000, completedAt: '2026-01-31T17:00:00Z' });
    const l = await api.http.get('/v1/members/u1/ledger').set(t.auth);
    expect(l.body.data[0].expiresAt).toBe('2027-02-28T15:59:59.999Z');
  });

  it('sweeps expired lots once, notices 30 days ahead once per lot, and fills expiringSoon', async () => {
    const t = await tenant({ timezone: 'UTC' });
    await patchProgram(api, t, { expiry: { months: 1 } });
    const m = await enrol(api, t, 'u1');
    const ctx = systemContext(t.id, 'test');
    await creditAt(t, m.id, 40, new Date('2026-09-15T00:00:00Z')); // expires 2026-10-31T23:59:59.999Z
    await creditAt(t, m.id, 25, new Date('2026-10-20T00:00:00Z')); // expires 2026-11-30T23:59:59.999Z
    await redeem(t, 'u1', { points: 10, reference: 'spend' }); // from the oldest lot: 30 left
    const now = new Date('2026-11-10T00:00:00Z');
    const swept = await inTenant(api, t.id, (tx) => expirePoints(tx, ctx, { now }));
    expect(swept).toMatchObject({ members: 1, lotsExpired: 1, pointsExpired: 30, more: false });
    const again = await inTenant(api, t.id, (tx) => expirePoints(tx, ctx, { now }));
    expect(again.lotsExpired).toBe(0);
    expect((await balanceOf(api, t, 'u1')).points).toBe(25);
    const n1 = await inTenant(api, t.id, (tx) => notifyExpiringPoints(tx, ctx, { now }));
    expect(n1).toMatchObject({ members: 1, lots: 1 });
    const n2 = await inTenant(api, t.id, (tx) => notifyExpiringPoints(tx, ctx, { now }));
    expect(n2.lots).toBe(0);
    const events = await inTenant(api, t.id, (tx) =>
      tx.outboxEvent.findMany({ where: { tenantId: t.id, type: { in: ['points.expired', 'points.expiring'] } } }),
    );
    expect(events.map((e) => e.type).sort()).toEqual(['points.expired', 'points.expiring']);
    const ledger = await api.http.get('/v1/members/u1/ledger').set(t.auth);
    expect(ledger.body.data[0]).toMatchObject({ kind: 'expire', delta: -30, balanceAfter: 25 });
  });

  it('the member view lists points expiring within 30 days, batched over a page', async () => {
    const t = await tenant({ timezone: 'UTC' });
    await patchProgram(api, t, { expiry: { months: 1 } });
    const now = new Date();
    const earned = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 2));
    const a = await enrol(api, t, 'a');
    const b = await enrol(api, t, 'b');
    await creditAt(t, a.id, 7, earned);
    await creditAt(t, b.id, 9, earned);
    await creditAt(t, b.id, 5, now); // expires next month: not soon
    // A lot expires at a month end: late on the 1st of a month none is within 30 days. Move the
    // two older lots' expiry to 10 days from now, so the test does not depend on the day it runs.
    await api.db.pool.query(`UPDATE points_lots SET expires_at = now() + interval '10 days' WHERE tenant_id = $1 AND earned_at = $2`, [t.id, earned]);
    const list = await api.http.get('/v1/members').set(t.auth);
    const soon = Object.fromEntries(
      list.body.data.map((m: { unionId: string; points: { expiringSoon: unknown[] } }) => [m.unionId, m.points.expiringSoon]),
    );
    expect(soon.a).toEqual([{ points: 7, expiresAt: expect.any(String) }]);
    expect(soon.b).toEqual([{ points: 9, expiresAt: expect.any(String) }]);
  });
});

describe('refund and expiry together keep the proof', () => {
  it('partial refunds after a partial expiry keep balance = ledger = lots', async () => {
    const t = await tenant({ timezone: 'UTC' });
    await patchProgram(api, t, { expiry: { months: 1 }, tasks: { firstOrder: 0 } });
    await enrol(api, t, 'u1');
    await order(api, t, { externalId: 'old', member: 'u1', amountCents: 5000, completedAt: '2026-08-01T00:00:00Z' });
    await order(api, t, { externalId: 'new', member: 'u1', amountCents: 5000 });
    await inTenant(api, t.id, (tx) => expirePoints(tx, systemContext(t.id, 'test'), { now: new Date() }));
    const r = await refund(api, t, 'old', { refundId: 'x', amountCents: 5000 });
    expect(r.body.pointsClawedBack).toBe(50);
    expect(r.body.member.points.balance).toBe(0); // the old lot had expired: the clawback comes from the newer lot
    await expectLedgerConsistent(api, t.id);
  });
});
