// Fault: Postgres restarts under a load of mixed writes. The API runs as its own process (as in
// production) against a private cluster; halfway through the load the cluster is stopped with
// a fast shutdown (open sessions get 57P01), left down for a moment, and started again.
// The API must stay up, answer 503 (never 500) while the database is away, recover by itself,
// and lose or double nothing: every acknowledged write is there once, the ledger proves.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant } from '@unionpoint/db';
import { migrateDeploy } from '@unionpoint/db/testing';
import { systemContext } from '@unionpoint/core';
import { verifyLedger } from '@unionpoint/core/points';
import { createDatabase, freePort, startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const PLATFORM_KEY = 'fault-platform-key-0123456789abcdef';
const CLIENTS = 16;
const MEMBERS = 24;
const LOAD_MS = 5_000;
const STOP_AT_MS = 1_500;
const DOWN_MS = 1_500;
const RECOVERY_BOUND_MS = 10_000;

let cluster: PrivatePostgres | null = null;
let api: ChildProcess | null = null;
let apiExit: { code: number | null; signal: string | null } | null = null;
let apiOutput = '';
let base = '';
let dbUrl = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Response bodies are read as supertest gives them (untyped JSON).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(method: string, url: string, key: string, body?: unknown): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(base + url, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${apiOutput.slice(-4000)}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  cluster = await startPrivatePostgres();
  dbUrl = await createDatabase(cluster, 'unionpoint');
  await migrateDeploy(dbUrl);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: dbUrl, PORT: String(port), PLATFORM_API_KEY: PLATFORM_KEY, RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: '10' };
  delete env.REDIS_URL; // Redis faults are another test's; here the in-process limiter
  api = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'api/src/main.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  api.stdout!.on('data', (d: Buffer) => (apiOutput = (apiOutput + d.toString()).slice(-20_000)));
  api.stderr!.on('data', (d: Buffer) => (apiOutput = (apiOutput + d.toString()).slice(-20_000)));
  api.once('exit', (code, signal) => (apiExit = { code, signal }));
  await waitFor('the API to answer /readyz', async () => (await fetch(`${base}/readyz`)).status === 200, 60_000);
}, 180_000);

afterAll(async () => {
  if (api && !apiExit) {
    api.kill('SIGTERM');
    await Promise.race([new Promise((r) => api!.once('exit', r)), sleep(5_000)]);
    if (!apiExit) api.kill('SIGKILL');
  }
  await cluster?.destroy();
}, 60_000);

interface Tally {
  requests: number;
  byStatus: Map<string, number>;
  acked: { orders: Set<string>; adjustments: Set<string> };
  unacked: string[];
  firstAckAfterStart: number | null;
}

