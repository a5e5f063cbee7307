// Fault: the API process is killed (SIGKILL: no shutdown hook, requests cut mid-flight, open
// transactions rolled back by Postgres when their sockets close) under a bounded load of mixed
// writes, and started again. The API runs as its own process on a test database of its own
// (cloned from the migrations template: Postgres itself is not faulted here, so no private
// cluster is needed) and a private redis-server; the worker runs in this process and relays the
// outbox to a webhook.
// Every write carries an Idempotency-Key and the client retries it with the same key on a cut
// connection or a 503, as API.md tells integrators to. After the restart: the API answers again
// within a bound (the time is measured and printed), every acknowledged write is there once, a
// request cut mid-flight and retried applied once (adjustments here carry no reference: only the
// key protects them), no key is left stuck (no 409 idempotency_in_progress, ever), verifyLedger
// passes, and every outbox event is delivered exactly once.
import net from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { systemContext } from '@unionpoint/core';
import { verifyLedger } from '@unionpoint/core/points';
import { EVENT_TYPES } from '@unionpoint/core/webhooks';
import { createQueueBackend, loadWorkerConfig, startWorker, type WorkerRuntime } from '../../../worker/src/index.ts';
import { freePort } from './private-postgres.ts';
import { startPrivateRedis, type PrivateRedis } from './private-redis.ts';
import { serviceProcess, type ServiceProcess } from './service-process.ts';
import { startReceiver, type Receiver } from '../../../worker/test/helpers.ts';

const PLATFORM_KEY = 'fault-platform-key-0123456789abcdef';
const CLIENTS = 8;
const MEMBERS = 16;
/** The kill comes once this many writes are acknowledged (the load is bounded by count). */
const KILL_AFTER_ACKS = 40;
/** Load goes on this long after the first write acknowledged by the restarted API. */
const AFTER_RECOVERY_MS = 1_000;
const RECOVERY_BOUND_MS = 60_000; // a cold `node --import tsx` start on a busy CI runner (typically 3–15 s)
const DRAIN_BOUND_MS = 30_000;

let database: TestDatabase | null = null;
let redis: PrivateRedis | null = null;
let receiver: Receiver | null = null;
let api: ServiceProcess | null = null;
let worker: WorkerRuntime | null = null;
let workerDb: Db | null = null;
let base = '';
let dbUrl = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Response bodies are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

type Reply = { status: number; body: Json; headers: Headers };
const call = (method: string, url: string, key: string, body?: unknown, idempotencyKey?: string) => callAt(base, method, url, key, body, idempotencyKey);

async function callAt(origin: string, method: string, url: string, key: string, body?: unknown, idempotencyKey?: string): Promise<Reply> {
  const res = await fetch(origin + url, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the report
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${api?.output().slice(-4000)}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dbUrl = database.url;
  redis = await startPrivateRedis();
  receiver = await startReceiver();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = serviceProcess('api/src/main.ts', {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    REDIS_URL: redis.url,
    PORT: String(port),
    PLATFORM_API_KEY: PLATFORM_KEY,
    RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '8',
  });
  api.start();
  await waitFor('the API to answer /readyz', async () => (await fetch(`${base}/readyz`)).status === 200, 90_000);
  workerDb = createDb({ url: dbUrl, max: 4 });
  const config = {
    ...loadWorkerConfig({}),
    redisUrl: redis.url,
    webhookAllowPrivateNetworks: true,
    webhookRetrySchedule: { delaysMs: [100, 200, 300], thenMs: 300, windowMs: 60_000 },
    relayIntervalMs: 200,
    sweepIntervalMs: 500,
    logLevel: 'silent',
  };
  worker = startWorker({ db: workerDb, config, logger: pino({ level: 'silent' }), backend: createQueueBackend(config, { databaseUrl: dbUrl, prefix: 'kill' }) });
  await worker.scheduleRecurring();
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await worker?.close();
  await workerDb?.close();
  await receiver?.close();
  await redis?.stop();
  await database?.drop();
}, 60_000);

