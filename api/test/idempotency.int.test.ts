// Idempotency-Key in the request's own transaction: the claim is the transaction's first
// statement (riding with BEGIN), the stored reply goes with COMMIT. Nothing is left behind by
// a rollback; a concurrent duplicate waits for the first and replays it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { enrolMember } from '@unionpoint/core/members';
import { runIdempotent } from '../src/http/idempotency.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { countRoundTrips } from './round-trip-counter.ts';

let api: TestApi;
let t: TestTenant;
let roundTrips: ReturnType<typeof countRoundTrips>;

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  roundTrips = countRoundTrips(api.db.pool);
});
afterAll(() => api.close());

const records = async (suffix: string) =>
  (await api.db.pool.query<{ status_code: number }>(`SELECT status_code FROM idempotency_records WHERE tenant_id = $1 AND key LIKE $2`, [t.id, `%:${suffix}`])).rows;
const orders = async (externalId: string) => Number((await api.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE tenant_id = $1 AND external_id = $2`, [t.id, externalId])).rows[0]!.n);
const postOrder = (key: string | null, body: Record<string, unknown>) => {
  const req = api.http.post('/v1/orders').set(t.auth);
  return (key ? req.set('Idempotency-Key', key) : req).send({ storeId: t.stores[0]!.id, amountCents: 5000, ...body });
};

describe('Idempotency-Key in the use case transaction', () => {
  it('concurrent identical requests with one key write once and all get the same response', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'race' }).expect(201);
    const results = await Promise.all(Array.from({ length: 6 }, () => postOrder('race-key', { externalId: 'race-1', member: 'race' })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(await orders('race-1')).toBe(1);
    expect(await records('race-key')).toEqual([{ status_code: 201 }]);
  });

  it('the same key with another body is 409 and writes nothing', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'conflict' }).expect(201);
    expect((await postOrder('conflict-key', { externalId: 'c-1', member: 'conflict' })).status).toBe(201);
    const other = await postOrder('conflict-key', { externalId: 'c-2', member: 'conflict' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
    expect(await orders('c-2')).toBe(0);
  });

  it('a request the use case refuses leaves no record: the retry with the same key runs', async () => {
    const refused = await postOrder('retry-key', { externalId: 'r-1', member: 'not-yet' });
    expect(refused.status).toBe(404);
    expect(await records('retry-key')).toEqual([]);
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'not-yet' }).expect(201);
    const retried = await postOrder('retry-key', { externalId: 'r-1', member: 'not-yet' });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await records('retry-key')).toEqual([{ status_code: 201 }]);
  });

  it('a transaction that dies before COMMIT leaves neither its writes nor an in-progress record', async () => {
    const ctx = systemContext(t.id, 'test');
    const request = { key: 'test:crash-key', hash: 'h1' };
    await expect(
      runIdempotent(api.app.locals.deps, ctx, request, async (tx) => {
        await enrolMember(tx, ctx, { unionId: 'crashed' });
        throw new Error('process died');
      }),
    ).rejects.toThrow('process died');
    expect(await records('crash-key')).toEqual([]);
    expect((await api.db.pool.query(`SELECT 1 FROM members WHERE tenant_id = $1 AND union_id = 'crashed'`, [t.id])).rowCount).toBe(0);
    expect((await api.db.pool.query(`SELECT 1 FROM idempotency_records WHERE status_code = 0`)).rowCount).toBe(0);
    // The retry runs (no stale claim in its way), and a repeat of it replays.
    const first = await runIdempotent(api.app.locals.deps, ctx, request, async (tx) => ({ status: 201, body: (await enrolMember(tx, ctx, { unionId: 'crashed' })).member }));
    expect(first).toMatchObject({ status: 201, replayed: false });
    const again = await runIdempotent(api.app.locals.deps, ctx, request, async () => {
      throw new Error('must not run');
    });
    expect(again).toMatchObject({ status: 201, replayed: true, body: first.body });
  });

  it('order intake with a key takes exactly the round trips it takes without one', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'trips' }).expect(201);
    // Warm the connections' prepared statements and caches first.
    await postOrder(null, { externalId: 'warm-1', member: 'trips' }).expect(201);
    await postOrder('warm-key', { externalId: 'warm-2', member: 'trips' }).expect(201);
    roundTrips.reset();
    await postOrder(null, { externalId: 'trip-1', member: 'trips' }).expect(201);
    const without = roundTrips.count;
    roundTrips.reset();
    await postOrder('trip-key', { externalId: 'trip-2', member: 'trips' }).expect(201);
    expect(roundTrips.count).toBe(without);
  });
});
