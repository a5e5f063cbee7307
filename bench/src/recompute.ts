// Recompute preview over BENCH_MEMBERS generated members (3 orders each, a tenth partly
// refunded, a login for every other member), against one set-based SQL statement over the
// whole tenant computing the same replayed growth and tiers, in the same run. The preview is
// the worker's use case: member batches (RECOMPUTE_BATCH_SIZE), one statement and one
// transaction each, the diff stored on the run. Target: ≤ 3× the floor.
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { previewBatchSql, processRecomputeRun, replayRules, requestRecomputePreview } from '@unionpoint/core/recompute';
import { getProgram } from '@unionpoint/core/program';
import { getLadder } from '@unionpoint/core/tiers';
import { benchDatabase, benchTenant, LADDER, seconds, type BenchOutcome } from './fixtures.ts';

const TENANT = 'ten_bench_recompute';
const PER_UNIT = 2;

/** The same replay as one statement over every member: per-member aggregates joined by hash, tier from the ladder. */
const FLOOR_SQL = `
WITH ladder AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS l(code text, rank int, threshold bigint)),
og AS (
  SELECT member_id, sum(CASE WHEN amount_cents = 0 THEN 0 ELSE (amount_cents::bigint * $3 / 100) * (amount_cents - refunded_cents) / amount_cents END) AS g
  FROM orders WHERE tenant_id = $1 GROUP BY member_id
),
om AS (
  SELECT member_id, (count(*) FILTER (WHERE days >= 3) * 50)::bigint AS g FROM (
    SELECT o.member_id, date_trunc('month', o.completed_at AT TIME ZONE 'Asia/Shanghai') AS mon,
           count(DISTINCT (o.completed_at AT TIME ZONE 'Asia/Shanghai')::date) AS days
    FROM orders o
    WHERE o.tenant_id = $1 AND o.status <> 'refunded'
      AND ((date_trunc('month', o.completed_at AT TIME ZONE 'Asia/Shanghai') + interval '1 month' + interval '9 days') AT TIME ZONE 'Asia/Shanghai') <= now()
    GROUP BY 1, 2) x
  GROUP BY member_id
),
ag AS (
  SELECT member_id, sum(LEAST(200, g))::bigint AS g FROM (
    SELECT member_id, local_date, sum(CASE WHEN revoked_at IS NULL AND type = 'login' AND nth = 1 THEN 5 ELSE 0 END) AS g
    FROM (SELECT a.*, row_number() OVER (PARTITION BY member_id, local_date, type ORDER BY created_at, id) AS nth FROM activities a WHERE tenant_id = $1) a
    GROUP BY member_id, local_date) d
  GROUP BY member_id
),
kg AS (
  SELECT member_id, sum(delta)::bigint AS g FROM growth_ledger
  WHERE tenant_id = $1 AND kind NOT IN ('purchase', 'login', 'review', 'photo_review', 'share', 'profile_completed', 'monthly_shopping', 'activity_clawback', 'merge_in', 'merge_out', 'recompute_adjust', 'refund_clawback')
  GROUP BY member_id
),
s AS (
  SELECT m.id, m.tier_code, m.growth, GREATEST(0, COALESCE(og.g, 0) + COALESCE(om.g, 0) + COALESCE(ag.g, 0) + COALESCE(kg.g, 0)) AS g
  FROM members m LEFT JOIN og ON og.member_id = m.id LEFT JOIN om ON om.member_id = m.id LEFT JOIN ag ON ag.member_id = m.id LEFT JOIN kg ON kg.member_id = m.id
  WHERE m.tenant_id = $1 AND m.merged_into_id IS NULL
),
t AS (SELECT s.*, (SELECT code FROM ladder WHERE threshold <= s.g ORDER BY rank DESC LIMIT 1) AS to_code FROM s)
SELECT tier_code AS "from", to_code AS "to", count(*)::int AS n, sum(g - growth)::bigint AS delta FROM t GROUP BY 1, 2`;