type Kind = 'enrol' | 'order' | 'refund' | 'adjust' | 'redeem';
const KINDS: Kind[] = ['enrol', 'order', 'refund', 'adjust', 'redeem'];

describe('API process killed under load', () => {
  it('restarts, answers again within the bound, and every acknowledged write is there exactly once', async () => {
    const tenant = await call('POST', '/v1/platform/tenants', PLATFORM_KEY, {
      name: 'Kill Mall',
      slug: 'kill-mall',
      owner: { email: 'owner@kill.test', password: 'kill owner password' },
      stores: [{ code: 'mall', name: 'Online mall', channel: 'online' }],
    });
    expect(tenant.status, JSON.stringify(tenant.body)).toBe(201);
    const tenantId: string = tenant.body.tenant.id;
    const key: string = tenant.body.apiKey.key;
    const storeId: string = tenant.body.stores[0].id;
    expect((await call('POST', '/v1/webhooks', key, { url: receiver!.url, events: [...EVENT_TYPES] })).status).toBe(201);
    // Members with points to redeem and an order each to refund from.
    for (let m = 0; m < MEMBERS; m++) {
      expect((await call('POST', '/v1/members', key, { unionId: `K-${m}` })).status).toBe(201);
      expect((await call('POST', `/v1/members/K-${m}/points/adjust`, key, { delta: 100_000, reason: 'opening balance', reference: `open-${m}` })).status).toBe(201);
      expect((await call('POST', '/v1/orders', key, { externalId: `pre-${m}`, member: `K-${m}`, storeId, amountCents: 1_000_000 })).status).toBe(201);
    }

    const acked = new Map<Kind, Map<string, { member: string; amount: number }>>(KINDS.map((k) => [k, new Map()]));
    const byStatus = new Map<string, number>();
    const count = (s: string) => byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    const unacked: string[] = [];
    let requests = 0;
    let cut = 0; // requests whose connection was cut or refused (retried with the same key)
    let retriedAfterCut = 0; // logical writes acknowledged after at least one cut attempt
    let replayed = 0; // acknowledgements that were Idempotent-Replayed (a cut request had committed)
    let seq = 0;
    const t0 = Date.now();
    let killedAt: number | null = null;
    let restartedAt: number | null = null;
    let firstAckAfterRestart: number | null = null;
    const hardStop = t0 + 30_000 + RECOVERY_BOUND_MS + 10_000;
    let ackedCount = 0;

    const write = async (client: number) => {
      const n = seq++;
      const kind = KINDS[n % KINDS.length]!;
      const m = (client * 5 + n) % MEMBERS;
      const member = `K-${m}`;
      const id = `kill-${kind}-${n}`;
      const amount = 1 + (n % 9);
      const request = (): Promise<Reply> => {
        switch (kind) {
          case 'enrol':
            return call('POST', '/v1/members', key, { unionId: id }, id);
          case 'order':
            return call('POST', '/v1/orders', key, { externalId: id, member, storeId, amountCents: 1_000 + amount * 100 }, id);
          case 'refund':
            return call('POST', `/v1/orders/pre-${m}/refunds`, key, { refundId: id, amountCents: amount, storeId }, id);
          case 'adjust':
            // No reference: only the Idempotency-Key keeps a retry from adjusting twice.
            return call('POST', `/v1/members/${member}/points/adjust`, key, { delta: amount, reason: id }, id);
          case 'redeem':
            return call('POST', `/v1/members/${member}/points/redeem`, key, { points: amount, reference: id }, id);
        }
      };
      let wasCut = false;
      while (Date.now() < hardStop) {
        requests++;
        let res: Reply;
        try {
          res = await request();
        } catch {
          cut++;
          wasCut = true;
          count('connection cut or refused');
          await sleep(200);
          continue;
        }
        count(res.status >= 400 && res.status !== 503 ? `${res.status} ${JSON.stringify(res.body).slice(0, 200)}` : String(res.status));
        if (res.status === 503) {
          await sleep(100);
          continue;
        }
        if (res.status >= 200 && res.status < 300) {
          acked.get(kind)!.set(id, { member: kind === 'enrol' ? id : member, amount });
          ackedCount++;
          if (wasCut) retriedAfterCut++;
          if (res.headers.get('idempotent-replayed') === 'true') replayed++;
          if (restartedAt !== null && firstAckAfterRestart === null) firstAckAfterRestart = Date.now();
        }
        return; // anything else is a failure the assertions report
      }
      unacked.push(id);
    };
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      while (Date.now() < hardStop && (firstAckAfterRestart === null || Date.now() < firstAckAfterRestart + AFTER_RECOVERY_MS)) await write(c);
    });
    const fault = (async () => {
      while (ackedCount < KILL_AFTER_ACKS && Date.now() < t0 + 30_000) await sleep(20);
      await api!.kill9();
      killedAt = Date.now();
      api!.start();
      restartedAt = Date.now();
      await waitFor('the restarted API to answer /readyz', async () => (await fetch(`${base}/readyz`)).status === 200, RECOVERY_BOUND_MS);
      return Date.now();
    })();
    const [readyAt] = await Promise.all([fault, ...clients]);

    const recoveryMs = firstAckAfterRestart === null ? null : firstAckAfterRestart - killedAt!;
    const ackedTotal = KINDS.reduce((s, k) => s + acked.get(k)!.size, 0);
    const statuses = Object.fromEntries(byStatus);
    console.log(
      `[faults] API killed (SIGKILL) under ${CLIENTS} clients of mixed writes: ${requests} requests, ${ackedTotal} writes acknowledged ` +
        `(${KINDS.map((k) => `${acked.get(k)!.size} ${k}`).join(', ')}), ${unacked.length} unacknowledged, ${cut} requests cut or refused, ` +
        `${retriedAfterCut} writes retried after a cut (${replayed} replayed from a commit the cut hid); /readyz ${readyAt - killedAt!} ms and the first write ` +
        `${recoveryMs} ms after the kill; statuses ${JSON.stringify(statuses)}`,
    );

    expect(api!.running(), api!.output().slice(-4000)).toBe(true);
    expect(Object.keys(statuses).filter((s) => !['200', '201', '503', 'connection cut or refused'].includes(s)), JSON.stringify(statuses)).toEqual([]);
    expect(cut).toBeGreaterThan(0); // the kill cut requests in flight
    expect(retriedAfterCut).toBeGreaterThan(0);
    expect(recoveryMs).not.toBeNull();
    expect(recoveryMs!).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    expect(unacked).toEqual([]);

    // Every acknowledged write is there, once; nothing unacknowledged is either (all were acked).
    const owner = new pg.Pool({ connectionString: dbUrl, max: 2 });
    try {
      const rows = async (sql: string) => new Map((await owner.query<{ id: string; n: number; total: number }>(sql, [tenantId])).rows.map((r) => [r.id, r]));
      const members = await rows(`SELECT union_id AS id, count(*)::int AS n, 0 AS total FROM members WHERE tenant_id = $1 AND union_id LIKE 'kill-enrol-%' GROUP BY 1`);
      const orders = await rows(`SELECT external_id AS id, count(*)::int AS n, 0 AS total FROM orders WHERE tenant_id = $1 AND external_id LIKE 'kill-order-%' GROUP BY 1`);
      const refunds = await rows(`SELECT refund_id AS id, count(*)::int AS n, sum(amount_cents)::int AS total FROM order_refunds WHERE tenant_id = $1 AND refund_id LIKE 'kill-refund-%' GROUP BY 1`);
      const adjusts = await rows(`SELECT reason AS id, count(*)::int AS n, sum(delta)::int AS total FROM points_ledger WHERE tenant_id = $1 AND kind = 'adjust' AND reason LIKE 'kill-adjust-%' GROUP BY 1`);
      const redeems = await rows(
        `SELECT COALESCE(reference, idempotency_key) AS id, 1 AS n, -sum(delta)::int AS total FROM points_ledger WHERE tenant_id = $1 AND kind = 'redeem' AND COALESCE(reference, idempotency_key) LIKE 'kill-redeem-%' GROUP BY 1`,
      );
      const check = (kind: Kind, found: Map<string, { n: number; total: number }>, amountOf?: (a: number) => number) => {
        const mine = acked.get(kind)!;
        expect([...mine.keys()].filter((id) => found.get(id)?.n !== 1), `${kind}: missing or doubled`).toEqual([]);
        if (amountOf) expect([...mine].filter(([id, w]) => found.get(id)!.total !== amountOf(w.amount)), `${kind}: applied more than once`).toEqual([]);
        expect([...found.keys()].filter((id) => !mine.has(id)), `${kind}: written but never acknowledged`).toEqual([]);
      };
      check('enrol', members);
      check('order', orders);
      check('refund', refunds, (a) => a);
      check('adjust', adjusts, (a) => a);
      check('redeem', redeems, (a) => a);
    } finally {
      await owner.end();
    }
    const db = createDb({ url: dbUrl, max: 2 });
    try {
      const report = await withTenant(db.prisma, tenantId, (tx) => verifyLedger(tx, systemContext(tenantId, 'fault-test')));
      expect(report.mismatches).toEqual([]);
      expect(report.members).toBe(MEMBERS + acked.get('enrol')!.size);
    } finally {
      await db.close();
    }

    // The outbox drains exactly once: every event of the tenant reaches the webhook once.
    const owner2 = new pg.Pool({ connectionString: dbUrl, max: 1 });
    try {
      const drainStart = Date.now();
      const events = async () => (await owner2.query<{ id: string }>(`SELECT id FROM outbox_events WHERE tenant_id = $1`, [tenantId])).rows.map((r) => r.id);
      const mine = () => receiver!.received.filter((r) => r.body.includes(`"tenantId":"${tenantId}"`)).map((r) => JSON.parse(r.body).id as string);
      await waitFor('every outbox event delivered', async () => new Set(mine()).size === (await events()).length, DRAIN_BOUND_MS);
      const drainedMs = Date.now() - drainStart;
      await sleep(1_500); // a duplicate would arrive within a few sweeps
      const all = await events();
      const perEvent = new Map<string, number>();
      for (const id of mine()) perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
      expect([...perEvent].filter(([, n]) => n !== 1)).toEqual([]);
      expect([...perEvent.keys()].sort()).toEqual([...all].sort());
      console.log(`[faults] API kill: ${all.length} outbox events delivered exactly once (drained ${drainedMs} ms after the load)`);
    } finally {
      await owner2.end();
    }
  }, 150_000);

  it('a request killed inside its transaction leaves no key behind and its retry applies once; a committed one whose answer was lost replays', async () => {
    if (!api!.running()) {
      api!.start();
      await waitFor('the API to answer /readyz', async () => (await fetch(`${base}/readyz`)).status === 200, RECOVERY_BOUND_MS);
    }
    const tenant = await call('POST', '/v1/platform/tenants', PLATFORM_KEY, {
      name: 'Kill In Flight',
      slug: 'kill-in-flight',
      owner: { email: 'owner@inflight.test', password: 'kill owner password' },
      stores: [{ code: 'mall', name: 'Online mall', channel: 'online' }],
    });
    expect(tenant.status).toBe(201);
    const tenantId: string = tenant.body.tenant.id;
    const key: string = tenant.body.apiKey.key;
    for (const u of ['held', 'lost']) expect((await call('POST', '/v1/members', key, { unionId: u })).status).toBe(201);
    const owner = new pg.Pool({ connectionString: dbUrl, max: 3 });
    // A proxy that passes the request on and drops the answer: the write commits, the client
    // sees a cut connection.
    const swallow = net.createServer((client) => {
      const upstream = net.connect(Number(new URL(base).port), '127.0.0.1');
      client.pipe(upstream);
      upstream.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => swallow.listen(0, '127.0.0.1', resolve));
    const swallowOrigin = `http://127.0.0.1:${(swallow.address() as net.AddressInfo).port}`;
    const holder = await owner.connect();
    try {
      const ledger = async (reason: string) =>
        (await owner.query<{ n: number; total: number }>(`SELECT count(*)::int AS n, COALESCE(sum(delta), 0)::int AS total FROM points_ledger WHERE tenant_id = $1 AND reason = $2`, [tenantId, reason]))
          .rows[0]!;
      const records = async (k: string) =>
        (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_records WHERE tenant_id = $1 AND key LIKE $2`, [tenantId, `%:${k}`])).rows[0]!.n;

      // 1. Committed, answer lost.
      const lost = await callAt(swallowOrigin, 'POST', '/v1/members/lost/points/adjust', key, { delta: 11, reason: 'answer lost' }, 'kill-lost-1').then(
        () => 'answered',
        () => 'cut',
      );
      expect(lost).toBe('cut');
      await waitFor('the lost write to commit', async () => (await ledger('answer lost')).n === 1, 10_000);

      // 2. In its transaction at the kill: the member row is locked here, so the adjustment
      // waits inside its transaction (after claiming its key) until the process dies.
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM members WHERE tenant_id = $1 AND union_id = 'held' FOR UPDATE`, [tenantId]);
      const inFlight = call('POST', '/v1/members/held/points/adjust', key, { delta: 7, reason: 'killed in flight' }, 'kill-held-1').then(
        () => 'answered',
        () => 'cut',
      );
      await waitFor(
        'the adjustment to wait on the member lock',
        // On a database sharded by Citus the wait is on the worker holding the member's shard:
        // citus_lock_waits shows it from the coordinator.
        async () =>
          (await owner.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).rowCount
            ? (await owner.query(`SELECT 1 FROM citus_lock_waits`)).rowCount! > 0
            : (await owner.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%' AND pid <> $1`, [holderPid])).rowCount! > 0,
        10_000,
      );
      await api!.kill9();
      expect(await inFlight).toBe('cut');
      await holder.query('ROLLBACK');
      // Postgres rolled the dead session back: no claim is left for the key.
      await waitFor('the dead session to end', async () => (await records('kill-held-1')) === 0, 10_000);
      expect(await records('kill-lost-1')).toBe(1);
      expect(await ledger('killed in flight')).toEqual({ n: 0, total: 0 });

      const killedAt = Date.now();
      api!.start();
      await waitFor('the restarted API to answer /readyz', async () => (await fetch(`${base}/readyz`)).status === 200, RECOVERY_BOUND_MS);
      const readyMs = Date.now() - killedAt;
      const retryHeld = await call('POST', '/v1/members/held/points/adjust', key, { delta: 7, reason: 'killed in flight' }, 'kill-held-1');
      expect(retryHeld.status, JSON.stringify(retryHeld.body)).toBe(201);
      expect(retryHeld.headers.get('idempotent-replayed')).toBeNull();
      const retryLost = await call('POST', '/v1/members/lost/points/adjust', key, { delta: 11, reason: 'answer lost' }, 'kill-lost-1');
      expect(retryLost.status).toBe(201);
      expect(retryLost.headers.get('idempotent-replayed')).toBe('true');
      const again = await call('POST', '/v1/members/held/points/adjust', key, { delta: 7, reason: 'killed in flight' }, 'kill-held-1');
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await ledger('killed in flight')).toEqual({ n: 1, total: 7 });
      expect(await ledger('answer lost')).toEqual({ n: 1, total: 11 });
      const balances = await owner.query<{ union_id: string; points_balance: number }>(`SELECT union_id, points_balance FROM members WHERE tenant_id = $1 ORDER BY union_id`, [tenantId]);
      expect(balances.rows).toEqual([
        { union_id: 'held', points_balance: 7 },
        { union_id: 'lost', points_balance: 11 },
      ]);
      console.log(
        `[faults] API killed with a request inside its transaction: no key left, its retry applied once (201, not replayed); ` +
          `a committed write whose answer was lost replayed (Idempotent-Replayed) and applied once; /readyz ${readyMs} ms after the kill`,
      );
    } finally {
      holder.release();
      await owner.end();
      await new Promise((r) => swallow.close(r));
    }
  }, 90_000);
});
