// Graceful shutdown of the built services (`npm run build` → api/dist/main.js and
// worker/dist/main.js, run with plain node as production runs them). SIGTERM to the API while a
// request is in flight (held on the member's row lock by this test): new connections are refused
// at once, the request still completes 2xx once the lock is released, and the process exits 0.
// SIGTERM to the worker while a webhook delivery is in flight (held by the receiver): it takes
// no new job, the delivery completes and is recorded as succeeded, and the process exits 0.
// The worker's /metrics (METRICS_PORT) is scraped on the way, with real counts.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { freePort } from './private-postgres.ts';
import { serviceProcess, type ServiceProcess } from './service-process.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const PLATFORM_KEY = 'shutdown-platform-key-0123456789abcdef';

let database: TestDatabase | null = null;
let api: ServiceProcess | null = null;
let worker: ServiceProcess | null = null;
let apiPort = 0;
let metricsPort = 0;
let base = '';

// Response bodies are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(method: string, url: string, key: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(base + url, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000, output?: () => string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${output?.().slice(-4000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves 'refused' when nothing listens on the port any more, 'accepted' while something does. */
function tryConnect(port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve('accepted')));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'accepted'));
  });
}

/** A webhook receiver that holds every request until released. */
async function heldReceiver() {
  const held: { delivery: string; release: (status: number) => void }[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      held.push({ delivery: String(req.headers['unionpoint-delivery']), release: (status) => res.writeHead(status).end('ok') }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    held,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

beforeAll(async () => {
  // The production build, as `npm run build` makes it.
  execFileSync(process.execPath, [path.join(root, 'infra/scripts/bundle.mjs'), 'api', 'worker'], { cwd: root, stdio: 'pipe' });
  database = await createTestDatabase();
  apiPort = await freePort();
  metricsPort = await freePort();
  base = `http://127.0.0.1:${apiPort}`;
  api = serviceProcess('api/dist/main.js', {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: '',
    PORT: String(apiPort),
    PLATFORM_API_KEY: PLATFORM_KEY,
    RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '60000',
  });
  api.start();
  await until(
    'the built API to answer /readyz',
    async () => (await fetch(`${base}/readyz`)).status === 200,
    90_000,
    () => api!.output(),
  );
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await database?.drop();
}, 60_000);

describe('graceful shutdown of the built services', () => {
  let key = '';
  let tenantId = '';
  let webhookId = '';

  it('worker: SIGTERM lets the delivery in flight finish, records it, and exits 0', async () => {
    const receiver = await heldReceiver();
    try {
      const tenant = await call('POST', '/v1/platform/tenants', PLATFORM_KEY, {
        name: 'Shutdown Mall',
        slug: 'shutdown-mall',
        owner: { email: 'owner@shutdown.test', password: 'shutdown owner password' },
        stores: [{ code: 'mall', name: 'Online mall', channel: 'online' }],
      });
      expect(tenant.status, JSON.stringify(tenant.body)).toBe(201);
      key = tenant.body.apiKey.key;
      tenantId = tenant.body.tenant.id;
      const hook = await call('POST', '/v1/webhooks', key, { url: receiver.url, events: ['member.created'] });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      webhookId = hook.body.id;
      expect((await call('POST', '/v1/members', key, { unionId: 'S-1' })).status).toBe(201);

      worker = serviceProcess('worker/dist/main.js', {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database!.url,
        REDIS_URL: '',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_TIMEOUT_MS: '120000',
        OUTBOX_RELAY_INTERVAL_MS: '200',
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '60000',
      });
      worker.start();
      await until(
        'the delivery to reach the receiver',
        () => receiver.held.length === 1,
        90_000,
        () => worker!.output(),
      );

      // The worker's metrics while the delivery is in flight.
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^unionpoint_queue_jobs\{queue="webhook-delivery",state="active",service="worker"\} [1-9]\d*$/m);
      expect(text).toMatch(/^unionpoint_worker_jobs_total\{job="outbox\.relay",outcome="completed",service="worker"\} [1-9]\d*$/m);
      expect(text).toMatch(/^unionpoint_outbox_pending_events\{service="worker"\} 0$/m);
      expect(text).toMatch(/^unionpoint_outbox_lag_seconds\{service="worker"\} 0$/m);
      expect(text).toMatch(/^unionpoint_webhook_deliveries_total\{result="delivered",service="worker"\} 0$/m);
      expect(text).toMatch(/^unionpoint_db_pool_connections\{pool="main",state="in_use",service="worker"\} \d+$/m);

      worker.signal('SIGTERM');
      await until(
        'the worker to begin its shutdown',
        () => worker!.output().includes('worker shutting down'),
        30_000,
        () => worker!.output(),
      );
      // The job is still active: the process waits for it.
      expect(worker.running()).toBe(true);
      expect(worker.exited()).toBeNull();
      receiver.held[0]!.release(200);
      const exit = await worker.waitForExit();
      expect(exit, worker.output().slice(-4000)).toEqual({ code: 0, signal: null });
      expect(worker.output()).toContain('worker stopped');

      const deliveries = await call('GET', `/v1/webhooks/${webhookId}/deliveries`, key);
      expect(deliveries.status).toBe(200);
      expect(deliveries.body.data).toHaveLength(1);
      expect(deliveries.body.data[0]).toMatchObject({ id: receiver.held[0]!.delivery, status: 'succeeded' });
      expect(receiver.held).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  }, 240_000);

  it('API: SIGTERM refuses new connections, finishes the request in flight with 2xx, and exits 0', async () => {
    expect(key).not.toBe('');
    const lock = new pg.Client({ connectionString: database!.url });
    await lock.connect();
    const check = new pg.Client({ connectionString: database!.url });
    await check.connect();
    try {
      // Hold the member's row lock: the points adjustment below waits on it, in flight.
      await lock.query('BEGIN');
      const held = await lock.query(`SELECT id FROM members WHERE tenant_id = $1 AND union_id = 'S-1' FOR UPDATE`, [tenantId]);
      expect(held.rowCount).toBe(1);
      const inFlight = call('POST', '/v1/members/S-1/points/adjust', key, {
        delta: 25,
        reason: 'in flight at shutdown',
        reference: 'shutdown-1',
      });
      await until('the request to wait on the row lock', async () => {
        // Sharded by Citus, the wait is on the worker holding the member's shard: citus_lock_waits
        // shows it from the coordinator (the lock client is in a transaction: its own snapshot).
        const citus = (await check.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).rowCount;
        const r = await check.query(
          citus
            ? `SELECT count(*)::int AS n FROM citus_lock_waits`
            : `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return r.rows[0].n >= 1;
      });

      api!.signal('SIGTERM');
      await until(
        'the API to stop accepting connections',
        async () => (await tryConnect(apiPort)) === 'refused',
        30_000,
        () => api!.output(),
      );
      // Refused, yet still running: the request in flight keeps it.
      expect(api!.running()).toBe(true);
      expect(api!.exited()).toBeNull();

      await lock.query('COMMIT');
      const reply = await inFlight;
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.balance).toBe(25);
      const exit = await api!.waitForExit();
      expect(exit, api!.output().slice(-4000)).toEqual({ code: 0, signal: null });
      expect(api!.output()).toContain('API stopped');
    } finally {
      await lock.end();
    }
    // The adjustment committed once.
    try {
      const r = await check.query(`SELECT points_balance FROM members WHERE tenant_id = $1 AND union_id = 'S-1'`, [tenantId]);
      expect(r.rows[0].points_balance).toBe(25);
    } finally {
      await check.end();
    }
  }, 120_000);
});
