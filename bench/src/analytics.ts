// The analytics summary over BENCH_MEMBERS generated members (default 1M) and half as many
// orders over the year before yesterday: the RFM statement the summary used to run on every
// call (the floor it replaces), the summary computing and storing a day's RFM snapshot (the
// first call of a day, or the daily job), and the summary reading it (every later call).
// Target: with the snapshot stored, RFM costs ≤ 5% of the per-call statement.
import { withTenant } from '@unionpoint/db';
import { addDays, localDate, startOfLocalDay, systemContext } from '@unionpoint/core';
import { ensureRfmSnapshot, getAnalyticsSummary } from '@unionpoint/core/analytics';
import { benchDatabase, benchTenant, seconds } from './fixtures.ts';

const TENANT = 'ten_bench_analytics';
const TZ = 'Asia/Shanghai';

const PER_CALL_RFM = `
WITH b AS (
  SELECT member_id, max(completed_at) AS last, count(*) AS f, sum(amount_cents - refunded_cents) AS m
  FROM orders WHERE tenant_id = $1 AND completed_at >= $2 AND completed_at < $3 GROUP BY member_id
), s AS (
  SELECT ntile(5) OVER (ORDER BY last) AS r, ntile(5) OVER (ORDER BY f, m) AS fq, ntile(5) OVER (ORDER BY m) AS mq FROM b
)
SELECT CASE WHEN r >= 4 AND fq >= 4 THEN 'champions' WHEN fq >= 4 OR mq >= 4 THEN 'loyal' WHEN r >= 4 THEN 'recent'
            WHEN r <= 2 AND fq >= 3 THEN 'at_risk' WHEN r <= 2 THEN 'hibernating' ELSE 'potential' END AS segment, count(*) AS count
FROM s GROUP BY 1`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = Date.now();
  const r = await fn();
  return [r, Date.now() - t0];
}

export async function analyticsBenchmark(): Promise<boolean> {
  const members = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
  const orders = Math.floor(members / 2);
  const bench = await benchDatabase();
  const { db } = bench;
  try {
    const { storeId } = await benchTenant(db, TENANT);
    const yesterday = addDays(localDate(new Date(), TZ), -1);
    const end = startOfLocalDay(addDays(yesterday, 1), TZ);
    const t0 = Date.now();
    await db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, growth, created_at, updated_at)
       SELECT $1, 'mem_' || lpad(i::text, 8, '0'), 'u' || i,
         CASE WHEN i % 10 < 6 THEN 'bronze' WHEN i % 10 < 8 THEN 'silver' WHEN i % 10 = 8 THEN 'gold' ELSE 'diamond' END,
         0, $3::timestamptz - interval '400 days', now()
       FROM generate_series(1, $2) AS i`,
      [TENANT, members, end],
    );
    // Orders spread over the 365 days before the end of yesterday, on a skewed set of members
    // (some buy often, most once or never), some partly refunded.
    await db.pool.query(
      `INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, refunded_cents, completed_at, status, request_hash, points_earned, growth_earned, response)
       SELECT $1, 'ord_' || i, $3, 'ext_' || i, 'mem_' || lpad((1 + (i * 7919) % (CASE WHEN i % 3 = 0 THEN $2 / 10 ELSE $2 * 4 / 5 END))::text, 8, '0'),
         1000 + (i * 104729) % 40000, CASE WHEN i % 20 = 0 THEN 500 ELSE 0 END,
         $5::timestamptz - ((i * 31) % (365 * 24 * 60)) * interval '1 minute' - interval '1 second', 'completed', 'bench', 0, 0, '{}'
       FROM generate_series(1::bigint, $4) AS i`,
      [TENANT, members, storeId, orders, end],
    );
    await db.pool.query('VACUUM ANALYZE');
    console.log(
      `analytics: generated ${members.toLocaleString()} members and ${orders.toLocaleString()} orders in ${seconds(Date.now() - t0)}`,
    );

    const ctx = systemContext(TENANT, 'bench');
    const start = new Date(end.getTime() - 365 * 86_400_000);
    const [floor, floorMs] = await timed(() => db.pool.query(PER_CALL_RFM, [TENANT, start, end]));
    const summary = () => withTenant(db.prisma, TENANT, (tx) => getAnalyticsSummary(tx, ctx, {}), { timeoutMs: 120_000 });
    const [first, firstMs] = await timed(summary);
    const [second, secondMs] = await timed(summary);
    const [, readMs] = await timed(() => withTenant(db.prisma, TENANT, (tx) => ensureRfmSnapshot(tx, ctx, yesterday)));
    const agree =
      first.rfmAsOf === yesterday &&
      JSON.stringify(first.rfmSegments) === JSON.stringify(second.rfmSegments) &&
      floor.rows.every(
        (r: { segment: string; count: string }) => first.rfmSegments.find((s) => s.segment === r.segment)?.members === Number(r.count),
      );
    console.log(
      `analytics: per-call RFM statement ${seconds(floorMs)}; summary computing the day's snapshot ${seconds(firstMs)}, ` +
        `reading it ${seconds(secondMs)} (RFM read alone ${seconds(readMs)}: ${((readMs / floorMs) * 100).toFixed(1)}% of the per-call statement, target ≤ 5%)`,
    );
    if (!agree) console.log('analytics: WARNING the snapshot and the per-call statement disagree');
    return agree && readMs <= floorMs * 0.05;
  } finally {
    await bench.close();
  }
}
