// POST /v1/quotes under load against a bare Express + pg endpoint that reads the same member
// row in the same kind of transaction (RLS role switch) and returns it as JSON, in one run.
// The quote path reads the program and ladder from the in-process cache (invalidated across
// processes by LISTEN unionpoint_config), so per request it reads the member and their plan.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import express from 'express';
import pino from 'pino';
import { createDb, APP_ROLE, type Db } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
import { createApp, loadConfig, startConfigListener } from '@unionpoint/api';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
const PLATFORM_KEY = 'bench-platform-key-0123456789';

function listen(app: express.Express | ReturnType<typeof createApp>): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** The floor: one transaction with the RLS role switch reading the member row, as JSON. */
function bareApp(db: Db, tenantId: string) {
  const app = express();
  app.use(express.json());
  app.post('/bare/quote', async (req, res) => {
    const { member } = req.body as { member: string };
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, APP_ROLE]);
      const m = await c.query('SELECT id, union_id, tier_code, points_balance, flagged FROM members WHERE tenant_id = $1 AND union_id = $2', [tenantId, member]);
      await c.query('COMMIT');
      if (!m.rows[0]) return res.status(404).json({ code: 'not_found' });
      res.json(m.rows[0]);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      res.status(500).json({ code: 'internal', detail: String(err) });
    } finally {
      c.release();
    }
  });
  return app;
}

const cart = [
  { sku: 'tea', priceCents: 2999, quantity: 2 },
  { sku: 'cup', priceCents: 1500, quantity: 1, memberPriceCents: 1400 },
  { sku: 'pot', priceCents: 12_900, quantity: 1, category: 'kitchen' },
];

async function load(name: string, url: string, auth: string | null) {
  let n = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ member: `m${n++ % MEMBERS}`, items: cart, shippingFeeCents: 800, redeemPoints: 500 }) }) }],
  });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok: r['2xx'], errors: r.non2xx + r.errors + r.timeouts };
}

export async function quoteBenchmark(): Promise<boolean> {
  const database = await createTestDatabase();
  const db = createDb({ url: database.url, max: 20 });
  const config = { ...loadConfig({ NODE_ENV: 'production' }), platformApiKey: PLATFORM_KEY, rateLimitPerMinute: 10_000_000, logLevel: 'silent' };
  const api = await listen(createApp({ db, redis: null, config, logger: pino({ level: 'silent' }) }));
  const listener = await startConfigListener(db, pino({ level: 'silent' }));
  try {
    const slug = `bench-${randomBytes(3).toString('hex')}`;
    const post = (path: string, body: unknown, auth: string, method = 'POST') =>
      fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
    const created = (await (
      await post('/v1/platform/tenants', { name: slug, slug, owner: { email: `${slug}@example.com`, password: 'correct horse battery' } }, `Bearer ${PLATFORM_KEY}`)
    ).json()) as { tenant: { id: string }; apiKey: { key: string } };
    const tenantId = created.tenant.id;
    const auth = `Bearer ${created.apiKey.key}`;
    await post('/v1/program', { earn: { memberDay: { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 } } }, auth, 'PATCH');
    const tiers = [
      { code: 'bronze', name: '铜牌', rank: 0, benefits: {} },
      { code: 'silver', name: '银牌', rank: 1, minGrowth: 1000, benefits: { discountBps: 9800, freeShippingThresholdCents: 3900 } },
      { code: 'gold', name: '金牌', rank: 2, minGrowth: 5000, benefits: { discountBps: 9500, freeShippingThresholdCents: 0 } },
      { code: 'diamond', name: '钻石', rank: 3, minGrowth: 20_000, benefits: { discountBps: 9000, freeShippingThresholdCents: 0, exclusiveAccess: true } },
    ];
    await post('/v1/tiers', { tiers }, auth, 'PUT');
    for (let i = 0; i < MEMBERS; i++) await post('/v1/members', { unionId: `m${i}` }, auth);
    await db.pool.query(`UPDATE members SET growth = (random() * 30000)::int, points_balance = 5000 WHERE tenant_id = $1`, [tenantId]);
    await post('/v1/tiers', { tiers }, auth, 'PUT'); // re-tier by growth
    const bare = await listen(bareApp(db, tenantId));
    try {
      const warm = Math.max(1, Math.floor(DURATION / 5));
      await autocannon({ url: `${api.url}/v1/quotes`, connections: 4, duration: warm, method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ member: 'm1', items: cart, shippingFeeCents: 800 }) });
      await autocannon({ url: `${bare.url}/bare/quote`, connections: 4, duration: warm, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member: 'm1' }) });
      const b = await load('bare Express + pg', `${bare.url}/bare/quote`, null);
      const a = await load('POST /v1/quotes', `${api.url}/v1/quotes`, auth);
      console.log(`\nquote: ${CONNECTIONS} connections, ${DURATION}s each, ${MEMBERS} members, 3-line cart with points`);
      for (const r of [a, b]) console.log(`  ${r.name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}`);
      const ratio = a.rps / b.rps;
      console.log(`  throughput ratio ${(ratio * 100).toFixed(0)}% (target ≥ 60%)`);

      // Invalidation across processes: a ladder change made through another connection is
      // seen by the next quote (NOTIFY on commit, version check as the safety net).
      const before = (await (await post('/v1/quotes', { member: 'm1', items: cart, shippingFeeCents: 800 }, auth)).json()) as { goodsCents: number };
      const cheaper = tiers.map((t) => ({ ...t, benefits: { ...t.benefits, discountBps: 5000 } }));
      await post('/v1/tiers', { tiers: cheaper }, auth, 'PUT');
      const after = (await (await post('/v1/quotes', { member: 'm1', items: cart, shippingFeeCents: 800 }, auth)).json()) as { goodsCents: number };
      const invalidated = after.goodsCents < before.goodsCents;
      console.log(`  cache invalidation on ladder change: ${invalidated ? 'OK' : 'STALE'} (goods ${before.goodsCents} → ${after.goodsCents})`);
      return a.errors === 0 && invalidated;
    } finally {
      bare.server.close();
    }
  } finally {
    await listener.close();
    api.server.close();
    await db.close();
    await database.drop();
  }
}
