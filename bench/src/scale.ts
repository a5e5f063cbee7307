// Horizontal scale of the API: POST /v1/orders against one API process, then against two API
// processes behind the same database (the load split evenly between them, the same total
// connections), in the same run. The processes are the production build (api/dist/main.js,
// plain node, NODE_ENV=production), each with its own pool of BENCH_POOL connections. Prints
// both throughputs and their ratio, then the ledger proof over everything both runs wrote.
// The ratio is bounded by the cores the machine has: the load generator, Postgres and the API
// processes share them (printed with the result).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { createDb, withTenant } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
import { systemContext } from '@unionpoint/core';
import { verifyLedger } from '@unionpoint/core/points';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
const POOL = Number(process.env.BENCH_POOL ?? 20);
const PLATFORM_KEY = 'bench-scale-platform-key-0123456789';

interface Run {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startApi(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'api/dist/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(POOL),
      REDIS_URL: '',
      PORT: String(port),
      PLATFORM_API_KEY: PLATFORM_KEY,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
    if (child.exitCode !== null) throw new Error(`API process exited with ${child.exitCode}`);
    if (Date.now() > until) throw new Error('API process did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Orders with ids `${prefix}-${i}`, spread over the members; each call of `load` its own prefix. */
function load(
  url: string,
  auth: string,
  storeId: string,
  prefix: string,
  connections: number,
  duration: number,
): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url: `${url}/v1/orders`,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            body: JSON.stringify({ externalId: `${prefix}-${i}`, member: `m${i % MEMBERS}`, storeId, amountCents: 1000 + (i % 50) * 137 }),
          };
        },
      },
    ],
  });
}

const summary = (results: autocannon.Result[]): Run => ({
  rps: results.reduce((s, r) => s + r.requests.average, 0),
  p50: Math.max(...results.map((r) => r.latency.p50)),
  p99: Math.max(...results.map((r) => r.latency.p99)),
  ok: results.reduce((s, r) => s + r['2xx'], 0),
  errors: results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
});

export async function scaleBenchmark(): Promise<boolean> {
  execFileSync(process.execPath, [path.join(root, 'infra/scripts/bundle.mjs'), 'api'], { cwd: root, stdio: 'inherit' });
  const database = await createTestDatabase();
  const apis: ChildProcess[] = [];
  try {
    const first = await startApi(database.url);
    apis.push(first.child);
    const send = (p: string, body: unknown, auth: string) =>
      fetch(`${first.url}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify(body),
      });
    const onboard = await send(
      '/v1/platform/tenants',
      {
        name: 'Scale',
        slug: 'scale',
        owner: { email: 'scale@example.com', password: 'correct horse battery' },
        stores: [{ code: 'mall', name: 'Mall', channel: 'online' }],
      },
      `Bearer ${PLATFORM_KEY}`,
    );
    if (onboard.status !== 201) throw new Error(`onboarding failed: ${onboard.status} ${await onboard.text()}`);
    const created = (await onboard.json()) as { tenant: { id: string }; stores: { id: string }[]; apiKey: { key: string } };
    const auth = `Bearer ${created.apiKey.key}`;
    const storeId = created.stores[0]!.id;
    for (let i = 0; i < MEMBERS; i++) {
      const r = await send('/v1/members', { unionId: `m${i}` }, auth);
      if (!r.ok) throw new Error(`enrolment failed: ${r.status} ${await r.text()}`);
    }
    const second = await startApi(database.url);
    apis.push(second.child);

    const sizing = createDb({ url: database.url, max: 2 });
    const footprint = async () => {
      const r = await sizing.pool.query<{ bytes: string; orders: string }>(
        `SELECT pg_database_size(current_database())::text AS bytes, (SELECT count(*) FROM orders)::text AS orders`,
      );
      return { bytes: Number(r.rows[0]!.bytes), orders: Number(r.rows[0]!.orders) };
    };
    const before = await footprint();
    // Warm both processes (JIT, pools, plan caches) before measuring.
    const warm = Math.max(1, Math.floor(DURATION / 5));
    await Promise.all([load(first.url, auth, storeId, 'warm1', 4, warm), load(second.url, auth, storeId, 'warm2', 4, warm)]);
    const one = summary([await load(first.url, auth, storeId, 'one', CONNECTIONS, DURATION)]);
    const half = Math.max(1, Math.floor(CONNECTIONS / 2));
    const two = summary(
      await Promise.all([
        load(first.url, auth, storeId, 'two-a', half, DURATION),
        load(second.url, auth, storeId, 'two-b', CONNECTIONS - half, DURATION),
      ]),
    );

    const cores = availableParallelism();
    console.log(
      `\nscale: POST /v1/orders, ${CONNECTIONS} connections in total, ${DURATION}s each, ${MEMBERS} members, pool ${POOL} per process, ${cores} cores on this machine`,
    );
    for (const [name, r] of [
      ['one API process', one],
      ['two API processes', two],
    ] as const)
      console.log(
        `  ${name.padEnd(18)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}`,
      );
    const ratio = two.rps / Math.max(one.rps, 1);
    console.log(`  throughput ratio two/one ${ratio.toFixed(2)}x   p99 ${(two.p99 / Math.max(one.p99, 1)).toFixed(2)}x`);
    // What an order costs on disk (the order, its ledger entries and lot, growth, outbox events,
    // the stored reply; indexes included), before autovacuum: for sizing (docs/OPERATIONS.md).
    const after = await footprint();
    await sizing.close();
    const written = after.orders - before.orders;
    if (written > 0)
      console.log(
        `  storage: ${written} orders written, ${((after.bytes - before.bytes) / written / 1024).toFixed(1)} KiB of database each`,
      );

    // Proof over both runs: every cached balance = its ledger = its lots, nothing lost or doubled.
    const db = createDb({ url: database.url, max: 2 });
    try {
      const tenantId = created.tenant.id;
      const report = await withTenant(db.prisma, tenantId, (tx) => verifyLedger(tx, systemContext(tenantId, 'bench')), {
        isolationLevel: 'RepeatableRead',
      });
      const ok = report.mismatches.length === 0 && one.errors === 0 && two.errors === 0;
      console.log(
        `  verify: ${report.members} members, ${report.mismatches.length} mismatches; errors ${one.errors + two.errors} -> ${ok ? 'OK' : 'FAILED'}`,
      );
      return ok;
    } finally {
      await db.close();
    }
  } finally {
    await Promise.all(apis.map(stop));
    await database.drop();
  }
}
