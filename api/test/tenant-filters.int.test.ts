// Every statement the API sends on a tenant table filters on tenant_id equality (so a database
// sharded by tenant_id routes it to one shard) and none sets tenant_id: a journey through the
// hot paths and the admin writes, with every statement captured on the wire and checked by
// tenant-filters.ts. The lookups by secret are the allowed exceptions (API.md "Lookups by
// secret"). The same check can sweep a whole integration run (UP_SQL_CAPTURE, see
// docs/SCALING.md "Citus").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { captureStatements, checkStatement, UNFILTERED_ALLOWED } from './tenant-filters.ts';

let api: TestApi;
let t: TestTenant;
let capture: ReturnType<typeof captureStatements>;
let tenantTables: Set<string>;

beforeAll(async () => {
  api = await startTestApi();
  capture = captureStatements(api.db.pool);
  const { rows } = await api.db.pool.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname NOT IN ('users', 'tenants')
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')`,
  );
  tenantTables = new Set(rows.map((r) => r.table));
  t = await api.createTenant();
});
afterAll(() => api.close());

const ok = (res: { status: number; body: unknown }) => expect(res.status, `the journey must succeed to mean anything: ${JSON.stringify(res.body)}`).toBeLessThan(300);

describe('statements on tenant tables', () => {
  it('filter on tenant_id equality and never set it, along the hot paths and the admin writes', async () => {
    const h = api.http;
    const storeId = t.stores[0]!.id;
    ok(await h.post('/v1/members').set(t.auth).send({ unionId: 'alice' }));
    ok(await h.post('/v1/members').set(t.auth).send({ unionId: 'bob' }));
    ok(await h.post('/v1/members/alice/identities').set(t.auth).send({ storeId, openId: 'wx-alice' }));
    for (let i = 0; i < 3; i++) ok(await h.post('/v1/orders').set(t.auth).send({ externalId: `o-${i}`, member: i ? 'alice' : 'openid:wx-alice', storeId, amountCents: 12_000 }));
    ok(await h.post('/v1/orders').set(t.auth).set('Idempotency-Key', 'k-1').send({ externalId: 'o-k', member: 'bob', storeId, amountCents: 5_000 }));
    ok(await h.post('/v1/orders').set(t.auth).send({ externalId: 'o-1', member: 'alice', storeId, amountCents: 12_000 })); // replay
    ok(await h.post('/v1/orders/o-1/refunds').set(t.auth).send({ storeId, refundId: 'r-1', amountCents: 12_000 }));
    ok(await h.post('/v1/quotes').set(t.auth).send({ member: 'alice', storeId, items: [{ sku: 'a', priceCents: 1000, quantity: 2 }], shippingFeeCents: 500, redeemPoints: 10 }));
    ok(await h.post('/v1/members/alice/points/redeem').set(t.auth).send({ points: 10, reference: 'spend-1' }));
    ok(await h.post('/v1/members/bob/points/adjust').set(t.auth).send({ delta: 500, reason: 'welcome' }));
    ok(await h.get('/v1/members/alice').set(t.auth));
    ok(await h.get('/v1/members/alice/ledger').set(t.auth));
    ok(await h.get('/v1/members?limit=5').set(t.auth));
    ok(await h.post('/v1/coupon-templates').set(t.auth).send({ code: 'FS', name: 'Free shipping', kind: 'free_shipping', validDays: 20 }));
    ok(await h.post('/v1/members/bob/coupons').set(t.auth).send({ templateCode: 'FS', reference: 'bob-gift' }));
    ok(await h.get('/v1/members/bob/coupons').set(t.auth));
    ok(await h.post('/v1/members/alice/check-ins').set(t.auth).send());
    const tiers = (await h.get('/v1/tiers').set(t.auth)).body.data as { code: string; name: string }[];
    ok(await h.put('/v1/tiers').set(t.auth).send({ tiers }));
    ok(await h.patch(`/v1/tiers/${tiers[1]!.code}`).set(t.auth).send({ name: `${tiers[1]!.name} plus` }));
    ok(await h.post('/v1/members/bob/tier').set(t.auth).send({ tierCode: tiers[1]!.code, reason: 'VIP' }));
    ok(await h.get('/v1/members/bob/tier-history').set(t.auth));
    ok(await h.post('/v1/members/alice/merge').set(t.auth).send({ fromUnionId: 'bob' }));
    const session = await h.post('/v1/members/alice/sessions').set(t.auth).send({});
    ok(session);
    const me = { Authorization: `Bearer ${session.body.token}` };
    ok(await h.get('/v1/me').set(me));
    ok(await h.get('/v1/me/ledger').set(me));
    ok(await h.get('/v1/me/inbox').set(me));
    ok(await h.get('/v1/analytics/summary?from=2026-01-01&to=2026-12-31').set(t.auth));
    ok(await h.get('/v1/audit?limit=5').set(t.auth));
    ok(await h.patch('/v1/program').set(t.auth).send({ branding: { displayName: 'Shop' } }));

    const checked = [...capture.statements];
    const onTenantTables = checked.filter((s) => [...tenantTables].some((table) => new RegExp(`\\b${table}\\b`, 'i').test(s)));
    expect(onTenantTables.length, 'statements captured on tenant tables').toBeGreaterThan(60);
    const problems = checked.flatMap((s) => checkStatement(s, tenantTables));
    if (process.env.UP_SQL_PROBLEMS) (await import('node:fs')).writeFileSync(process.env.UP_SQL_PROBLEMS, JSON.stringify(problems, null, 1));
    expect(problems).toEqual([]);
    // The allowed exceptions were taken (so the list stays the list of what really happens).
    const normalisedHits = UNFILTERED_ALLOWED.filter((a) => checked.some((s) => a.test.test(s.replace(/\s+/g, ' ').toLowerCase())));
    expect(normalisedHits.map((a) => a.reason)).toEqual(UNFILTERED_ALLOWED.map((a) => a.reason));
  });
});
