// Retention over BENCH_MEMBERS generated members (~5 orders each), against one set-based SQL
// statement doing the same evaluation and the same writes (tiers, protection, tier history,
// events), rolled back, in the same run. Target: ≤ 2× the floor.
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { processRetentionRun, queueRetentionRun } from '@unionpoint/core/retention';
import { benchDatabase, benchTenant, LADDER, seconds, type BenchOutcome } from './fixtures.ts';

const TENANT = 'ten_bench_retention';
// Q2 2026 in Asia/Shanghai.
const START = new Date('2026-04-01T00:00:00+08:00');
const END = new Date('2026-07-01T00:00:00+08:00');

const FLOOR_SQL = `
WITH ladder AS (
  SELECT * FROM jsonb_to_recordset($4::jsonb) AS l(code text, rank int, req_growth int)
),
gin AS (
  SELECT member_id, sum(delta) FILTER (WHERE at < $3 AND kind <> 'retention_reset') AS g
  FROM growth_ledger WHERE tenant_id = $1 AND at >= $2 GROUP BY member_id
),
lc AS (
  SELECT DISTINCT ON (member_id) member_id, to_code, from_code, at FROM tier_changes
  WHERE tenant_id = $1 AND at < $3 ORDER BY member_id, at DESC, id DESC
),
fa AS (
  SELECT DISTINCT ON (member_id) member_id, from_code FROM tier_changes
  WHERE tenant_id = $1 AND at >= $3 ORDER BY member_id, at, id
),
x AS (
  SELECT m.id, m.tier_code, m.trial_until, COALESCE(lc.to_code, fa.from_code, m.tier_code) AS tier_at_end,
         lc.to_code AS last_to, lc.from_code AS last_from, lc.at AS last_at, COALESCE(gin.g, 0) AS growth_in
  FROM members m LEFT JOIN lc ON lc.member_id = m.id LEFT JOIN fa ON fa.member_id = m.id LEFT JOIN gin ON gin.member_id = m.id
  WHERE m.tenant_id = $1 AND m.created_at < $3
),
j AS (
  SELECT x.*, cur.rank AS cur_rank, (cur.req_growth IS NULL OR x.growth_in >= cur.req_growth) AS meets,
    (SELECT max(l.rank) FROM ladder l WHERE l.rank <= cur.rank AND (l.req_growth IS NULL OR x.growth_in >= l.req_growth)) AS met_rank,
    (x.last_at >= $2 AND x.last_to = x.tier_at_end AND (x.last_from IS NULL OR (SELECT l.rank FROM ladder l WHERE l.code = x.last_from) < cur.rank)) AS reached
  FROM x JOIN ladder cur ON cur.code = x.tier_at_end
),
d AS (
  SELECT j.id, j.tier_at_end, t.code FROM j JOIN ladder t ON t.rank = j.met_rank
  WHERE NOT j.meets AND NOT COALESCE(j.trial_until > $3, false) AND NOT COALESCE(j.reached, false) AND j.tier_code = j.tier_at_end
),
p AS (SELECT j.id FROM j WHERE NOT j.meets AND NOT COALESCE(j.trial_until > $3, false) AND COALESCE(j.reached, false)),
upd AS (UPDATE members m SET tier_code = d.code, tier_since = $3 FROM d WHERE m.tenant_id = $1 AND m.id = d.id RETURNING 1),
prot AS (UPDATE members m SET protected_until = $3 + interval '3 months' FROM p WHERE m.tenant_id = $1 AND m.id = p.id RETURNING 1),
tc AS (INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
       SELECT $1, 'tch_floor_' || d.id, d.id, d.tier_at_end, d.code, 'retention', $3 FROM d RETURNING 1),
ev AS (INSERT INTO outbox_events (tenant_id, id, type, member_id, payload)
       SELECT $1, 'evt_floor_' || d.id, 'member.tier_changed', d.id, jsonb_build_object('memberId', d.id, 'from', d.tier_at_end, 'to', d.code) FROM d RETURNING 1)
SELECT (SELECT count(*) FROM upd)::int AS downgraded, (SELECT count(*) FROM prot) + (SELECT count(*) FROM tc) + (SELECT count(*) FROM ev) AS writes`;