describe('Postgres restart under load', () => {
  it('the API stays up, answers 503 during the outage, recovers by itself, and loses or doubles nothing', async () => {
    const tenant = await call('POST', '/v1/platform/tenants', PLATFORM_KEY, {
      name: 'Fault Mall',
      slug: 'fault-mall',
      owner: { email: 'owner@fault.test', password: 'fault owner password' },
      stores: [{ code: 'mall', name: 'Online mall', channel: 'online' }],
    });
    expect(tenant.status, JSON.stringify(tenant.body)).toBe(201);
    const tenantId: string = tenant.body.tenant.id;
    const key: string = tenant.body.apiKey.key;
    const storeId: string = tenant.body.stores[0].id;
    for (let m = 0; m < MEMBERS; m++) expect((await call('POST', '/v1/members', key, { unionId: `F-${m}` })).status).toBe(201);

    const tally: Tally = { requests: 0, byStatus: new Map(), acked: { orders: new Set(), adjustments: new Set() }, unacked: [], firstAckAfterStart: null };
    const count = (s: string) => tally.byStatus.set(s, (tally.byStatus.get(s) ?? 0) + 1);
    const t0 = Date.now();
    let startedAt: number | null = null;
    let readyDuringOutage: { status: number; body: unknown } | null = null;
    let seq = 0;

    // One logical write, retried with the same externalId / reference until it is acknowledged
    // (the client cannot know whether a 503 or a cut connection wrote it).
    const write = async (client: number) => {
      const n = seq++;
      const member = `F-${(client * 7 + n) % MEMBERS}`;
      const isOrder = n % 3 !== 2;
      const id = isOrder ? `fault-o-${n}` : `fault-a-${n}`;
      const giveUpAt = t0 + LOAD_MS + RECOVERY_BOUND_MS + DOWN_MS;
      while (Date.now() < giveUpAt) {
        tally.requests++;
        let status: number;
        try {
          const res = isOrder
            ? await call('POST', '/v1/orders', key, { externalId: id, member, storeId, amountCents: 1_000 + (n % 50) * 100 })
            : await call('POST', `/v1/members/${member}/points/adjust`, key, { delta: 5 + (n % 7), reason: 'fault test', reference: id });
          status = res.status;
          if (status === 503) expect(res.headers.get('retry-after')).toBeTruthy();
          count(status >= 400 && status !== 503 ? `${status} ${JSON.stringify(res.body).slice(0, 300)}` : String(status));
        } catch (e) {
          count(`network: ${(e as Error).message}`);
          await sleep(100);
          continue;
        }
        if (status >= 200 && status < 300) {
          (isOrder ? tally.acked.orders : tally.acked.adjustments).add(id);
          if (startedAt !== null && tally.firstAckAfterStart === null) tally.firstAckAfterStart = Date.now();
          return;
        }
        if (status !== 503) return; // anything else is a failure the assertions report
        await sleep(100);
      }
      tally.unacked.push(id);
    };
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      while (Date.now() - t0 < LOAD_MS) await write(c);
    });
    const fault = (async () => {
      await sleep(STOP_AT_MS);
      const stopping = Date.now();
      await cluster!.stop();
      const stoppedAt = Date.now();
      readyDuringOutage = await call('GET', '/readyz', key).catch((e: Error) => ({ status: 0, body: e.message }));
      await sleep(DOWN_MS);
      await cluster!.start();
      startedAt = Date.now();
      return { stopMs: stoppedAt - stopping, downMs: startedAt - stopping };
    })();
    const [{ stopMs, downMs }] = await Promise.all([fault, ...clients]);

    const recoveryMs = tally.firstAckAfterStart === null ? null : tally.firstAckAfterStart - startedAt!;
    const statuses = Object.fromEntries(tally.byStatus);
    console.log(
      `postgres restart under load: ${CLIENTS} clients, ${tally.requests} requests, ` +
        `${tally.acked.orders.size} orders + ${tally.acked.adjustments.size} adjustments acknowledged, ${tally.unacked.length} unacknowledged, ` +
        `${tally.byStatus.get('503') ?? 0} × 503, outage ${downMs} ms (fast shutdown ${stopMs} ms), ` +
        `recovery ${recoveryMs} ms after the restart; statuses ${JSON.stringify(statuses)}`,
    );

    expect(apiExit, `the API process died\n${apiOutput.slice(-4000)}`).toBeNull();
    expect(Object.keys(statuses).filter((s) => !['200', '201', '503'].includes(s)), JSON.stringify(statuses)).toEqual([]);
    expect(tally.byStatus.get('503') ?? 0).toBeGreaterThan(0); // the outage was hit
    expect(readyDuringOutage).toMatchObject({ status: 503, body: { checks: { postgres: 'down' } } });
    expect(recoveryMs).not.toBeNull();
    expect(recoveryMs!).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    expect(tally.unacked).toEqual([]);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // Every acknowledged write is there, once.
    const owner = new pg.Pool({ connectionString: dbUrl, max: 2 });
    try {
      const orders = await owner.query<{ external_id: string; n: number }>(
        `SELECT external_id, count(*)::int AS n FROM orders WHERE tenant_id = $1 AND external_id LIKE 'fault-o-%' GROUP BY external_id`,
        [tenantId],
      );
      const orderCounts = new Map(orders.rows.map((r) => [r.external_id, r.n]));
      expect([...tally.acked.orders].filter((id) => orderCounts.get(id) !== 1)).toEqual([]);
      expect(orders.rows.filter((r) => r.n !== 1)).toEqual([]);
      const adjustments = await owner.query<{ idempotency_key: string; n: number }>(
        `SELECT idempotency_key, count(*)::int AS n FROM points_ledger WHERE tenant_id = $1 AND idempotency_key LIKE 'fault-a-%' GROUP BY idempotency_key`,
        [tenantId],
      );
      const adjustCounts = new Map(adjustments.rows.map((r) => [r.idempotency_key, r.n]));
      expect([...tally.acked.adjustments].filter((id) => adjustCounts.get(id) !== 1)).toEqual([]);
      expect(adjustments.rows.filter((r) => r.n !== 1)).toEqual([]);
    } finally {
      await owner.end();
    }
    const db = createDb({ url: dbUrl, max: 2 });
    try {
      const report = await withTenant(db.prisma, tenantId, (tx) => verifyLedger(tx, systemContext(tenantId, 'fault-test')));
      expect(report.mismatches).toEqual([]);
      expect(report.members).toBe(MEMBERS);
    } finally {
      await db.close();
    }
  }, 120_000);
  it('the cache invalidation listener comes back by itself after the restart: a NOTIFY drops cached keys again', async () => {
    const created = await call('POST', '/v1/platform/tenants', PLATFORM_KEY, {
      name: 'Fault Listener',
      slug: 'fault-listener',
      owner: { email: 'owner@listener.test', password: 'fault owner password' },
      stores: [{ code: 'mall', name: 'Online mall', channel: 'online' }],
    });
    expect(created.status).toBe(201);
    const tenantId: string = created.body.tenant.id;
    const key: string = created.body.apiKey.key;
    const owner = new pg.Pool({ connectionString: dbUrl, max: 1 });
    try {
      // The API's LISTEN session is back (it retries with a capped backoff while the process runs).
      await waitFor(
        'the API to LISTEN again',
        async () => (await owner.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN unionpoint_config%' AND state = 'idle'`)).rows[0].n > 0,
        15_000,
      );
      await sleep(200); // the API has read LISTEN's answer and trusts its caches again
      expect((await call('GET', '/v1/stores', key)).status).toBe(200);
      // Revoked behind the API's back (no NOTIFY): a cache that trusts the listener still has it,
      // which shows the listener is considered connected.
      await owner.query(`UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1`, [tenantId]);
      expect((await call('GET', '/v1/stores', key)).status).toBe(200);
      await owner.query(`SELECT pg_notify('unionpoint_auth', $1)`, [tenantId]);
      await waitFor('the revoked key to be refused after the NOTIFY', async () => (await call('GET', '/v1/stores', key)).status === 401, 5_000);
    } finally {
      await owner.end();
    }
    expect(apiExit).toBeNull();
  }, 60_000);
});
