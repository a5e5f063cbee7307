// Read replicas, for real: a private primary (initdb + pg_ctl, migrations applied with prisma
// migrate deploy) and a hot standby made from it with pg_basebackup -R, both on free ports in
// temp folders; the shared server is never touched. The routes marked `replica` are served by
// the standby under RLS and the tenant setting; a caller's own write is read from the primary
// (in this process and, through Redis, in another); a replica that falls behind serves nothing;
// a replica that goes down costs no request (the primary answers, never a 500).
import { Redis } from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, type Db } from '@unionpoint/db';
import { migrateDeploy } from '@unionpoint/db/testing';
import { buildRoutes, createApp, loadConfig, type ApiConfig } from '../src/index.ts';
import { ReadReplica, type ReadReplicaOptions } from '../src/http/replica.ts';
import { createTenantThrough, PLATFORM_KEY, redisUrl, type TestTenant } from './harness.ts';
import { createDatabase, startPrivatePostgres, type PrivatePostgres } from './faults/private-postgres.ts';
import { startPrivateReplica, type PrivateReplica } from './faults/private-replica.ts';

const platform = { Authorization: `Bearer ${PLATFORM_KEY}` };
const silent = pino({ level: process.env.REPLICA_TEST_LOG ?? 'silent' });
let primary: PrivatePostgres;
let standby: PrivateReplica;
let db: Db;
let redis: Redis;
const replicas: ReadReplica[] = [];
let a: TestTenant;
let b: TestTenant;
/** A second key of tenant A that never writes: its reads are the replica's whenever it keeps up. */
let reader: { Authorization: string };
let member: { Authorization: string };
let webhookId: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`Timed out waiting for: ${what}`);
}

/** An API instance (a process of its own, as far as routing knows) reading from the standby. */
async function instance(options: ReadReplicaOptions, { probe = true } = {}) {
  const replica = new ReadReplica(createDb({ url: standby.url('unionpoint'), max: 4, connectionWaitMs: 2000 }), db, redis, silent, options);
  replicas.push(replica);
  if (probe) await replica.start();
  else await replica.probe();
  const config: ApiConfig = { ...loadConfig({ NODE_ENV: 'test' }), platformApiKey: PLATFORM_KEY, rateLimitPerMinute: 100_000, logLevel: 'silent', webhookAllowPrivateNetworks: true };
  return { replica, http: supertest(createApp({ db, redis, config, logger: silent, replica })) };
}

let main: Awaited<ReturnType<typeof instance>>;

beforeAll(async () => {
  primary = await startPrivatePostgres();
  const url = await createDatabase(primary, 'unionpoint');
  await migrateDeploy(url);
  standby = await startPrivateReplica(primary);
  db = createDb({ url, max: 8 });
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  main = await instance({ maxLagMs: 3000, probeMs: 100 });
  const http = main.http;
  a = await createTenantThrough(http, platform, 'replica-a');
  b = await createTenantThrough(http, platform, 'replica-b');
  for (const [t, n] of [
    [a, 3],
    [b, 2],
  ] as const) {
    for (let i = 0; i < n; i++) expect((await http.post('/v1/members').set(t.auth).send({ unionId: `m-${i}` })).status).toBe(201);
  }
  expect((await http.post('/v1/members/m-0/points/adjust').set(a.auth).send({ delta: 500, reason: 'welcome' })).status).toBe(201);
  const key = await http.post('/v1/api-keys').set(a.auth).send({ name: 'reports' });
  expect(key.status).toBe(201);
  reader = { Authorization: `Bearer ${key.body.key}` };
  const session = await http.post('/v1/members/m-0/sessions').set(a.auth).send({});
  expect(session.status).toBe(201);
  member = { Authorization: `Bearer ${session.body.token}` };
  const hook = await http.post('/v1/webhooks').set(a.auth).send({ url: 'http://127.0.0.1:9/hook', events: ['member.created'] });
  expect(hook.status).toBe(201);
  webhookId = hook.body.id;
  expect(
    (
      await http
        .post('/v1/campaigns')
        .set(a.auth)
        .send({ code: 'taste', name: '新品试吃', kind: 'application', startsAt: '2000-01-01T00:00:00Z', endsAt: '9999-01-01T00:00:00Z', seats: 2 })
    ).status,
  ).toBe(201);
  // The day's RFM snapshot is stored on first use (the worker's daily job, else the first summary).
  expect((await http.get('/v1/analytics/summary').set(a.auth)).status).toBe(200);
  await standby.caughtUp(primary);
  await eventually(() => main.replica.fresh(), 'the replica to be measured as caught up');
}, 180_000);

afterAll(async () => {
  for (const r of replicas) await r.close().catch(() => {});
  await db?.close();
  redis?.disconnect();
  await standby?.destroy();
  await primary?.destroy();
});