export async function retentionBenchmark(): Promise<BenchOutcome> {
  const members = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
  const bench = await benchDatabase();
  const { db } = bench;
  try {
    const { storeId } = await benchTenant(db, TENANT);
    const hasLedger = (await db.pool.query(`SELECT to_regclass('orders') IS NOT NULL AND to_regclass('growth_ledger') IS NOT NULL AS ok`))
      .rows[0].ok as boolean;
    let t0 = Date.now();
    // Members: 60% bronze, 20% silver, 10% gold, 10% diamond; upgraded at a spread of dates,
    // some during the period (protected).
    await db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, growth, created_at, updated_at)
       SELECT $1, 'mem_' || lpad(i::text, 8, '0'), 'u' || i,
         CASE WHEN i % 10 < 6 THEN 'bronze' WHEN i % 10 < 8 THEN 'silver' WHEN i % 10 = 8 THEN 'gold' ELSE 'diamond' END,
         timestamptz '2025-09-01' + (i % 300) * interval '1 day', 0, timestamptz '2025-06-01', now()
       FROM generate_series(1, $2) AS i`,
      [TENANT, members],
    );
    await db.pool.query(
      `INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
       SELECT tenant_id, 'tch_' || id, id, 'bronze', tier_code, 'upgrade', tier_since FROM members WHERE tenant_id = $1 AND tier_code <> 'bronze'`,
      [TENANT],
    );
    if (hasLedger) {
      // ~5 orders each across 2026-01 … 2026-07, each earning growth = amount in units (bigint
      // arithmetic: m × 7919 overflows int4 from ~271,000 members).
      await db.pool.query(
        `INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, request_hash, points_earned, growth_earned, response)
         SELECT $1, 'ord_' || m || '_' || k, $3, 'ext_' || m || '_' || k, 'mem_' || lpad(m::text, 8, '0'),
           1000 + (m::bigint * 7919 + k * 104729) % 40000, timestamptz '2026-01-01' + ((m::bigint * 31 + k * 67) % 210)::int * interval '1 day', 'completed', 'bench', 0,
           ((1000 + (m::bigint * 7919 + k * 104729) % 40000) / 100)::int, '{}'
         FROM generate_series(1, $2) AS m, generate_series(1, 5) AS k`,
        [TENANT, members, storeId],
      );
      await db.pool.query(
        `INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at)
         SELECT tenant_id, 'grw_' || id, member_id, store_id, growth_earned, 'purchase', 'order', id, id, 0, completed_at FROM orders WHERE tenant_id = $1`,
        [TENANT],
      );
      await db.pool.query(
        `UPDATE members m SET growth = g.s FROM (SELECT member_id, sum(delta)::int AS s FROM growth_ledger WHERE tenant_id = $1 GROUP BY member_id) g
         WHERE m.tenant_id = $1 AND m.id = g.member_id`,
        [TENANT],
      );
    }
    await db.pool.query('VACUUM ANALYZE');
    console.log(
      `retention: generated ${members.toLocaleString()} members${hasLedger ? ` and ${(members * 5).toLocaleString()} orders` : ' (no ledger tables: spend/growth are zero)'} in ${seconds(Date.now() - t0)}`,
    );

    const ladderJson = JSON.stringify(
      LADDER.map((l) => ({
        code: l.code,
        rank: l.rank,
        req_growth: l.rank === 0 ? null : ((l.retention as { minGrowth?: number }).minGrowth ?? null),
      })),
    );
    // Floor: one statement, evaluated and applied, rolled back so the run sees the same data.
    const client = await db.pool.connect();
    let floorMs: number;
    let floorDowngraded: number;
    try {
      await client.query('BEGIN');
      t0 = Date.now();
      const r = await client.query(
        hasLedger
          ? FLOOR_SQL
          : FLOOR_SQL.replace(/gin AS \([\s\S]*?GROUP BY member_id\n\),/, 'gin AS (SELECT NULL::text AS member_id, 0 AS g WHERE false),'),
        [TENANT, START, END, ladderJson],
      );
      floorMs = Date.now() - t0;
      floorDowngraded = r.rows[0].downgraded;
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }

    const ctx = systemContext(TENANT, 'bench');
    const { runId } = await withTenant(db.prisma, TENANT, (tx) => queueRetentionRun(tx, ctx, { periodEnd: '2026-06-30' }));
    t0 = Date.now();
    let tb = Date.now();
    const outcome = await processRetentionRun(db, TENANT, runId, {
      batchSize: Number(process.env.RETENTION_BATCH_SIZE ?? 5000),
      afterBatch: (p) => {
        if (process.env.BENCH_VERBOSE) console.log(`  batch to ${p.cursor}: ${Date.now() - tb} ms`);
        tb = Date.now();
      },
    });
    const runMs = Date.now() - t0;
    const ratio = runMs / floorMs;
    console.log(
      `retention: run ${seconds(runMs)} (evaluated ${outcome.evaluated.toLocaleString()}, downgraded ${outcome.downgraded.toLocaleString()}, protected ${outcome.protected.toLocaleString()}; ` +
        `batched, resumable) vs one SQL statement with the same writes ${seconds(floorMs)} (downgraded ${floorDowngraded.toLocaleString()}): ${ratio.toFixed(2)}× (target ≤ 2×)`,
    );
    const agree = floorDowngraded === outcome.downgraded;
    if (!agree) console.log('retention: WARNING the floor and the run disagree on the downgrades');
    return { agree, met: ratio <= 2 };
  } finally {
    await bench.close();
  }
}
