import type { Db } from '@unionpoint/db';

export interface TenantTimeZone {
  id: string;
  status: 'active' | 'suspended';
  /** The program's time zone; null while the tenant has no program row. */
  timezone: string | null;
}

/**
 * Every tenant with its status and time zone, across tenants on the owner connection (the
 * worker's schedules). Two reads joined here rather than a `tenants LEFT JOIN programs`: on
 * Citus `tenants` is a reference table and `programs` is sharded, and an outer join with the
 * reference table on the outer side is not pushed down to the shards.
 */
export async function unsafeListTenantTimeZones(pool: Db['pool']): Promise<TenantTimeZone[]> {
  const [tenants, programs] = await Promise.all([
    pool.query<{ id: string; status: TenantTimeZone['status'] }>(`SELECT id, status::text AS status FROM tenants ORDER BY id`),
    pool.query<{ tenant_id: string; timezone: string }>(`SELECT tenant_id, timezone FROM programs`),
  ]);
  const zones = new Map(programs.rows.map((p) => [p.tenant_id, p.timezone]));
  return tenants.rows.map((t) => ({ id: t.id, status: t.status, timezone: zones.get(t.id) ?? null }));
}
