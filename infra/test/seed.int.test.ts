// The demo seed against its own database: a complete demo tenant on the first run, and a
// second run that changes nothing (row counts, program version, audit log, outbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { withTenant } from '@unionpoint/db';
import type { TenantContext } from '@unionpoint/core';
import { generateApiKey, hashPassword, revokeApiKey, unsafeResolveApiKey, unsafeVerifyLogin } from '@unionpoint/core/auth';
import { getProgram, updateProgram } from '@unionpoint/core/program';
import { getLadder, updateTier } from '@unionpoint/core/tiers';
import { DEMO_SLUG, seedDemo, type SeedOptions } from '../src/seed.ts';
import { archiveBenefit, updateBenefit } from '@unionpoint/core/benefits';

let database: TestDatabase;
let db: Db;

// The seed's clock: every demo date counts back from it, never from the wall clock.
const NOW = new Date('2026-03-01T00:30:00+08:00');
const DAY = 86_400_000;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

const options: SeedOptions = {
  now: NOW,
  demoApiKey: generateApiKey().key,
  owner: { email: 'owner@demo-mall.test', password: 'demo owner password' },
  staff: { email: 'staff@demo-mall.test', password: 'demo staff password' },
  viewer: { email: 'viewer@demo-mall.test', password: 'demo viewer password' },
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
    'points_lot_uses',
    'growth_ledger',
    'activities',
    'coupon_templates',
    'coupons',
    'rewards',
    'plans',
    'member_plans',
    'plan_events',
    'benefits',
    'benefit_grants',
    'entitlement_uses',
    'benefit_packs',
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
    // The benefit catalogue: PLUS coupon packs and daily/weekly gifts, 金牌 services, 钻石 deliveries;
    // the PLUS members got this month's free-delivery pack when they subscribed.
    const { rows: benefits } = await db.pool.query('SELECT code, kind FROM benefits WHERE tenant_id = $1 ORDER BY created_at, id', [tenant.id]);
    expect(benefits.map((b) => b.code)).toEqual(['plus-free-delivery', 'plus-weekly-item', 'plus-daily-veg', 'vip-support', 'fast-refund', 'priority-delivery']);
    const { rows: packs } = await db.pool.query(
      "SELECT count(*)::int AS packs, (SELECT count(*)::int FROM coupons WHERE tenant_id = $1 AND source = 'benefit_pack') AS coupons FROM benefit_packs WHERE tenant_id = $1",
      [tenant.id],
    );
    expect(packs[0].packs).toBeGreaterThan(0);
    expect(packs[0].coupons).toBe(packs[0].packs * 6);
    const { rows: refunds } = await db.pool.query('SELECT count(*)::int AS n FROM order_refunds WHERE tenant_id = $1', [tenant.id]);
    expect(refunds[0].n).toBeGreaterThan(0);

    const key = await unsafeResolveApiKey(db.prisma, options.demoApiKey);
    expect(key?.tenantId).toBe(tenant.id);
    expect((await unsafeVerifyLogin(db.prisma, options.owner.email, options.owner.password))?.tenantId).toBe(tenant.id);
    // A store staff login limited to the flagship store, and a viewer.
    const staff = await unsafeVerifyLogin(db.prisma, options.staff!.email, options.staff!.password);
    const flagship = await db.pool.query(`SELECT id FROM stores WHERE tenant_id = $1 AND code = 'flagship'`, [tenant.id]);
    expect(staff).toMatchObject({ tenantId: tenant.id, role: 'staff', storeIds: [flagship.rows[0].id] });
    expect((await unsafeVerifyLogin(db.prisma, options.viewer!.email, options.viewer!.password))?.role).toBe('viewer');
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

  it('seeds in event time: joins before first orders and spread over the months; orders, ledgers and tier history run forward', async () => {
    const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const { rows: members } = await db.pool.query<{
      id: string;
      union_id: string;
      created_at: Date;
      tier_since: Date;
      first_order: Date | null;
    }>(
      `SELECT m.id, m.union_id, m.created_at, m.tier_since, (SELECT min(o.completed_at) FROM orders o WHERE o.tenant_id = m.tenant_id AND o.member_id = m.id) AS first_order
       FROM members m WHERE m.tenant_id = $1 ORDER BY m.union_id`,
      [tenant.id],
    );
    expect(members).toHaveLength(50);
    for (const m of members) {
      expect(m.created_at.getTime(), m.union_id).toBeLessThanOrEqual(NOW.getTime());
      expect(m.created_at.getTime(), m.union_id).toBeGreaterThanOrEqual(NOW.getTime() - 190 * DAY);
      if (m.first_order) expect(m.created_at.getTime(), m.union_id).toBeLessThan(m.first_order.getTime());
    }
    expect(members.filter((m) => m.first_order).length).toBeGreaterThan(30);
    // New members per week: spread over the six months, not one spike.
    const weeks = new Map<number, number>();
    for (const m of members) {
      const week = Math.floor((NOW.getTime() - m.created_at.getTime()) / (7 * DAY));
      weeks.set(week, (weeks.get(week) ?? 0) + 1);
    }
    expect(weeks.size).toBeGreaterThanOrEqual(12);
    expect(Math.max(...weeks.values())).toBeLessThanOrEqual(6);

    // Orders were written in date order (ids are time-ordered: insertion order), numbered so.
    const { rows: orders } = await db.pool.query<{ member_id: string; external_id: string; completed_at: Date }>(
      'SELECT member_id, external_id, completed_at FROM orders WHERE tenant_id = $1 ORDER BY member_id, id',
      [tenant.id],
    );
    const byMember = groupBy(orders, (o) => o.member_id);
    for (const list of byMember.values()) {
      const times = list.map((o) => o.completed_at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(list.map((o) => Number(o.external_id.split('-').at(-1)))).toEqual(list.map((_, i) => i + 1));
      for (const t of times) expect(t).toBeLessThan(NOW.getTime());
    }

    // Tier history: enrolled at the join, then each move up from where the last one ended, in time order.
    const { rows: ranks } = await db.pool.query<{ code: string; rank: number }>('SELECT code, rank FROM tiers WHERE tenant_id = $1', [
      tenant.id,
    ]);
    const rank = new Map(ranks.map((r) => [r.code, r.rank]));
    const { rows: changes } = await db.pool.query<{
      member_id: string;
      from_code: string | null;
      to_code: string;
      reason: string;
      at: Date;
    }>('SELECT member_id, from_code, to_code, reason, at FROM tier_changes WHERE tenant_id = $1 ORDER BY member_id, id', [tenant.id]);
    const changesOf = groupBy(changes, (c) => c.member_id);
    let moves = 0;
    for (const m of members) {
      const list = changesOf.get(m.id) ?? [];
      expect(list[0], m.union_id).toMatchObject({ from_code: null, to_code: 'bronze', reason: 'enrolled', at: m.created_at });
      for (let i = 1; i < list.length; i++) {
        const [prev, next] = [list[i - 1]!, list[i]!];
        expect(next.from_code, m.union_id).toBe(prev.to_code);
        expect(rank.get(next.to_code)!, m.union_id).toBeGreaterThan(rank.get(next.from_code!)!);
        expect(['order', 'review', 'login'], m.union_id).toContain(next.reason);
        expect(next.at.getTime(), m.union_id).toBeGreaterThanOrEqual(prev.at.getTime());
        moves++;
      }
      expect(m.tier_since.getTime(), m.union_id).toBe(list.at(-1)!.at.getTime());
    }
    expect(moves).toBeGreaterThan(10);

    // Ledgers: entries in the order they were written carry rising event times; an order's
    // entries carry the order's time.
    for (const table of ['points_ledger', 'growth_ledger']) {
      const { rows: entries } = await db.pool.query<{ member_id: string; at: Date }>(
        `SELECT member_id, at FROM ${table} WHERE tenant_id = $1 ORDER BY member_id, created_at, id`,
        [tenant.id],
      );
      for (const list of groupBy(entries, (e) => e.member_id).values()) {
        const times = list.map((e) => e.at.getTime());
        expect(times, table).toEqual([...times].sort((a, b) => a - b));
      }
    }
    const { rows: mismatched } = await db.pool.query(
      `SELECT l.id FROM points_ledger l JOIN orders o ON o.tenant_id = l.tenant_id AND o.member_id = l.member_id AND l.reference = o.external_id
       WHERE l.tenant_id = $1 AND l.kind = 'order_earn' AND l.at <> o.completed_at`,
      [tenant.id],
    );
    expect(mismatched).toEqual([]);
  });

  it(
    "never changes the tenant's settings on a restart: the merchant's ladder, program, key and password stay",
    { timeout: 180_000 },
    async () => {
      const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
      const ctx: TenantContext = { tenantId: tenant.id, actor: { type: 'user', id: 'merchant', role: 'owner' } };
      // The merchant lowers silver (promoting members), renames gold, changes the program,
      // revokes the demo key and sets a password of their own.
      await withTenant(db.prisma, tenant.id, async (tx) => {
        await updateBenefit(tx, ctx, 'vip-support', { name: 'Our own support line' });
        await archiveBenefit(tx, ctx, 'plus-daily-veg');
        await updateTier(tx, ctx, 'silver', { minGrowth: 300, name: 'Silver club' });
        await updateTier(tx, ctx, 'gold', { name: 'Gold club', benefits: { discountBps: 9300 } });
        await updateProgram(tx, ctx, { redeem: { maxShareBps: 3000 }, earn: { pointsPerUnit: 2 } });
        const key = await tx.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, name: 'Demo key' } });
        await revokeApiKey(tx, ctx, key.id);
      });
      await db.prisma.user.update({
        where: { email: options.owner.email },
        data: { passwordHash: await hashPassword('the merchant own password') },
      });

      const state = async () => {
        const { rows: audit } = await db.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1', [tenant.id]);
        const { rows: tiers } = await db.pool.query(
          'SELECT code, name, min_growth, min_spend_cents, min_rfm_score, retention, benefits FROM tiers WHERE tenant_id = $1 ORDER BY rank',
          [tenant.id],
        );
        const program = await withTenant(db.prisma, tenant.id, (tx) => getProgram(tx, ctx));
        return { audit: audit[0].n, tiers, program, snapshot: await snapshot() };
      };
      const before = await state();
      expect(before.tiers.map((t) => t.name)).toEqual(['铜牌', 'Silver club', 'Gold club', '钻石']);
      const lines: string[] = [];
      await seedDemo(db, { ...options, log: (line) => lines.push(line) });
      expect(await state()).toEqual(before);
      const { rows: seeded } = await db.pool.query(
        "SELECT action FROM audit_log WHERE tenant_id = $1 AND actor_id = 'seed' AND action = 'tiers.replaced'",
        [tenant.id],
      );
      expect(seeded).toHaveLength(1); // the first run's, none since
      const { rows: benefits } = await db.pool.query('SELECT code, name, archived_at FROM benefits WHERE tenant_id = $1 ORDER BY code', [tenant.id]);
      expect(benefits.find((b) => b.code === 'vip-support')!.name).toBe('Our own support line');
      expect(benefits.find((b) => b.code === 'plus-daily-veg')!.archived_at).not.toBeNull();
      expect(benefits).toHaveLength(6);
      expect(await unsafeResolveApiKey(db.prisma, options.demoApiKey)).toBeNull();
      expect(await unsafeVerifyLogin(db.prisma, options.owner.email, 'the merchant own password')).not.toBeNull();
      // It says why the printed key and password no longer work.
      expect(lines.join('\n')).toMatch(/demo API key/);
      expect(lines.join('\n')).toMatch(/password/);
      await withTenant(db.prisma, tenant.id, async (tx) => expect((await getLadder(tx, ctx))[1]!.minGrowth).toBe(300));
    },
  );
});
