// The servers of the /v1/me benchmark, in their own process: the API (createApp with the LISTEN
// config listener, as in production) and the bare Express + pg floor reading the same member
// row in the same kind of transaction (RLS role switch). Members m0… each get a member session
// (their tokens are printed for the load generator) and some history (points, a coupon). Prints
// one JSON line; on any stdin line it cleans up and exits.
import express from 'express';
import { APP_ROLE, type Db } from '@unionpoint/db';
import { listen, startBenchApi } from './bench-api.ts';
import { TIERS } from './quote-fixtures.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);

/** The floor: one transaction with the RLS role switch reading the member row by id, as JSON. */
function bareApp(db: Db, tenantId: string) {
  const app = express();
  app.get('/bare/me', async (req, res) => {
    const member = String(req.headers['x-member'] ?? '');
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, APP_ROLE]);
      const m = await c.query(
        'SELECT id, union_id, tier_code, tier_since, points_balance, growth, name, phone, email, birthday, created_at FROM members WHERE tenant_id = $1 AND union_id = $2',
        [tenantId, member],
      );
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

const bench = await startBenchApi(20);
const { db, send } = bench;
const { tenantId, auth } = await bench.tenant();
await send('/v1/program', { earn: { memberDay: { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 } } }, auth, 'PATCH');
await send('/v1/tiers', { tiers: TIERS }, auth, 'PUT');
await send(
  '/v1/coupon-templates',
  { code: 'TEN', name: '满100减10', kind: 'amount', amountCents: 1000, minSpendCents: 10_000, validDays: 30 },
  auth,
);
await bench.enrol(auth, MEMBERS);
const tokens: string[] = [];
for (let i = 0; i < MEMBERS; i++) {
  await send(`/v1/members/m${i}/points/adjust`, { delta: 1000 + i, reason: 'bench', reference: `bench-${i}` }, auth);
  if (i % 2 === 0) await send(`/v1/members/m${i}/coupons`, { templateCode: 'TEN', reference: `bench-c-${i}` }, auth);
  const s = await send(`/v1/members/m${i}/sessions`, { ttlSeconds: 86_400 }, auth);
  if (s.status !== 201) throw new Error(`session failed: ${s.status} ${await s.text()}`);
  tokens.push(((await s.json()) as { token: string }).token);
}
// Statistics of the fixture, as autovacuum keeps them on a live database.
await db.pool.query('VACUUM ANALYZE');
const bare = await listen(bareApp(db, tenantId));
console.log(JSON.stringify({ api: bench.api.url, bare: bare.url, tokens, members: MEMBERS }));
process.stdin.setEncoding('utf8');
process.stdin.once('data', async () => {
  await bench.close(bare);
  process.exit(0);
});
