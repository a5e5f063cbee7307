// The servers of the quote benchmark, in their own process so that the load generator does
// not share their event loop: the API (createApp, with the LISTEN config listener as in
// production) and the bare Express + pg floor reading the same member row in the same kind of
// transaction (RLS role switch). Prints one JSON line with the targets; on any stdin line it
// cleans up and exits.
import express from 'express';
import { APP_ROLE, type Db } from '@unionpoint/db';
import { listen, startBenchApi } from './bench-api.ts';
import { TIERS } from './quote-fixtures.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
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
      const m = await c.query(
        'SELECT id, union_id, tier_code, points_balance, flagged FROM members WHERE tenant_id = $1 AND union_id = $2',
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
await bench.enrol(auth, MEMBERS);
await db.pool.query(`UPDATE members SET growth = (random() * 30000)::int, points_balance = 5000 WHERE tenant_id = $1`, [tenantId]);
await send('/v1/tiers', { tiers: TIERS }, auth, 'PUT'); // re-tier by growth
const bare = await listen(bareApp(db, tenantId));
console.log(JSON.stringify({ api: bench.api.url, bare: bare.url, auth, members: MEMBERS }));
process.stdin.setEncoding('utf8');
process.stdin.once('data', async () => {
  await bench.close(bare);
  process.exit(0);
});
