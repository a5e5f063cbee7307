// POST /v1/orders under load against a bare Express + pg endpoint doing the same writes in one
// transaction (same RLS role switch, same row lock, same rows), measured in the same run, then
// the ledger proof: zero lost or doubled points.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import express from 'express';
import pino from 'pino';
import { createDb, withTenant, APP_ROLE, type Db } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
import { randomBytes } from 'node:crypto';
import { systemContext, newId } from '@unionpoint/core';
import { verifyLedger } from '@unionpoint/core/points';
import { createApp, loadConfig } from '@unionpoint/api';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
const PLATFORM_KEY = 'bench-platform-key-0123456789';

function listen(app: express.Express | ReturnType<typeof createApp>): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** The floor: the same rows written with hand-written SQL in one transaction. */
function bareApp(db: Db, tenantId: string) {
  const app = express();
  app.use(express.json());
  app.post('/bare/orders', async (req, res) => {
    const { externalId, member, storeId, amountCents } = req.body as { externalId: string; member: string; storeId: string; amountCents: number };
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, APP_ROLE]);
      const m = await c.query<{ id: string; points_balance: number; growth: number }>(
        'SELECT id, points_balance, growth FROM members WHERE tenant_id = $1 AND union_id = $2 FOR UPDATE',
        [tenantId, member],
      );
      const row = m.rows[0];
      if (!row) {
        await c.query('ROLLBACK');
        return res.status(404).json({ code: 'not_found' });
      }
      const points = Math.floor(amountCents / 100);
      const growth = points;
      const orderId = newId('ord');
      const ins = await c.query(
        `INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, request_hash, points_earned, growth_earned, response)
         VALUES ($1, $2, $3, $4, $5, $6, now(), 'completed', '', $7, $8, '{}') ON CONFLICT DO NOTHING`,
        [tenantId, orderId, storeId, externalId, row.id, amountCents, points, growth],
      );
      if (ins.rowCount === 0) {
        await c.query('ROLLBACK');
        return res.status(200).json({ replay: true });
      }
      const entryId = newId('ple');
      const balance = row.points_balance + points;
      await c.query(
        `INSERT INTO points_ledger (tenant_id, id, member_id, store_id, delta, kind, reference, idempotency_key, balance_after, at) VALUES ($1, $2, $3, $4, $5, 'earn_order', $6, $7, $8, now())`,
        [tenantId, entryId, row.id, storeId, points, externalId, orderId, balance],
      );
      await c.query(`INSERT INTO points_lots (tenant_id, id, member_id, entry_id, points, remaining, earned_at) VALUES ($1, $2, $3, $4, $5, $5, now())`, [
        tenantId,
        newId('lot'),
        row.id,
        entryId,
        points,
      ]);
      await c.query(
        `INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reference, idempotency_key, balance_after, at) VALUES ($1, $2, $3, $4, $5, 'purchase', $6, $7, $8, now())`,
        [tenantId, newId('gle'), row.id, storeId, growth, externalId, orderId, row.growth + growth],
      );
      await c.query('UPDATE members SET points_balance = $3, growth = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, row.id, balance, row.growth + growth]);
      for (const type of ['order.completed', 'points.earned']) {
        const id = newId('evt');
        await c.query(`INSERT INTO outbox_events (tenant_id, id, type, member_id, payload) VALUES ($1, $2, $3, $4, $5)`, [
          tenantId,
          id,
          type,
          row.id,
          JSON.stringify({ id, type, data: { orderId, points } }),
        ]);
      }
      await c.query('COMMIT');
      res.status(201).json({ order: { id: orderId, externalId, status: 'completed' }, pointsAwarded: points, growthAwarded: growth, member: { id: row.id, points: { balance } } });
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      res.status(500).json({ code: 'internal', detail: String(err) });
    } finally {
      c.release();
    }
  });
  return app;
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

