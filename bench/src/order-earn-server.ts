// The servers of the order-earn benchmark, in their own process so that the load generator
// does not share their event loop: the API (createApp) and the bare Express + pg floor doing
// the same writes in one transaction, on one fresh database. Prints one JSON line with the
// targets; on "verify" from stdin runs the ledger proof, prints it, cleans up and exits.
import express from 'express';
import { withTenant, APP_ROLE, type Db, type Tx } from '@unionpoint/db';
import { listen, startBenchApi } from './bench-api.ts';
import { systemContext, newId } from '@unionpoint/core';
import { verifyLedger } from '@unionpoint/core/points';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
/** Active tenant tasks every order counts for (`BENCH_TASKS=20`: the task-center variant). */
const TASKS = Number(process.env.BENCH_TASKS ?? 0);
/** The floor: the same rows written with hand-written SQL in one transaction. */
function bareApp(db: Db, tenantId: string) {
  const app = express();
  app.use(express.json());
  app.post('/bare/orders', async (req, res) => {
    const { externalId, member, storeId, amountCents } = req.body as {
      externalId: string;
      member: string;
      storeId: string;
      amountCents: number;
    };
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
      await c.query(
        `INSERT INTO points_lots (tenant_id, id, member_id, entry_id, points, remaining, earned_at) VALUES ($1, $2, $3, $4, $5, $5, now())`,
        [tenantId, newId('lot'), row.id, entryId, points],
      );
      await c.query(
        `INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reference, idempotency_key, balance_after, at) VALUES ($1, $2, $3, $4, $5, 'purchase', $6, $7, $8, now())`,
        [tenantId, newId('gle'), row.id, storeId, growth, externalId, orderId, row.growth + growth],
      );
      await c.query('UPDATE members SET points_balance = $3, growth = $4 WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        row.id,
        balance,
        row.growth + growth,
      ]);
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
      res.status(201).json({
        order: { id: orderId, externalId, status: 'completed' },
        pointsAwarded: points,
        growthAwarded: growth,
        member: { id: row.id, points: { balance } },
      });
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      res.status(500).json({ code: 'internal', detail: String(err) });
    } finally {
      c.release();
    }
  });
  return app;
}

const bench = await startBenchApi();
const { db } = bench;
const { tenantId, storeIds, auth } = await bench.tenant([{ code: 'mall', name: 'Mall', channel: 'online' }]);
const storeId = storeIds[0]!;
await bench.enrol(auth, MEMBERS);
// The task-center variant: TASKS active order tasks (daily, weekly, monthly and once windows),
// all counted by every order; their targets are out of reach in a run, so each order updates
// TASKS progress rows (one statement) and the built-in first-order task rewards each member once.
const repeats = ['daily', 'weekly', 'monthly', 'once'] as const;
for (let i = 0; i < TASKS; i++) {
  const res = await fetch(`${bench.api.url}/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: JSON.stringify({
      code: `t${i}`,
      name: `Task ${i}`,
      type: 'growth',
      trigger: { event: 'order_completed', ...(i % 2 ? { minAmountCents: 100 } : {}) },
      target: 90_000 + i,
      repeat: repeats[i % repeats.length],
      reward: { points: 10, growth: 5 },
    }),
  });
  if (!res.ok) throw new Error(`task creation failed: ${res.status} ${await res.text()}`);
}
// Statistics of the fixture, as autovacuum keeps them on a live database: without them the
// foreign-key checks' cached plans may read the tenant's members through another index.
await db.pool.query('VACUUM ANALYZE');
const bare = await listen(bareApp(db, tenantId));
console.log(
  JSON.stringify({
    api: bench.api.url,
    bare: bare.url,
    auth,
    storeId,
    members: MEMBERS,
    tasks: TASKS,
    database: bench.databaseUrl,
    tenantId,
  }),
);

process.stdin.setEncoding('utf8');
process.stdin.once('data', async () => {
  // Proof: every member's cached balance = sum(ledger) = sum(lots), and the orders awarded
  // exactly what the balances hold (no lost or doubled points).
  // One REPEATABLE READ snapshot for both checks: a request still in flight when the load
  // stops may commit between two statements, which would read as a mismatch that is not one.
  const ctx = systemContext(tenantId, 'bench');
  const { report, sums } = await withTenant(
    db.prisma,
    tenantId,
    async (tx) => ({ report: await verifyLedger(tx, ctx), sums: await sumsOf(tx) }),
    { isolationLevel: 'RepeatableRead' },
  );
  async function sumsOf(tx: Tx) {
    const earned = await tx.order.aggregate({
      where: { tenantId },
      _sum: { pointsEarned: true, bonusPoints: true },
      _count: { _all: true },
    });
    const balance = await tx.member.aggregate({ where: { tenantId }, _sum: { pointsBalance: true } });
    return {
      orders: earned._count._all,
      awarded: (earned._sum.pointsEarned ?? 0) + (earned._sum.bonusPoints ?? 0),
      balance: balance._sum.pointsBalance ?? 0,
    };
  }
  console.log(JSON.stringify({ members: report.members, mismatches: report.mismatches.length, ...sums }));
  // The parent may run pgbench on this database now; cleanup on its next line.
  await new Promise((resolve) => process.stdin.once('data', resolve));
  await bench.close(bare);
  process.exit(0);
});
