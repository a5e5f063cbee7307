// Store settlement (docs/rules.md §18): points issued by one store and spent in another, from
// the lots each redemption consumed (FIFO), per month in the tenant's time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { expirePoints, redeemPoints, verifyLedger } from '@unionpoint/core/points';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
const tenants: TestTenant[] = [];

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  for (const t of tenants) {
    const report = await withTenant(api.db.prisma, t.id, (tx) => verifyLedger(tx, systemContext(t.id, 'test')));
    expect(report.mismatches).toEqual([]);
  }
  await api.close();
});

/** A tenant without the first-order bonus, so an order's lot holds exactly its points. */
async function tenant(): Promise<TestTenant & { a: string; b: string }> {
  const t = await api.createTenant();
  tenants.push(t);
  await api.http.patch('/v1/program').set(t.auth).send({ tasks: { firstOrder: 0 } }).expect(200);
  return { ...t, a: t.stores[0]!.id, b: t.stores[1]!.id };
}

async function enrol(t: TestTenant, unionId: string) {
  await api.http.post('/v1/members').set(t.auth).send({ unionId }).expect(201);
}

/** An order of `amountCents` at a store; returns the points it earned (1 point per ¥1 on bronze). */
async function earn(t: TestTenant, member: string, storeId: string, amountCents: number, completedAt?: Date): Promise<number> {
  const r = await api.http
    .post('/v1/orders')
    .set(t.auth)
    .send({ externalId: `o-${member}-${Math.random().toString(36).slice(2)}`, member, storeId, amountCents, ...(completedAt ? { completedAt: completedAt.toISOString() } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.pointsAwarded as number;
}

async function redeem(t: TestTenant, member: string, storeId: string, points: number) {
  const r = await api.http.post(`/v1/members/${member}/points/redeem`).set(t.auth).send({ points, reference: `r-${Math.random()}`, storeId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

/** A redemption at an injected time, through the core use case (the API takes no redemption time). */
function redeemAt(t: TestTenant, member: string, storeId: string, points: number, at: Date) {
  return withTenant(api.db.prisma, t.id, (tx) => redeemPoints(tx, systemContext(t.id, 'test'), { ref: member }, { points, reference: `r-${at.toISOString()}-${points}`, storeId }, at));
}

function localMonth(at = new Date(), tz = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).format(at).slice(0, 7);
}

interface Settlement {
  month: string;
  stores: { storeId: string | null; code: string | null; issuedPoints: number; redeemedPoints: number; payableCents: number; receivableCents: number; netCents: number }[];
  matrix: { issuedBy: string | null; redeemedAt: string | null; points: number; valueCents: number }[];
  unattributedPoints: number;
}

async function settlement(t: TestTenant, month: string): Promise<Settlement> {
  const r = await api.http.get(`/v1/analytics/settlement?month=${month}`).set(t.auth);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Settlement;
}

const cells = (s: Settlement) => Object.fromEntries(s.matrix.map((c) => [`${c.issuedBy}>${c.redeemedAt}`, c.points]));
const store = (s: Settlement, id: string | null) => s.stores.find((r) => r.storeId === id)!;

/** The month's redemptions and exchanges as the ledger has them, per store (tenant zone). */
async function ledgerSpent(t: TestTenant, month: string): Promise<Record<string, number>> {
  const { rows } = await api.db.pool.query<{ store_id: string | null; spent: string }>(
    `SELECT store_id, -sum(delta) AS spent FROM points_ledger
     WHERE tenant_id = $1 AND kind IN ('redeem', 'exchange') AND to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $2
     GROUP BY store_id`,
    [t.id, month],
  );
  return Object.fromEntries(rows.map((r) => [String(r.store_id), Number(r.spent)]));
}

describe('GET /v1/analytics/settlement — happy', () => {
  it('points earned at store A and redeemed at store B are owed by A to B, valued at the redeem rate', async () => {
    const t = await tenant();
    await enrol(t, 's1');
    const earned = await earn(t, 's1', t.a, 50_000);
    expect(earned).toBe(500);
    await redeem(t, 's1', t.b, 200);
    const s = await settlement(t, localMonth());
    expect(s.matrix).toEqual([{ issuedBy: t.a, redeemedAt: t.b, points: 200, valueCents: 200 }]);
    expect(store(s, t.a)).toMatchObject({ issuedPoints: 500, redeemedPoints: 0, payableCents: 200, receivableCents: 0, netCents: -200 });
    expect(store(s, t.b)).toMatchObject({ issuedPoints: 0, redeemedPoints: 200, payableCents: 0, receivableCents: 200, netCents: 200 });
    expect(s.stores.map((r) => r.code)).toEqual(['mall', 'shop1']);
    expect(s.unattributedPoints).toBe(0);
  });

  it('a redemption across two lots of two stores takes the oldest first, and an exchange the next; the sums equal the ledger', async () => {
    const t = await tenant();
    await enrol(t, 's2');
    const now = Date.now();
    const fromA = await earn(t, 's2', t.a, 30_000, new Date(now - 2000)); // older lot, store A
    const fromB = await earn(t, 's2', t.b, 40_000, new Date(now - 1000)); // newer lot, store B
    expect([fromA, fromB]).toEqual([300, 400]);
    await redeem(t, 's2', t.b, 350); // 300 from A's lot, 50 from B's
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'mug', name: 'Mug', pointsCost: 120 }).expect(201);
    const ex = await api.http.post('/v1/members/s2/rewards/mug/exchange').set(t.auth).send({ storeId: t.a, reference: 'ex-1' });
    expect(ex.status, JSON.stringify(ex.body)).toBe(201); // 120 more from B's lot, spent at A

    const month = localMonth();
    const s = await settlement(t, month);
    expect(cells(s)).toEqual({ [`${t.a}>${t.b}`]: 300, [`${t.b}>${t.b}`]: 50, [`${t.b}>${t.a}`]: 120 });
    // Only the cross-store cells are owed: A owes B ¥3.00, B owes A ¥1.20.
    expect(store(s, t.a)).toMatchObject({ issuedPoints: 300, redeemedPoints: 120, payableCents: 300, receivableCents: 120, netCents: -180 });
    expect(store(s, t.b)).toMatchObject({ issuedPoints: 400, redeemedPoints: 350, payableCents: 120, receivableCents: 300, netCents: 180 });
    // Redeemed per store and the matrix both sum to the ledger's redemption entries of the month.
    const ledger = await ledgerSpent(t, month);
    expect(ledger).toEqual({ [t.a]: 120, [t.b]: 350 });
    for (const id of [t.a, t.b]) {
      expect(store(s, id).redeemedPoints).toBe(ledger[id]);
      expect(s.matrix.filter((c) => c.redeemedAt === id).reduce((n, c) => n + c.points, 0)).toBe(ledger[id]);
    }
    // Each lot use names its lot: what the lots lost is what the uses say.
    const { rows } = await api.db.pool.query<{ store_id: string; points: number; remaining: number; used: string }>(
      `SELECT l.store_id, l.points, l.remaining, (SELECT sum(u.points) FROM points_lot_uses u WHERE u.tenant_id = l.tenant_id AND u.lot_id = l.id) AS used
       FROM points_lots l WHERE l.tenant_id = $1 ORDER BY l.earned_at`,
      [t.id],
    );
    expect(rows.map((r) => [r.store_id, r.points, r.remaining, Number(r.used)])).toEqual([
      [t.a, 300, 0, 300],
      [t.b, 400, 230, 170],
    ]);
  });

  it('months are calendar months in the tenant zone: 29 February to 1 March and 31 January to 1 February split at local midnight', async () => {
    const t = await tenant();
    await enrol(t, 's3');
    await earn(t, 's3', t.a, 100_000, new Date('2028-01-10T04:00:00Z'));
    // Asia/Shanghai is UTC+8: 16:00 UTC is local midnight.
    await redeemAt(t, 's3', t.b, 11, new Date('2028-01-31T15:59:59.999Z')); // 31 Jan 23:59 local
    await redeemAt(t, 's3', t.b, 13, new Date('2028-01-31T16:00:00.000Z')); // 1 Feb 00:00 local
    await redeemAt(t, 's3', t.b, 17, new Date('2028-02-29T15:59:59.999Z')); // 29 Feb 23:59 local (leap year)
    await redeemAt(t, 's3', t.b, 19, new Date('2028-02-29T16:00:00.000Z')); // 1 Mar 00:00 local
    const jan = await settlement(t, '2028-01');
    const feb = await settlement(t, '2028-02');
    const mar = await settlement(t, '2028-03');
    expect(cells(jan)).toEqual({ [`${t.a}>${t.b}`]: 11 });
    expect(cells(feb)).toEqual({ [`${t.a}>${t.b}`]: 30 });
    expect(cells(mar)).toEqual({ [`${t.a}>${t.b}`]: 19 });
    expect(store(jan, t.a).issuedPoints).toBe(1000);
    expect(store(feb, t.a).issuedPoints).toBe(0);
    expect(store(feb, t.b).redeemedPoints).toBe(30);
    for (const [s, month] of [[jan, '2028-01'], [feb, '2028-02'], [mar, '2028-03']] as const) {
      expect(store(s, t.b).redeemedPoints).toBe((await ledgerSpent(t, month))[t.b]);
      expect(s.month).toBe(month);
    }
    expect(cells(await settlement(t, '2027-12'))).toEqual({});
  });

  it('a merge moves lots with their issuing store: the survivor spending them is settled with that store', async () => {
    const t = await tenant();
    await enrol(t, 'keep');
    await enrol(t, 'gone');
    const now = Date.now();
    await earn(t, 'gone', t.a, 20_000, new Date(now - 2000)); // 200 at A, the oldest lot
    await earn(t, 'keep', t.b, 10_000, new Date(now - 1000)); // 100 at B
    await api.http.post('/v1/members/keep/merge').set(t.auth).send({ fromUnionId: 'gone' }).expect(200);
    await redeem(t, 'keep', t.b, 250);
    const s = await settlement(t, localMonth());
    expect(cells(s)).toEqual({ [`${t.a}>${t.b}`]: 200, [`${t.b}>${t.b}`]: 50 });
    // Merges move points; they issue none.
    expect(store(s, t.a).issuedPoints).toBe(200);
    expect(s.stores.find((r) => r.storeId === null)).toBeUndefined();
  });

  it('clawbacks, negative adjustments and expiry consume lots (recorded) but are not settled; a store-less credit is issued by no store', async () => {
    const t = await tenant();
    await enrol(t, 's4');
    const externalId = 'claw-1';
    await api.http.post('/v1/orders').set(t.auth).send({ externalId, member: 's4', storeId: t.a, amountCents: 10_000 }).expect(201);
    await api.http.post(`/v1/orders/${externalId}/refunds`).set(t.auth).send({ storeId: t.a, refundId: 'rf-1', amountCents: 5000 }).expect(201);
    await api.http.post('/v1/members/s4/points/adjust').set(t.auth).send({ delta: -10, reason: 'correction', storeId: t.b }).expect(201);
    await api.http.post('/v1/members/s4/points/adjust').set(t.auth).send({ delta: 40, reason: 'goodwill' }).expect(201);
    await redeem(t, 's4', t.b, 60); // 40 left of A's lot, then 20 of the store-less lot
    const s = await settlement(t, localMonth());
    expect(cells(s)).toEqual({ [`${t.a}>${t.b}`]: 40, [`null>${t.b}`]: 20 });
    expect(store(s, null)).toMatchObject({ code: null, issuedPoints: 40, redeemedPoints: 0, payableCents: 0, receivableCents: 0 });
    // B receives only for A's points: the store-less ones are the program's.
    expect(store(s, t.b)).toMatchObject({ receivableCents: 40, redeemedPoints: 60 });
    const { rows } = await api.db.pool.query<{ kind: string; points: number; issued_store_id: string | null; redeemed_store_id: string | null }>(
      // One debit's uses share its time: within it, the lots in the order it took them (oldest first).
      `SELECT u.kind, u.points, u.issued_store_id, u.redeemed_store_id FROM points_lot_uses u
       JOIN points_lots l ON l.tenant_id = u.tenant_id AND l.id = u.lot_id
       WHERE u.tenant_id = $1 ORDER BY u.created_at, l.earned_at, l.id`,
      [t.id],
    );
    expect(rows.map((r) => [r.kind, r.points, r.issued_store_id, r.redeemed_store_id])).toEqual([
      ['refund_clawback', 50, t.a, t.a],
      ['adjust', 10, t.a, t.b],
      ['redeem', 40, t.a, t.b],
      ['redeem', 20, null, t.b],
    ]);
    // The expiry sweep burns the 20 left of the store-less lot: a use of kind expire, at no store.
    const swept = await withTenant(api.db.prisma, t.id, (tx) => expirePoints(tx, systemContext(t.id, 'test'), { now: new Date('2100-01-01T00:00:00Z') }));
    expect(swept.pointsExpired).toBe(20);
    const burnt = await api.db.pool.query(`SELECT kind, points, issued_store_id, redeemed_store_id FROM points_lot_uses WHERE tenant_id = $1 AND kind = 'expire'`, [t.id]);
    expect(burnt.rows).toEqual([{ kind: 'expire', points: 20, issued_store_id: null, redeemed_store_id: null }]);
    expect(cells(await settlement(t, localMonth()))).toEqual(cells(s));
  });

  it('values each cell at the program’s redeem rate, rounded down', async () => {
    const t = await tenant();
    await api.http.patch('/v1/program').set(t.auth).send({ redeem: { pointsPerUnit: 30 } }).expect(200);
    await enrol(t, 's5');
    await earn(t, 's5', t.a, 10_000);
    await redeem(t, 's5', t.b, 7); // 7 × 100 / 30 = 23.33… cents
    const s = await settlement(t, localMonth());
    expect(s.matrix).toEqual([{ issuedBy: t.a, redeemedAt: t.b, points: 7, valueCents: 23 }]);
  });

  it('format=csv: the matrix as text/csv with a header row, one line per cell', async () => {
    const t = await tenant();
    await enrol(t, 's6');
    await earn(t, 's6', t.a, 10_000, new Date(Date.now() - 1000));
    await earn(t, 's6', t.b, 10_000);
    await redeem(t, 's6', t.b, 150);
    const month = localMonth();
    const r = await api.http.get(`/v1/analytics/settlement?month=${month}&format=csv`).set(t.auth);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="settlement-${month}.csv"`);
    const lines = r.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toEqual([
      'month,issued_by,issued_by_code,redeemed_at,redeemed_at_code,points,value_cents,currency',
      `${month},${t.a},mall,${t.b},shop1,100,100,CNY`,
      `${month},${t.b},shop1,${t.b},shop1,50,50,CNY`,
    ]);
  });

  it('every dashboard role reads it, without a month the current local month; a store-bound key is refused', async () => {
    const t = await tenant();
    const agent = (await import('supertest')).default.agent(api.app);
    await agent.post('/v1/auth/login').send(t.owner).expect(200);
    const r = await agent.get('/v1/analytics/settlement');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ month: localMonth(), timezone: 'Asia/Shanghai', currency: 'CNY', pointsPerUnit: 100, matrix: [] });
    const key = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'till', storeId: t.a });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const till = await api.http.get('/v1/analytics/settlement').set({ Authorization: `Bearer ${key.body.key}` });
    expect(till.status).toBe(403);
    expect(till.body.code).toBe('forbidden');
  });
});

describe('GET /v1/analytics/settlement — errors', () => {
  it('a bad month or format is 400 problem+json', async () => {
    const t = await tenant();
    for (const q of ['month=2026-13', 'month=2026-1', 'month=2026-00', 'month=26-01', 'month=2026-02-01', 'month=abc', 'format=xml', 'month=2026-01&month=2026-02']) {
      const r = await api.http.get(`/v1/analytics/settlement?${q}`).set(t.auth);
      expect(r.status, q).toBe(400);
      expect(r.headers['content-type'], q).toMatch(/application\/problem\+json/);
      expect(r.body.code, q).toBe('validation_failed');
    }
  });

  it('shows only the caller’s tenant', async () => {
    const t = await tenant();
    const other = await tenant();
    await enrol(other, 'o1');
    await earn(other, 'o1', other.a, 10_000);
    await redeem(other, 'o1', other.b, 10);
    const s = await settlement(t, localMonth());
    expect(s.matrix).toEqual([]);
    expect(s.stores.map((r) => r.storeId).sort()).toEqual([t.a, t.b].sort());
  });
});