async function load(name: string, url: string, auth: string | null, storeId: string, prefix: string): Promise<Result> {
  let n = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          return { ...req, body: JSON.stringify({ externalId: `${prefix}-${i}`, member: `m${i % MEMBERS}`, storeId, amountCents: 1000 + (i % 50) * 137 }) };
        },
      },
    ],
  });
  const ok = r['2xx'];
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok, errors: r.non2xx + r.errors + r.timeouts };
}

export async function orderEarnBenchmark(): Promise<boolean> {
  const database = await createTestDatabase();
  const db = createDb({ url: database.url, max: 20 });
  const config = { ...loadConfig({ NODE_ENV: 'production' }), platformApiKey: PLATFORM_KEY, rateLimitPerMinute: 10_000_000, logLevel: 'silent' };
  const api = await listen(createApp({ db, redis: null, config, logger: pino({ level: 'silent' }) }));
  try {
    const slug = `bench-${randomBytes(3).toString('hex')}`;
    const created = await fetch(`${api.url}/v1/platform/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PLATFORM_KEY}` },
      body: JSON.stringify({ name: slug, slug, owner: { email: `${slug}@example.com`, password: 'correct horse battery' }, stores: [{ code: 'mall', name: 'Mall', channel: 'online' }] }),
    }).then((r) => r.json() as Promise<{ tenant: { id: string }; stores: { id: string }[]; apiKey: { key: string } }>);
    const tenantId = created.tenant.id;
    const storeId = created.stores[0]!.id;
    const auth = `Bearer ${created.apiKey.key}`;
    for (let i = 0; i < MEMBERS; i++) {
      await fetch(`${api.url}/v1/members`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ unionId: `m${i}` }) });
    }
    const bare = await listen(bareApp(db, tenantId));
    try {
      // Warm both paths (JIT, pool, plan cache) before measuring.
      const warm = Math.max(1, Math.floor(DURATION / 5));
      await autocannon({ url: `${api.url}/v1/orders`, connections: 4, duration: warm, method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ externalId: `w-${randomBytes(6).toString('hex')}`, member: 'm0', storeId, amountCents: 100 }) }) }] });
      const b = await load('bare Express + pg', `${bare.url}/bare/orders`, null, storeId, 'bare');
      const a = await load('POST /v1/orders', `${api.url}/v1/orders`, auth, storeId, 'api');
      console.log(`\norder-earn: ${CONNECTIONS} connections, ${DURATION}s each, ${MEMBERS} members`);
      for (const r of [a, b]) console.log(`  ${r.name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}`);
      const tput = a.rps / b.rps;
      const p99 = a.p99 / Math.max(b.p99, 1);
      console.log(`  throughput ratio ${(tput * 100).toFixed(0)}% (target ≥ 70%)   p99 ratio ${p99.toFixed(2)}× (target ≤ 1.5×)`);

      // Proof: every member's cached balance = sum(ledger) = sum(lots), and the API's orders
      // awarded exactly what their rows say (no lost or doubled points).
      const ctx = systemContext(tenantId, 'bench');
      const report = await withTenant(db.prisma, tenantId, (tx) => verifyLedger(tx, ctx));
      const sums = await withTenant(db.prisma, tenantId, async (tx) => {
        const earned = await tx.order.aggregate({ where: { tenantId }, _sum: { pointsEarned: true, bonusPoints: true }, _count: { _all: true } });
        const balance = await tx.member.aggregate({ where: { tenantId }, _sum: { pointsBalance: true } });
        return { orders: earned._count._all, awarded: (earned._sum.pointsEarned ?? 0) + (earned._sum.bonusPoints ?? 0), balance: balance._sum.pointsBalance ?? 0 };
      });
      const consistent = report.mismatches.length === 0 && sums.awarded === sums.balance;
      console.log(`  verify: ${report.members} members, ${report.mismatches.length} mismatches; ${sums.orders} orders awarded ${sums.awarded} points, balances hold ${sums.balance} → ${consistent ? 'OK' : 'MISMATCH'}`);
      return consistent;
    } finally {
      bare.server.close();
    }
  } finally {
    api.server.close();
    await db.close();
    await database.drop();
  }
}
