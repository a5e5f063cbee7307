// History import: BENCH_IMPORT_ORDERS orders (default 1,000,000) for BENCH_IMPORT_MEMBERS
// members (default 200,000) from one NDJSON file, end to end (the upload streamed and staged,
// then the worker's use case applying it in batches), against a bare COPY of the same file into
// a table and one set-based SQL statement doing the same ledger writes (orders, points entries
// and lots with their expiry, growth entries, tier changes at the order that reached the tier,
// the members' balances, growth and tier), in the same run. Target: the import at ≥ 50% of the
// floor's throughput, with the process's peak RSS reported (memory stays bounded: the file is
// never held whole).
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemContext } from '@unionpoint/core';
import { withTenant } from '@unionpoint/db';
import { createImport, processImport, receiveImportData } from '@unionpoint/core/imports';
import { verifyLedger } from '@unionpoint/core/points';
import { registerCoreExtensions } from '@unionpoint/core/extensions';
import { benchDatabase, benchTenant, LADDER, seconds } from './fixtures.ts';

const MULTIPLIER: Record<string, number> = { bronze: 10_000, silver: 12_000, gold: 13_000, diamond: 15_000 };

async function seedTenant(db: Awaited<ReturnType<typeof benchDatabase>>['db'], tenantId: string, members: number) {
  await benchTenant(db, tenantId);
  // No first-order bonus (the import grants none); tier multipliers as the default ladder's.
  await db.pool.query(`UPDATE programs SET settings = '{"tasks":{"firstOrder":0}}' WHERE tenant_id = $1`, [tenantId]);
  for (const [code, bps] of Object.entries(MULTIPLIER)) {
    await db.pool.query(
      `UPDATE tiers SET benefits = jsonb_build_object('pointsMultiplierBps', $3::int) WHERE tenant_id = $1 AND code = $2`,
      [tenantId, code, bps],
    );
  }
  await db.pool.query(
    `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at)
     SELECT $1, 'mem_' || lpad(i::text, 8, '0'), 'u' || i, 'bronze', timestamptz '2023-01-01', timestamptz '2023-01-01', now()
     FROM generate_series(1, $2::int) AS i`,
    [tenantId, members],
  );
}

// The floor: the COPY'd lines, parsed and applied in one statement (growth model: the tier at
// an order is the highest whose minGrowth the growth before it reaches).
const FLOOR_SQL = `
WITH ladder AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS l(code text, rank int, min_growth int, mult int)),
o AS (
  SELECT s.n, m.id AS member_id, m.growth AS g0, m.points_balance AS p0, j->>'externalId' AS ext, (j->>'amountCents')::int AS amount,
         (j->>'completedAt')::timestamptz AS at
  FROM (SELECT n, line::jsonb AS j FROM bench_import_stage) s
  JOIN members m ON m.tenant_id = $1 AND m.union_id = s.j->>'member'
),
g AS (
  SELECT o.*, amount / 100 AS growth,
         g0 + COALESCE(sum(amount / 100) OVER (PARTITION BY member_id ORDER BY at, n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM o
),
t AS (
  SELECT g.*, g.before + g.growth AS after,
         (SELECT l.mult FROM ladder l WHERE l.min_growth <= g.before ORDER BY l.rank DESC LIMIT 1) AS mult,
         (SELECT l.code FROM ladder l WHERE l.min_growth <= g.before ORDER BY l.rank DESC LIMIT 1) AS tier_before,
         (SELECT l.code FROM ladder l WHERE l.min_growth <= g.before + g.growth ORDER BY l.rank DESC LIMIT 1) AS tier_after
  FROM g
),
p AS (
  SELECT t.*, (amount::bigint * mult / 1000000)::int AS points,
         p0 + sum((amount::bigint * mult / 1000000)::int) OVER (PARTITION BY member_id ORDER BY at, n) AS balance_after,
         ((date_trunc('month', at AT TIME ZONE 'Asia/Shanghai') + interval '13 months') AT TIME ZONE 'Asia/Shanghai') - interval '1 millisecond' AS expires_at
  FROM t
),
ins_o AS (
  INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, request_hash, points_earned, growth_earned, response)
  SELECT $1, 'ord_f' || n, $3, ext, member_id, amount, at, 'completed', 'floor', points, growth, '{}' FROM p
),
ins_e AS (
  INSERT INTO points_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, expires_at, at)
  SELECT $1, 'ple_f' || n, member_id, $3, points, 'earn_order', 'order', ext, 'ord_f' || n, balance_after, expires_at, at FROM p WHERE points > 0
),
ins_l AS (
  INSERT INTO points_lots (tenant_id, id, member_id, entry_id, points, remaining, earned_at, expires_at)
  SELECT $1, 'lot_f' || n, member_id, 'ple_f' || n, points, points, at, expires_at FROM p WHERE points > 0
),
ins_g AS (
  INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at)
  SELECT $1, 'gle_f' || n, member_id, $3, growth, 'purchase', 'order', ext, 'ord_f' || n, after, at FROM p WHERE growth > 0
),
ins_t AS (
  INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
  SELECT $1, 'tch_f' || n, member_id, tier_before, tier_after, 'order', at FROM p WHERE tier_after <> tier_before
),
fin AS (
  SELECT DISTINCT ON (member_id) member_id, balance_after, after, tier_after FROM p ORDER BY member_id, at DESC, n DESC
),
upd AS (
  UPDATE members m SET points_balance = fin.balance_after, growth = fin.after, tier_code = fin.tier_after, updated_at = now()
  FROM fin WHERE m.tenant_id = $1 AND m.id = fin.member_id
)
SELECT count(*)::int AS orders, (SELECT count(*) FROM fin)::int AS members FROM p`;

