import type { Db } from '@unionpoint/db';

export interface TenantTimeZone {
  id: string;
  status: 'active' | 'suspended';
  /** The program's time zone; null while the tenant has no program row. */
  timezone: string | null;
}

/** Every tenant with its status and time zone, across tenants on the owner connection (the worker's schedules). */
export async function unsafeListTenantTimeZones(pool: Db['pool']): Promise<TenantTimeZone[]> {
  const { rows } = await pool.query<TenantTimeZone>(
    `SELECT t.id, t.status::text AS status, p.timezone FROM tenants t LEFT JOIN programs p ON p.tenant_id = t.id`,
  );
  return rows;
}
