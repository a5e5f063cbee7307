import { Prisma } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** One growth ledger entry computed by a caller that replays history (imports). */
export interface HistoryGrowthEntry {
  id: string;
  memberId: string;
  storeId: string | null;
  delta: number;
  kind: string;
  reason: string | null;
  reference: string | null;
  idempotencyKey: string | null;
  balanceAfter: number;
  at: Date;
}

/**
 * The growth writes of a replayed history in one statement: the entries (each at its own event
 * time, computed with changeGrowth's rules: a clawback clamped at the value) and each member's
 * cached value moved by the sum of its entries. The caller holds the members' row locks.
 */
export function writeHistoryGrowthSql(ctx: TenantContext, entries: HistoryGrowthEntry[]): Prisma.Sql[] {
  if (entries.length === 0) return [];
  const t = ctx.tenantId;
  const rows = entries.map((e) => ({ ...e, at: e.at.toISOString() }));
  const x = Prisma.sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "memberId" text, "storeId" text, delta int, kind text, reason text,
                                                                       reference text, "idempotencyKey" text, "balanceAfter" int, at timestamptz)`;
  // Two statements of one round trip: the entries (tenant_id from the member row, so that on
  // Citus the INSERT … SELECT runs on the tenant's shard with RLS kept), then the values.
  return [
    Prisma.sql`
      INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
      SELECT m.tenant_id, x.id, x."memberId", x."storeId", x.delta, x.kind, x.reason, x.reference, x."idempotencyKey", x."balanceAfter", x.at, now()
      FROM ${x} JOIN members m ON m.tenant_id = ${t} AND m.id = x."memberId"`,
    Prisma.sql`
      UPDATE members m SET growth = m.growth + s.delta, updated_at = now()
      FROM (SELECT "memberId" AS id, sum(delta)::int AS delta FROM ${x} GROUP BY "memberId") s
      WHERE m.tenant_id = ${t} AND m.id = s.id AND s.delta <> 0`,
  ];
}