export async function importBenchmark(): Promise<boolean> {
  registerCoreExtensions();
  const orders = Number(process.env.BENCH_IMPORT_ORDERS ?? 1_000_000);
  const members = Number(process.env.BENCH_IMPORT_MEMBERS ?? Math.max(1, Math.round(orders / 5)));
  const bench = await benchDatabase();
  const { db } = bench;
  const dir = await mkdtemp(path.join(tmpdir(), 'up-bench-import-'));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    let t0 = Date.now();
    // The file: orders of each member spread over 2024–2025 (not sorted by member or time).
    const file = path.join(dir, 'orders.ndjson');
    const start = Date.parse('2024-01-01T00:00:00Z');
    const lines: string[] = [];
    for (let i = 0; i < orders; i++) {
      const m = (i % members) + 1;
      const at = new Date(start + ((i * 7919) % 700) * 86_400_000 + ((i * 104_729) % 86_400) * 1000).toISOString();
      lines.push(
        JSON.stringify({
          externalId: `X-${i}`,
          member: `u${m}`,
          storeCode: 'mall',
          amountCents: 1000 + ((i * 7919) % 90_000),
          completedAt: at,
        }),
      );
    }
    await writeFile(file, lines.join('\n') + '\n');
    lines.length = 0;
    await chmod(dir, 0o755);
    await chmod(file, 0o644);
    await seedTenant(db, 'ten_bench_import', members);
    await seedTenant(db, 'ten_bench_import_floor', members);
    await db.pool.query('VACUUM ANALYZE');
    console.log(
      `import: generated ${orders.toLocaleString()} orders for ${members.toLocaleString()} members in ${seconds(Date.now() - t0)}`,
    );
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;

    // Floor: COPY the lines, then one statement with the same writes.
    const { storeId: floorStore } = { storeId: 'sto_ten_bench_import_floor' };
    const ladder = JSON.stringify(LADDER.map((l) => ({ code: l.code, rank: l.rank, min_growth: l.minGrowth, mult: MULTIPLIER[l.code] })));
    t0 = Date.now();
    await db.pool.query(`CREATE UNLOGGED TABLE bench_import_stage (n bigserial, line text)`);
    await db.pool.query(`COPY bench_import_stage (line) FROM '${file}' WITH (FORMAT text)`);
    const copyMs = Date.now() - t0;
    const f = await db.pool.query(FLOOR_SQL, ['ten_bench_import_floor', ladder, floorStore]);
    const floorMs = Date.now() - t0;

    // The import, end to end: the upload streamed from the file and staged, then processed.
    const ctx = systemContext('ten_bench_import', 'bench');
    const { id } = await withTenant(db.prisma, ctx.tenantId, (tx) => createImport(tx, ctx, { kind: 'orders' }));
    t0 = Date.now();
    const received = await receiveImportData(db, ctx, id, createReadStream(file, { highWaterMark: 256 * 1024 }));
    const uploadMs = Date.now() - t0;
    let tb = Date.now();
    const outcome = await processImport(db, ctx.tenantId, id, {
      batchSize: Number(process.env.IMPORT_BATCH_SIZE ?? 10_000),
      afterBatch: (p) => {
        if (process.env.BENCH_VERBOSE) console.log(`  batch to ${p.cursor}: ${Date.now() - tb} ms (${p.processed})`);
        tb = Date.now();
      },
    });
    const importMs = Date.now() - t0;

    // Same result as the floor: balances, growth and tiers.
    const cmp = await db.pool.query(
      `SELECT count(*) FILTER (WHERE a.points_balance <> b.points_balance OR a.growth <> b.growth OR a.tier_code <> b.tier_code)::int AS differ, count(*)::int AS n
       FROM members a JOIN members b ON b.tenant_id = 'ten_bench_import_floor' AND b.union_id = a.union_id WHERE a.tenant_id = 'ten_bench_import'`,
    );
    const ledger = await withTenant(db.prisma, ctx.tenantId, (tx) => verifyLedger(tx, ctx), { timeoutMs: 600_000 });
    const ratio = floorMs / importMs;
    console.log(
      `import: ${outcome.imported.toLocaleString()} orders end to end ${seconds(importMs)} (upload and staging ${seconds(uploadMs)}, ${received.total.toLocaleString()} lines; ` +
        `applying ${seconds(importMs - uploadMs)}; ${Math.round(orders / (importMs / 1000)).toLocaleString()} orders/s) vs COPY ${seconds(copyMs)} + one SQL statement ` +
        `${seconds(floorMs - copyMs)} = ${seconds(floorMs)} (${f.rows[0].orders.toLocaleString()} orders, ${Math.round(orders / (floorMs / 1000)).toLocaleString()} orders/s): ` +
        `${(ratio * 100).toFixed(0)}% of the floor's throughput (target ≥ 50%); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (${(rssBefore / 2 ** 20).toFixed(0)} MiB before); ` +
        `members that differ from the floor: ${cmp.rows[0].differ} of ${cmp.rows[0].n}; ledger mismatches: ${ledger.mismatches.length}`,
    );
    return ratio >= 0.5 && cmp.rows[0].differ === 0 && ledger.mismatches.length === 0 && outcome.imported === orders;
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
    await bench.close();
  }
}
