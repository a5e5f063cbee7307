// Retries never double a write: manual coupon grants and points adjustments are idempotent by
// an optional `reference` (API.md Clarifications → References).
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApi, TestTenant } from './harness.ts';
import { balanceOf, enrol, ledgerSuite } from './ledger/helpers.ts';

const suite = ledgerSuite();
let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = suite.api;
  t = await suite.tenant();
  await api.http
    .post('/v1/coupon-templates')
    .set(t.auth)
    .send({ code: 'TEN', name: '10 off', kind: 'amount', amountCents: 1000, validDays: 30, stock: 100 })
    .expect(201);
  await api.http
    .post('/v1/coupon-templates')
    .set(t.auth)
    .send({ code: 'FIVE', name: '5 off', kind: 'amount', amountCents: 500, validDays: 30 })
    .expect(201);
});

const count = async (sql: string, params: unknown[]) => (await api.db.pool.query(sql, params)).rows[0].n as number;

describe('POST /v1/members/:member/coupons with a reference', () => {
  it('10 parallel identical grants issue exactly one coupon and answer with it', async () => {
    await enrol(api, t, 'c1');
    const grant = () => api.http.post('/v1/members/c1/coupons').set(t.auth).send({ templateCode: 'TEN', reference: 'grant-1' });
    const all = await Promise.all(Array.from({ length: 10 }, grant));
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1`, [t.id])).toBe(1);
    const template = await api.http.get('/v1/coupon-templates').set(t.auth).expect(200);
    expect(template.body.data.find((x: { code: string }) => x.code === 'TEN')).toMatchObject({ issued: 1, stock: 99 });
    expect(await count(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND type = 'coupon.issued'`, [t.id])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'coupon.granted'`, [t.id])).toBe(1);
  });

  it('the same reference with another body is 409 and writes nothing; no reference grants each time', async () => {
    await enrol(api, t, 'c2');
    expect((await api.http.post('/v1/members/c2/coupons').set(t.auth).send({ templateCode: 'TEN', reference: 'grant-2' })).status).toBe(
      201,
    );
    const before = await count(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1`, [t.id]);
    const other = await api.http.post('/v1/members/c2/coupons').set(t.auth).send({ templateCode: 'FIVE', reference: 'grant-2' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
    // A reference is one grant in the tenant: another member is another body.
    const elsewhere = await api.http.post('/v1/members/c1/coupons').set(t.auth).send({ templateCode: 'TEN', reference: 'grant-2' });
    expect(elsewhere.status).toBe(409);
    expect(await count(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1`, [t.id])).toBe(before);
    expect((await api.http.post('/v1/members/c2/coupons').set(t.auth).send({ templateCode: 'FIVE' })).status).toBe(201);
    expect((await api.http.post('/v1/members/c2/coupons').set(t.auth).send({ templateCode: 'FIVE' })).status).toBe(201);
    // Two members at once with one new reference (each holds only its own member lock): the
    // unique index lets one grant through, the other is 409.
    await enrol(api, t, 'c3');
    const [a, b] = await Promise.all(
      ['c1', 'c3'].map((m) =>
        api.http.post(`/v1/members/${m}/coupons`).set(t.auth).send({ templateCode: 'FIVE', reference: 'grant-race' }),
      ),
    );
    expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    expect(await count(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'coupons_manual_reference'`, [])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1 AND source_ref = 'grant-race'`, [t.id])).toBe(1);
    expect((await api.http.post('/v1/members/c2/coupons').set(t.auth).send({ templateCode: 'FIVE', reference: '' })).status).toBe(400);
  });
});

describe('POST /v1/members/:member/points/adjust with a reference', () => {
  it('10 parallel identical adjustments adjust once and answer with the first result', async () => {
    await enrol(api, t, 'p1');
    const adjust = () =>
      api.http.post('/v1/members/p1/points/adjust').set(t.auth).send({ delta: 500, reason: 'goodwill', reference: 'adj-1' });
    const all = await Promise.all(Array.from({ length: 10 }, adjust));
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    for (const r of all) expect(r.body).toEqual(all.find((x) => x.status === 201)!.body);
    expect(all[0]!.body).toMatchObject({ delta: 500, balance: 500, entry: { kind: 'adjust', delta: 500, reference: 'adj-1' } });
    expect((await balanceOf(api, t, 'p1')).points).toBe(500);
    expect(await count(`SELECT count(*)::int AS n FROM points_ledger WHERE tenant_id = $1 AND kind = 'adjust'`, [t.id])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'points.adjusted'`, [t.id])).toBe(1);

    // A negative adjustment by reference, replayed after other changes, still answers as first.
    const take = await api.http
      .post('/v1/members/p1/points/adjust')
      .set(t.auth)
      .send({ delta: -200, reason: 'correction', reference: 'adj-2' });
    expect(take.status).toBe(201);
    await api.http.post('/v1/members/p1/points/adjust').set(t.auth).send({ delta: 50, reason: 'more' }).expect(201);
    const replay = await api.http
      .post('/v1/members/p1/points/adjust')
      .set(t.auth)
      .send({ delta: -200, reason: 'correction', reference: 'adj-2' });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(take.body);
    expect((await balanceOf(api, t, 'p1')).points).toBe(350);
  });

  it('the same reference with another delta or reason is 409 and writes nothing', async () => {
    await enrol(api, t, 'p2');
    await api.http
      .post('/v1/members/p2/points/adjust')
      .set(t.auth)
      .send({ delta: 100, reason: 'goodwill', reference: 'adj-3' })
      .expect(201);
    for (const body of [
      { delta: 101, reason: 'goodwill', reference: 'adj-3' },
      { delta: 100, reason: 'other', reference: 'adj-3' },
    ]) {
      const r = await api.http.post('/v1/members/p2/points/adjust').set(t.auth).send(body);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('idempotency_conflict');
    }
    expect((await balanceOf(api, t, 'p2')).points).toBe(100);
  });
});
