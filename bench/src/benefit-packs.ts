// A month's coupon packs of the benefit catalogue for BENCH_MEMBERS entitled members (default
// 1,000,000; BENCH_SCALE multiplies it, e.g. 0.1 for a quicker run), against one set-based SQL
// statement doing the same inserts (packs, BENCH_PACK_COUNT coupons each, the template's
// counter, one entitlement.granted event per pack), rolled back, in the same run.
// Target: the batched job within 2× the floor.
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { issueBenefitPacks } from '@unionpoint/core/benefits';
import { benchDatabase, benchTenant, seconds, type BenchOutcome } from './fixtures.ts';

const TENANT = 'ten_bench_packs';
// 1 June 2026 00:10 in Asia/Shanghai: the June period has just started.
const AT = new Date('2026-05-31T16:10:00Z');
const PERIOD_START = new Date('2026-05-31T16:00:00Z');
const PERIOD_END = new Date('2026-06-30T16:00:00Z');

const FLOOR_SQL = `
WITH packs AS (
  INSERT INTO benefit_packs (tenant_id, id, member_id, benefit_id, period_start, period_end, count, source, issued_at)
  SELECT $1, up_new_id('bpk', $2), m.id, $3, $4, $5, $6, 'tier', $2 FROM members m WHERE m.tenant_id = $1
  ON CONFLICT (tenant_id, member_id, benefit_id, period_start) DO NOTHING
  RETURNING id, member_id
),
cpn AS (
  INSERT INTO coupons (tenant_id, id, code, template_id, member_id, status, source, source_ref, expires_at, created_at)
  SELECT $1, up_new_id('cpn', $2), 'C' || upper(substr(md5(gen_random_uuid()::text), 1, 16)), $7, p.member_id, 'available', 'benefit_pack', p.id,
         LEAST($5::timestamptz, $2::timestamptz + interval '31 days'), $2
  FROM packs p CROSS JOIN generate_series(1, $6)
  RETURNING 1
),
tpl AS (UPDATE coupon_templates SET issued = issued + (SELECT count(*) FROM cpn) WHERE tenant_id = $1 AND id = $7 RETURNING 1),
ev AS (
  INSERT INTO outbox_events (tenant_id, id, type, member_id, payload, created_at)
  SELECT $1, e.id, 'entitlement.granted', e.member_id, jsonb_build_object('id', e.id, 'type', 'entitlement.granted', 'tenantId', $1::text, 'data',
         jsonb_build_object('memberId', e.member_id, 'packId', e.pack_id, 'count', $6::int)), $2
  FROM (SELECT up_new_id('evt', $2) AS id, member_id, id AS pack_id FROM packs ORDER BY member_id) e
  RETURNING 1
)
SELECT (SELECT count(*) FROM packs)::int AS packs, (SELECT count(*) FROM cpn)::int AS coupons, (SELECT count(*) FROM tpl) + (SELECT count(*) FROM ev) AS writes`;

export async function benefitPacksBenchmark(): Promise<BenchOutcome> {
  const members = Math.max(1, Math.round(Number(process.env.BENCH_MEMBERS ?? 1_000_000) * Number(process.env.BENCH_SCALE ?? 1)));
  const perPack = Number(process.env.BENCH_PACK_COUNT ?? 6);
  const batchSize = Number(process.env.BENEFIT_PACK_BATCH_SIZE ?? 5000);
  const bench = await benchDatabase();
  const { db } = bench;
  try {
    await benchTenant(db, TENANT);
    let t0 = Date.now();
    await db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, growth, created_at, updated_at)
       SELECT $1, 'mem_' || lpad(i::text, 8, '0'), 'u' || i, CASE WHEN i % 10 < 7 THEN 'bronze' WHEN i % 10 < 9 THEN 'silver' ELSE 'gold' END,
              timestamptz '2026-01-01', 0, timestamptz '2026-01-01', now()
       FROM generate_series(1, $2) AS i`,
      [TENANT, members],
    );
    await db.pool.query(
      `INSERT INTO coupon_templates (tenant_id, id, code, name, kind, valid_days) VALUES ($1, 'tpl_bench', 'FREESHIP', 'Free shipping', 'free_shipping', 31)`,
      [TENANT],
    );
    // "6 free-shipping coupons a month" for every tier (bronze and up).
    await db.pool.query(
      `INSERT INTO benefits (tenant_id, id, code, name, category, kind, coupon_template_id) VALUES ($1, 'bnf_bench', 'ship6', 'Free shipping', 'shopping', 'coupon_pack', 'tpl_bench')`,
      [TENANT],
    );
    await db.pool.query(
      `INSERT INTO benefit_grants (tenant_id, id, benefit_id, position, tier_code, count, per) VALUES ($1, 'bgr_bench', 'bnf_bench', 0, 'bronze', $2, 'month')`,
      [TENANT, perPack],
    );
    await db.pool.query('VACUUM ANALYZE');
    console.log(`benefit-packs: generated ${members.toLocaleString()} entitled members in ${seconds(Date.now() - t0)}`);

    const client = await db.pool.connect();
    let floorMs: number;
    let floor: { packs: number; coupons: number };
    try {
      await client.query('BEGIN');
      t0 = Date.now();
      const r = await client.query(FLOOR_SQL, [TENANT, AT, 'bnf_bench', PERIOD_START, PERIOD_END, perPack, 'tpl_bench']);
      floorMs = Date.now() - t0;
      floor = r.rows[0];
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }

    const ctx = systemContext(TENANT, 'bench');
    t0 = Date.now();
    let after: string | null = null;
    let packs = 0;
    let coupons = 0;
    for (;;) {
      const r = await withTenant(
        db.prisma,
        TENANT,
        (tx) => issueBenefitPacks(tx, ctx, { at: AT, afterMemberId: after, limit: batchSize }),
        { timeoutMs: 600_000 },
      );
      packs += r.packs;
      coupons += r.coupons;
      if (r.lastMemberId === null) break;
      after = r.lastMemberId;
    }
    const runMs = Date.now() - t0;
    // A second run issues nothing (once per member, benefit and period).
    t0 = Date.now();
    const again = await withTenant(
      db.prisma,
      TENANT,
      (tx) => issueBenefitPacks(tx, ctx, { at: AT, afterMemberId: null, limit: members + 1 }),
      { timeoutMs: 600_000 },
    );
    const againMs = Date.now() - t0;
    const ratio = runMs / floorMs;
    console.log(
      `benefit-packs: job ${seconds(runMs)} (${packs.toLocaleString()} packs, ${coupons.toLocaleString()} coupons, batches of ${batchSize}) vs one SQL statement ` +
        `${seconds(floorMs)} (${floor.packs.toLocaleString()} packs, ${floor.coupons.toLocaleString()} coupons): ${ratio.toFixed(2)}× (target ≤ 2×); a second run issued ${again.packs} in ${seconds(againMs)}`,
    );
    const ok = packs === members && floor.packs === members && coupons === members * perPack && again.packs === 0;
    if (!ok) console.log('benefit-packs: WARNING the job, the floor and the rerun disagree on what was issued');
    return { agree: ok, met: ratio <= 2 };
  } finally {
    await bench.close();
  }
}