describe('read replica', () => {
  it('serves every route marked replica from the standby, under RLS and the tenant setting', async () => {
    const { http, replica } = main;
    // The member session was opened by tenant A's first key; the reader key and the member token never wrote.
    const calls: [string, () => supertest.Test][] = [
      ['GET /v1/members', () => http.get('/v1/members').set(reader)],
      ['GET /v1/members/:member', () => http.get('/v1/members/m-0').set(reader)],
      ['GET /v1/members/:member/ledger', () => http.get('/v1/members/m-0/ledger').set(reader)],
      ['GET /v1/members/:member/tier-history', () => http.get('/v1/members/m-0/tier-history').set(reader)],
      ['GET /v1/members/:member/coupons', () => http.get('/v1/members/m-0/coupons').set(reader)],
      ['GET /v1/members/:member/entitlements', () => http.get('/v1/members/m-0/entitlements').set(reader)],
      ['GET /v1/members/:member/benefit-usages', () => http.get('/v1/members/m-0/benefit-usages').set(reader)],
      ['GET /v1/members/:member/plan-value', () => http.get('/v1/members/m-0/plan-value').set(reader)],
      ['GET /v1/members/:member/tasks', () => http.get('/v1/members/m-0/tasks').set(reader)],
      ['GET /v1/members/:member/referrals', () => http.get('/v1/members/m-0/referrals').set(reader)],
      ['GET /v1/audit', () => http.get('/v1/audit').set(reader)],
      ['GET /v1/analytics/summary', () => http.get('/v1/analytics/summary').set(reader)],
      ['GET /v1/analytics/trends', () => http.get('/v1/analytics/trends').set(reader)],
      ['GET /v1/analytics/plans', () => http.get('/v1/analytics/plans').set(reader)],
      ['GET /v1/analytics/benefits', () => http.get('/v1/analytics/benefits').set(reader)],
      ['GET /v1/webhooks/:id/deliveries', () => http.get(`/v1/webhooks/${webhookId}/deliveries`).set(reader)],
      ['GET /v1/campaigns/:code/applications', () => http.get('/v1/campaigns/taste/applications').set(reader)],
      ['POST /v1/quotes', () => http.post('/v1/quotes').set(reader).send({ member: 'm-0', items: [{ sku: 'tea', priceCents: 2999, quantity: 2 }], shippingFeeCents: 800 })],
      ['GET /v1/me', () => http.get('/v1/me').set(member)],
      ['GET /v1/me/ledger', () => http.get('/v1/me/ledger').set(member)],
      ['GET /v1/me/coupons', () => http.get('/v1/me/coupons').set(member)],
      ['GET /v1/me/entitlements', () => http.get('/v1/me/entitlements').set(member)],
      ['GET /v1/me/tasks', () => http.get('/v1/me/tasks').set(member)],
      ['GET /v1/me/rewards', () => http.get('/v1/me/rewards').set(member)],
      ['GET /v1/me/inbox', () => http.get('/v1/me/inbox').set(member)],
    ];
    const marked = buildRoutes().list.filter((d) => d.replica);
    expect(calls.map(([name]) => name).sort()).toEqual(marked.map((d) => `${d.method.toUpperCase()} ${d.path}`).sort());
    for (const [name, call] of calls) {
      const before = { ...replica.stats };
      const res = await call();
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      expect({ name, ...replica.stats }).toEqual({ name, ...before, replica: before.replica + 1 });
    }
    // Tenant A's list from the replica holds A's members only, and the data is the primary's.
    const list = await http.get('/v1/members').set(reader);
    expect(list.body.data.map((m: { unionId: string }) => m.unionId).sort()).toEqual(['m-0', 'm-1', 'm-2']);
    expect((await http.get('/v1/members/m-0').set(reader)).body.points.balance).toBe(500);
    // RLS on the standby: a statement without a tenant filter sees one tenant, as on the primary.
    const count = (tenantId: string) => withTenant(main.replica.db.prisma, tenantId, (t) => t.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM members`, { readOnly: true });
    expect((await count(a.id))[0]!.n).toBe(3);
    expect((await count(b.id))[0]!.n).toBe(2);
    const [all] = await standby.query<{ n: number; standby: boolean }>('SELECT count(*)::int AS n, pg_is_in_recovery() AS standby FROM members', 'unionpoint');
    expect(all).toEqual({ n: 5, standby: true });
    // A write on the standby is refused by Postgres, whatever the code does.
    await expect(withTenant(main.replica.db.prisma, a.id, (t) => t.$executeRaw`UPDATE members SET updated_at = now() WHERE tenant_id = ${a.id}`)).rejects.toThrow(/read-only/);
  });

  it('sends a read that has to write to the primary: a summary whose day has no RFM snapshot yet', async () => {
    const { http, replica } = main;
    const before = { ...replica.stats };
    const res = await http.get('/v1/analytics/summary?from=2026-01-01&to=2026-01-31').set(reader);
    expect(res.status).toBe(200);
    expect(res.body.rfmAsOf).toBe('2026-01-31');
    expect(replica.stats).toEqual({ ...before, primary: before.primary + 1 });
    // The replica is not set aside for it; once the snapshot has reached it, it serves the summary.
    expect(replica.fresh()).toBe(true);
    await standby.caughtUp(primary);
    expect((await http.get('/v1/analytics/summary?from=2026-01-01&to=2026-01-31').set(reader)).status).toBe(200);
    expect(replica.stats.replica).toBe(before.replica + 1);
  });

  it('keeps routes not marked, and requests with an Idempotency-Key, on the primary', async () => {
    const { http, replica } = main;
    const before = { ...replica.stats };
    expect((await http.get('/v1/program').set(reader)).status).toBe(200);
    const keyed = await http.post('/v1/quotes').set(reader).set('Idempotency-Key', 'q-1').send({ member: 'm-1', items: [{ sku: 'tea', priceCents: 100, quantity: 1 }], shippingFeeCents: 0 });
    expect(keyed.status, JSON.stringify(keyed.body)).toBe(200);
    expect(replica.stats).toEqual(before);
  });

  it('reads a caller’s own write from the primary, in this process and in another, while others read the lagging standby', async () => {
    // A bound large enough for the steps below on a loaded machine.
    const one = await instance({ maxLagMs: 8000, probeMs: 100 });
    const other = await instance({ maxLagMs: 8000, probeMs: 100 });
    await eventually(() => one.replica.fresh() && other.replica.fresh(), 'both instances measuring the replica');
    await standby.pauseReplay();
    try {
      expect((await one.http.post('/v1/members').set(a.auth).send({ unionId: 'fresh-1' })).status).toBe(201);
      // The writer sees its member at once: the primary, in the process that took the write…
      const own = await one.http.get('/v1/members/fresh-1').set(a.auth);
      expect(own.status).toBe(200);
      // …and in another process, which learns of the write from Redis.
      const elsewhere = await other.http.get('/v1/members/fresh-1').set(a.auth);
      expect(elsewhere.status).toBe(200);
      // Another caller reads the standby, which has not replayed the write: proof it served it.
      const stale = await one.http.get('/v1/members/fresh-1').set(reader);
      expect(stale.status).toBe(404);
      expect(one.replica.stats.replica).toBeGreaterThan(0);
      // Past the bound the standby is too far behind for anyone: the primary answers, fresh.
      await eventually(() => !one.replica.fresh(), 'the paused standby to fall behind the bound', 20_000);
      expect((await one.http.get('/v1/members/fresh-1').set(reader)).status).toBe(200);
      const ready = await one.http.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toMatchObject({ postgres: 'ok', replica: 'behind' });
    } finally {
      await standby.resumeReplay();
    }
    await eventually(() => one.replica.fresh(), 'the standby to catch up');
    const served = one.replica.stats.replica;
    expect((await one.http.get('/v1/members/fresh-1').set(reader)).status).toBe(200);
    expect(one.replica.stats.replica).toBe(served + 1);
  }, 60_000);

  it('answers from the primary when the standby goes down, never a 500, and returns to it once it is back', async () => {
    // Probed by hand: the first read after the stop finds the standby gone by itself.
    const lone = await instance({ maxLagMs: 1000, probeMs: 60_000 }, { probe: false });
    expect(lone.replica.fresh()).toBe(true);
    await standby.stop();
    try {
      const statuses: number[] = [];
      for (const path of ['/v1/members/m-0', '/v1/members', '/v1/analytics/summary', '/v1/audit']) statuses.push((await lone.http.get(path).set(reader)).status);
      statuses.push((await lone.http.get('/v1/me').set(member)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(lone.replica.stats.fallback).toBe(1);
      expect(lone.replica.stats.primary).toBe(4);
      const ready = await main.http.get('/readyz');
      await eventually(async () => (await main.http.get('/readyz')).body.checks.replica === 'down', 'the probing instance to see the standby down');
      expect(ready.status).toBe(200);
      expect((await main.http.get('/v1/members/m-0').set(reader)).status).toBe(200);
    } finally {
      await standby.start();
    }
    await lone.replica.probe();
    await eventually(async () => (await lone.replica.probe(), lone.replica.fresh()), 'the standby to be back');
    const served = lone.replica.stats.replica;
    expect((await lone.http.get('/v1/members/m-0').set(reader)).status).toBe(200);
    expect(lone.replica.stats.replica).toBe(served + 1);
  }, 60_000);
});
