// Bench fixtures: a scratch database cloned from the migrations template, and a tenant made
// with plain SQL (program, default ladder, one store).
import { createDb, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { registerCoreExtensions } from '@unionpoint/core/extensions';

/**
 * What a data benchmark found: whether the real job and its floor agreed on what they wrote
 * (checked at any size, also by the smoke test), and whether the timing target was met.
 */
export interface BenchOutcome {
  agree: boolean;
  met: boolean;
}

export interface BenchDb {
  db: Db;
  url: string;
  close(): Promise<void>;
}

export async function benchDatabase(): Promise<BenchDb> {
  // The use cases the benchmarks run (retention, recompute, packs) move tiers through the core
  // extensions, as the worker's process start registers them.
  registerCoreExtensions();
  const database: TestDatabase = await createTestDatabase();
  const db = createDb({ url: database.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
  return {
    db,
    url: database.url,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

export const LADDER = [
  { code: 'bronze', name: 'Bronze', rank: 0, minGrowth: 0, minSpendCents: 0, retention: {} },
  { code: 'silver', name: 'Silver', rank: 1, minGrowth: 1000, minSpendCents: 200_000, retention: { minGrowth: 200 } },
  { code: 'gold', name: 'Gold', rank: 2, minGrowth: 5000, minSpendCents: 500_000, retention: { minGrowth: 600 } },
  { code: 'diamond', name: 'Diamond', rank: 3, minGrowth: 20_000, minSpendCents: 1_000_000, retention: { minGrowth: 1500 } },
];

export async function benchTenant(db: Db, tenantId: string): Promise<{ storeId: string }> {
  await db.pool.query(`INSERT INTO tenants (id, slug, name, updated_at) VALUES ($1, $1, $1, now())`, [tenantId]);
  await db.pool.query(`INSERT INTO programs (tenant_id, timezone, settings, updated_at) VALUES ($1, 'Asia/Shanghai', '{}', now())`, [
    tenantId,
  ]);
  for (const t of LADDER) {
    await db.pool.query(
      `INSERT INTO tiers (tenant_id, code, name, rank, min_growth, min_spend_cents, retention, benefits) VALUES ($1, $2, $3, $4, $5, $6, $7, '{}')`,
      [tenantId, t.code, t.name, t.rank, t.minGrowth, t.minSpendCents, JSON.stringify(t.retention)],
    );
  }
  const storeId = `sto_${tenantId}`;
  await db.pool.query(`INSERT INTO stores (tenant_id, id, code, name, channel) VALUES ($1, $2, 'mall', 'Mall', 'online')`, [
    tenantId,
    storeId,
  ]);
  return { storeId };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
