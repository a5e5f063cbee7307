// The demo seed against its own database: a complete demo tenant on the first run, and a
// second run that changes nothing (row counts, program version, audit log, outbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { unsafeResolveApiKey, unsafeVerifyLogin } from '@unionpoint/core/auth';
import { generateApiKey } from '@unionpoint/core/auth';
import { DEMO_SLUG, seedDemo, type SeedOptions } from '../src/seed.ts';

let database: TestDatabase;
let db: Db;

const options: SeedOptions = {
  demoApiKey: generateApiKey().key,
  owner: { email: 'owner@demo-mall.test', password: 'demo owner password' },
  platformAdmin: { email: 'admin@unionpoint.test', password: 'platform admin password' },
};

/** Row counts of every table the seed writes, and the program version. */
async function snapshot() {
  const tables = [
    'tenants',
    'stores',
    'tiers',
    'members',
    'identities',
    'tier_changes',
    'users',
    'api_keys',
    'audit_log',
    'outbox_events',
    'orders',
    'order_refunds',
    'points_ledger',
    'points_lots',
    'growth_ledger',
    'activities',
    'coupon_templates',
    'coupons',
    'rewards',
    'plans',
    'member_plans',
    'plan_events',
  ];
  const { rows } = await db.pool.query<{ relname: string }>(
    "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
  );
  const present = new Set(rows.map((r) => r.relname));
  const counts: Record<string, number> = {};
  for (const table of tables.filter((t) => present.has(t))) {
    counts[table] = Number((await db.pool.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
  }
  counts.programVersion = Number((await db.pool.query('SELECT max(version) AS v FROM programs')).rows[0].v);
  const keys = await db.pool.query('SELECT hash, revoked_at FROM api_keys ORDER BY id');
  const balances = await db.pool.query('SELECT union_id, tier_code, points_balance, growth FROM members ORDER BY union_id');
  return { counts, keys: keys.rows, balances: balances.rows };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb({ url: database.url, max: 4 });
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('seedDemo', () => {
  it('creates the demo tenant with stores, ladder, program, members and a working demo key', { timeout: 240_000 }, async () => {
    const result = await seedDemo(db, options);
    expect(result.tenantCreated).toBe(true);
    expect(result.membersCreated).toBe(50);
    expect(result.ordersCreated).toBeGreaterThan(100);

    const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    expect(tenant.name).toBe('Demo Mall');
    const { rows: stores } = await db.pool.query('SELECT channel FROM stores WHERE tenant_id = $1 ORDER BY channel::text', [tenant.id]);
    expect(stores.map((s) => s.channel)).toEqual(['delivery', 'miniprogram', 'online', 'store']);
    const { rows: tiers } = await db.pool.query('SELECT code, name, benefits FROM tiers WHERE tenant_id = $1 ORDER BY rank', [tenant.id]);
    expect(tiers.map((t) => t.name)).toEqual(['铜牌', '银牌', '金牌', '钻石']);
    expect(tiers.map((t) => t.benefits.discountBps)).toEqual([10_000, 9800, 9500, 9000]);
    expect(tiers[1].benefits.freeShippingThresholdCents).toBe(3900);
    expect(tiers[2].benefits.freeShippingThresholdCents).toBe(0);
    const { rows: programs } = await db.pool.query('SELECT settings FROM programs WHERE tenant_id = $1', [tenant.id]);
    expect(programs[0].settings.earn).toEqual({
      pointsPerUnit: 1,
      memberDay: { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 },
    });
    expect(programs[0].settings.redeem).toEqual({ pointsPerUnit: 100, maxShareBps: 5000 });

    // Members are known in several stores under different openIds.
    const { rows: spread } = await db.pool.query(
      'SELECT member_id, count(*)::int AS n FROM identities WHERE tenant_id = $1 GROUP BY member_id',
      [tenant.id],
    );
    expect(spread.length).toBe(50);
    expect(spread.some((r) => r.n >= 3)).toBe(true);

    // Orders moved members up the ladder: every tier has members.
    const { rows: byTier } = await db.pool.query('SELECT tier_code, count(*)::int AS n FROM members WHERE tenant_id = $1 GROUP BY 1', [
      tenant.id,
    ]);
    expect(Object.fromEntries(byTier.map((r) => [r.tier_code, r.n]))).toMatchObject({
      bronze: expect.any(Number),
      silver: expect.any(Number),
      gold: expect.any(Number),
      diamond: expect.any(Number),
    });
    const { rows: catalogue } = await db.pool.query(
      'SELECT (SELECT count(*) FROM coupon_templates)::int AS templates, (SELECT count(*) FROM rewards)::int AS rewards, (SELECT count(*) FROM plans)::int AS plans',
    );
    expect(catalogue[0]).toEqual({ templates: 3, rewards: 2, plans: 2 });
    const { rows: refunds } = await db.pool.query('SELECT count(*)::int AS n FROM order_refunds WHERE tenant_id = $1', [tenant.id]);
    expect(refunds[0].n).toBeGreaterThan(0);

    const key = await unsafeResolveApiKey(db.prisma, options.demoApiKey);
    expect(key?.tenantId).toBe(tenant.id);
    expect((await unsafeVerifyLogin(db.prisma, options.owner.email, options.owner.password))?.tenantId).toBe(tenant.id);
    expect((await unsafeVerifyLogin(db.prisma, options.platformAdmin!.email, options.platformAdmin!.password))?.role).toBe(
      'platform_admin',
    );
    // The onboarding key nobody has seen is revoked: only the demo key is live.
    const { rows: live } = await db.pool.query('SELECT hash FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL', [tenant.id]);
    expect(live).toHaveLength(1);
  });

  it('changes nothing when run again', { timeout: 180_000 }, async () => {
    const before = await snapshot();
    const result = await seedDemo(db, options);
    expect(result).toMatchObject({ tenantCreated: false, membersCreated: 0, ordersCreated: 0 });
    expect(await snapshot()).toEqual(before);
    expect(before.counts.members).toBe(50);
  });

  it('refreshes the demo key and the printed passwords when they changed', { timeout: 180_000 }, async () => {
    const fresh: SeedOptions = {
      ...options,
      demoApiKey: generateApiKey().key,
      owner: { ...options.owner, password: 'another owner password' },
    };
    await seedDemo(db, fresh);
    expect(await unsafeResolveApiKey(db.prisma, options.demoApiKey)).toBeNull();
    expect(await unsafeResolveApiKey(db.prisma, fresh.demoApiKey)).not.toBeNull();
    expect(await unsafeVerifyLogin(db.prisma, fresh.owner.email, fresh.owner.password)).not.toBeNull();
    expect(await unsafeVerifyLogin(db.prisma, options.owner.email, options.owner.password)).toBeNull();
    expect((await snapshot()).counts.members).toBe(50);
  });
});