export async function recomputeBenchmark(): Promise<BenchOutcome> {
  const members = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
  const bench = await benchDatabase();
  const { db } = bench;
  try {
    const { storeId } = await benchTenant(db, TENANT);
    let t0 = Date.now();
    await db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, growth, created_at, updated_at)
       SELECT $1, 'mem_' || lpad(i::text, 8, '0'), 'u' || i, 'bronze', timestamptz '2025-06-01', 0, timestamptz '2025-06-01', now()
       FROM generate_series(1, $2) AS i`,
      [TENANT, members],
    );
    // 3 orders each over 2026-01 … 2026-07, growth = amount in units; every 10th order half refunded.
    await db.pool.query(
      `INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, request_hash, points_earned, growth_earned, refunded_cents, response)
       SELECT $1, 'ord_' || m || '_' || k, $3, 'ext_' || m || '_' || k, 'mem_' || lpad(m::text, 8, '0'), a.amount,
         timestamptz '2026-01-01' + ((m::bigint * 31 + k * 67) % 210)::int * interval '1 day',
         CASE WHEN (m + k) % 10 = 0 THEN 'partially_refunded' ELSE 'completed' END, 'bench', 0, a.amount / 100,
         CASE WHEN (m + k) % 10 = 0 THEN a.amount / 2 ELSE 0 END, '{}'
       FROM generate_series(1, $2) AS m, generate_series(1, 3) AS k,
            LATERAL (SELECT (2000 + (m::bigint * 7919 + k * 104729) % 200000)::int AS amount) a`,
      [TENANT, members, storeId],
    );
    await db.pool.query(
      `INSERT INTO order_refunds (tenant_id, id, order_id, refund_id, amount_cents, points_clawed_back, growth_clawed_back, points_returned, request_hash, response, created_at)
       SELECT tenant_id, 'rfd_' || id, id, 'r1', refunded_cents, 0, growth_earned - (growth_earned * (amount_cents - refunded_cents) / amount_cents), 0, 'bench', '{}', completed_at + interval '1 day'
       FROM orders WHERE tenant_id = $1 AND refunded_cents > 0`,
      [TENANT],
    );
    await db.pool.query(
      `INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at)
       SELECT tenant_id, 'grw_' || id, member_id, store_id, growth_earned, 'purchase', 'order', external_id, id, 0, completed_at FROM orders WHERE tenant_id = $1 AND growth_earned > 0`,
      [TENANT],
    );
    // Its own statement, not a UNION ALL in the one above: Citus 13.2 pushes such an INSERT …
    // SELECT down wrongly ("INSERT has more target columns than expressions").
    await db.pool.query(
      `INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at)
       SELECT r.tenant_id, 'grc_' || r.id, o.member_id, o.store_id, -r.growth_clawed_back, 'refund_clawback', 'refund', r.refund_id, r.id, 0, r.created_at
       FROM order_refunds r JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id WHERE r.tenant_id = $1 AND r.growth_clawed_back > 0`,
      [TENANT],
    );
    await db.pool.query(
      `INSERT INTO activities (tenant_id, id, member_id, type, reference, local_date, growth_awarded, points_awarded, request_hash, created_at)
       SELECT $1, 'act_' || m, 'mem_' || lpad(m::text, 8, '0'), 'login', 'login-' || m, '2026-03-0' || (1 + m % 9), 5, 0, 'bench', timestamptz '2026-03-01' + (m % 9) * interval '1 day'
       FROM generate_series(2, $2, 2) AS m`,
      [TENANT, members],
    );
    await db.pool.query(
      `INSERT INTO growth_ledger (tenant_id, id, member_id, delta, kind, reason, reference, idempotency_key, balance_after, at)
       SELECT tenant_id, 'gla_' || id, member_id, 5, 'login', 'login', reference, id, 0, created_at FROM activities WHERE tenant_id = $1`,
      [TENANT],
    );
    await db.pool.query(
      `UPDATE members m SET growth = g.s, tier_code = CASE WHEN g.s >= 20000 THEN 'diamond' WHEN g.s >= 5000 THEN 'gold' WHEN g.s >= 1000 THEN 'silver' ELSE 'bronze' END
       FROM (SELECT member_id, sum(delta)::int AS s FROM growth_ledger WHERE tenant_id = $1 GROUP BY member_id) g
       WHERE m.tenant_id = $1 AND m.id = g.member_id`,
      [TENANT],
    );
    await db.pool.query('VACUUM ANALYZE');
    console.log(
      `recompute: generated ${members.toLocaleString()} members, ${(members * 3).toLocaleString()} orders, ${(members / 2).toLocaleString()} logins in ${seconds(Date.now() - t0)}`,
    );

    const ladderJson = JSON.stringify(LADDER.map((l) => ({ code: l.code, rank: l.rank, threshold: l.minGrowth })));
    t0 = Date.now();
    const floor = await db.pool.query<{ from: string; to: string; n: number; delta: string }>(FLOOR_SQL, [TENANT, ladderJson, PER_UNIT]);
    const floorMs = Date.now() - t0;

    // The preview: new growth rules (2 growth per unit) replayed for every member.
    const ctx = systemContext(TENANT, 'bench');
    if (process.env.BENCH_EXPLAIN) {
      const ids = (
        await db.pool.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 ORDER BY id LIMIT 10000', [TENANT])
      ).rows.map((r) => r.id);
      const [program, ladder] = await withTenant(db.prisma, TENANT, (tx) => Promise.all([getProgram(tx, ctx), getLadder(tx, ctx)]));
      const q = previewBatchSql(TENANT, replayRules(program, ladder, { growthRules: { purchasePerUnit: PER_UNIT } }), ids, new Date());
      const plan = await db.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values as unknown[]);
      console.log(plan.rows.map((r) => String(r['QUERY PLAN']).slice(0, 220)).join('\n'));
    }
    const { id } = await withTenant(db.prisma, TENANT, (tx) =>
      requestRecomputePreview(tx, ctx, { growthRules: { purchasePerUnit: PER_UNIT } }),
    );
    t0 = Date.now();
    let tb = Date.now();
    const outcome = await processRecomputeRun(db, TENANT, id, {
      batchSize: Number(process.env.RECOMPUTE_BATCH_SIZE ?? 10_000),
      afterBatch: (p) => {
        if (process.env.BENCH_VERBOSE) console.log(`  batch to ${p.cursor}: ${Date.now() - tb} ms`);
        tb = Date.now();
      },
    });
    const runMs = Date.now() - t0;
    const run = (
      await db.pool.query('SELECT tier_changes, tiers, growth_delta FROM recompute_runs WHERE tenant_id = $1 AND id = $2', [TENANT, id])
    ).rows[0] as {
      tier_changes: { from: string; to: string; count: number }[];
      growth_delta: string;
    };
    const floorMoves = floor.rows
      .filter((r) => r.from !== r.to)
      .map((r) => `${r.from}>${r.to}:${r.n}`)
      .sort();
    const runMoves = run.tier_changes.map((c) => `${c.from}>${c.to}:${c.count}`).sort();
    const floorDelta = floor.rows.reduce((s, r) => s + Number(r.delta), 0);
    const agree = JSON.stringify(floorMoves) === JSON.stringify(runMoves) && floorDelta === Number(run.growth_delta);
    const ratio = runMs / floorMs;
    console.log(
      `recompute: preview ${seconds(runMs)} (${outcome.members.toLocaleString()} members, moves ${runMoves.join(' ') || 'none'}, growth delta ${Number(run.growth_delta).toLocaleString()}; ` +
        `batched, resumable, diff stored) vs one SQL statement computing the same tiers ${seconds(floorMs)}: ${ratio.toFixed(2)}× (target ≤ 3×)`,
    );
    if (!agree) console.log(`recompute: WARNING the floor and the preview disagree: floor ${floorMoves.join(' ')} delta ${floorDelta}`);
    return { agree, met: ratio <= 3 };
  } finally {
    await bench.close();
  }
}
