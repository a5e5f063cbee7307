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
export function writeHistoryGrowthSql(ctx: TenantContext, entries: HistoryGrowthEntry[]): Prisma.Sql | null {
  if (entries.length === 0) return null;
  const t = ctx.tenantId;
  const rows = entries.map((e) => ({ ...e, at: e.at.toISOString() }));
  return Prisma.sql`
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "memberId" text, "storeId" text, delta int, kind text, reason text,
                                                                       reference text, "idempotencyKey" text, "balanceAfter" int, at timestamptz)
    ), e AS (
      INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
      SELECT ${t}, x.id, x."memberId", x."storeId", x.delta, x.kind, x.reason, x.reference, x."idempotencyKey", x."balanceAfter", x.at, now() FROM x
    ), s AS (
      SELECT "memberId" AS id, sum(delta)::int AS delta FROM x GROUP BY "memberId"
    )
    UPDATE members m SET growth = m.growth + s.delta, updated_at = now()
    FROM s WHERE m.tenant_id = ${t} AND m.id = s.id AND s.delta <> 0`;
}
