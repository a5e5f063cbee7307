// The growth a member earned in a period is read from that member's entries only: under the
// generic plan a prepared statement gets after a few calls (the driver's pipeline prepares
// every statement), the read must still go through an index led by the tenant and the member,
// not the tenant's entries of the whole period (which made every order's member view and every
// /v1/me read grow with the tenant's activity). It reads Postgres's own plan: a plain database
// even on a Citus test server (there each shard's plan is the workers' Postgres planning the same
// statement on its shard).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, Prisma, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { growthEarnedSql } from './growth-earned.ts';

let database: TestDatabase;
let db: Db;
/** One connection of the pool, for the session settings and the prepared statement. */
let client: { query: Db['pool']['query']; escapeLiteral(value: string): string; release(): void };
const tenant = 'ten_growth_plan';
const from = new Date('2028-02-29T00:00:00+08:00');
const until = new Date('2029-02-28T23:59:59.999+08:00');

beforeAll(async () => {
  database = await createTestDatabase({ plain: true });
  db = createDb({ url: database.url, max: 1 });
  client = await db.pool.connect();
  // A tenant with 300 members and 40 entries each inside the period.
  await client.query(`INSERT INTO tenants (id, slug, name, updated_at) VALUES ($1, $1, $1, now())`, [tenant]);
  await client.query(`INSERT INTO tiers (tenant_id, code, name, rank, min_growth, retention, benefits) VALUES ($1, 'bronze', 'Bronze', 0, 0, '{}', '{}')`, [tenant]);
  await client.query(
    `INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at)
     SELECT $1, 'mem_' || g, 'u' || g, 'bronze', now() FROM generate_series(1, 300) g`,
    [tenant],
  );
  await client.query(
    `INSERT INTO growth_ledger (tenant_id, id, member_id, delta, kind, reference, idempotency_key, balance_after, at)
     SELECT $1, 'gle_' || m || '_' || e, 'mem_' || m, 1, 'purchase', 'ord', 'ord_' || m || '_' || e, e, $2::timestamptz + make_interval(hours => e * 200 + m)
     FROM generate_series(1, 300) m, generate_series(1, 40) e`,
    [tenant, from],
  );
  await client.query('ANALYZE growth_ledger; ANALYZE members');
});
afterAll(async () => {
  client.release();
  await db.close();
  await database.drop();
});

describe('growthEarnedSql', () => {
  it('reads one member’s entries of the period under the generic plan, and sums them', async () => {
    const sql = growthEarnedSql(Prisma.sql`${tenant}`, Prisma.sql`${'mem_7'}`, from, until);
    expect(sql.values).toHaveLength(5);
    await client.query(`SET plan_cache_mode = force_generic_plan`);
    await client.query(`PREPARE earned(text, text, timestamptz, timestamptz, text) AS SELECT ${sql.text}`);
    const args = [tenant, 'mem_7', from.toISOString(), until.toISOString(), sql.values[4]];
    const literals = args.map((v) => client.escapeLiteral(String(v))).join(', ');
    const { rows: plan } = await client.query<{ 'QUERY PLAN': [{ Plan: unknown }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE earned(${literals})`,
    );
    const scans: { index: string; cond: string; rows: number }[] = [];
    const walk = (n: Record<string, unknown>) => {
      if (n['Relation Name'] === 'growth_ledger')
        scans.push({ index: String(n['Index Name'] ?? n['Node Type']), cond: String(n['Index Cond'] ?? ''), rows: Number(n['Rows Removed by Filter'] ?? 0) });
      for (const c of (n['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(c);
    };
    walk(plan[0]!['QUERY PLAN'][0].Plan as Record<string, unknown>);
    expect(scans).toHaveLength(1);
    expect(scans[0]!.index).toBe('growth_ledger_tenant_id_member_id_at_idx');
    expect(scans[0]!.cond).toContain('member_id');
    // Nothing of another member is read and thrown away.
    expect(scans[0]!.rows).toBe(0);
    const { rows } = await client.query<{ sum: string }>(`EXECUTE earned(${literals})`);
    expect(Object.values(rows[0]!)[0]).toBe('40');
    await client.query('DEALLOCATE earned; RESET plan_cache_mode');
  });
});
