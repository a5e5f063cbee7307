import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId, newIdSql } from '../shared/ids.ts';
import { assertInt } from '../shared/money.ts';
import type { GrowthKind } from './growth-kinds.ts';

export interface GrowthChange {
  memberId: string;
  delta: number;
  kind: GrowthKind;
  storeId?: string | null | undefined;
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  /** Unique per member and kind (order id, activity reference, month ...). */
  idempotencyKey?: string | null | undefined;
  at?: Date | undefined;
}

/**
 * Changes a member's growth value: one ledger entry and the cached members.growth, in the
 * caller's transaction (the caller holds the member lock and calls applyUpgrade after a rise).
 * Growth never goes below zero: a clawback larger than the value takes the value. Returns the
 * change actually applied (0 writes nothing).
 */
export async function changeGrowth(tx: Tx, ctx: TenantContext, change: GrowthChange): Promise<{ applied: number; value: number }> {
  const statement = changeGrowthSql(ctx, change);
  return statement.result(await tx.$queryRaw<Record<string, unknown>[]>(statement.sql));
}

/** changeGrowth as one statement and the reading of its rows (see creditPointsSql). */
export function changeGrowthSql(
  ctx: TenantContext,
  change: GrowthChange,
  onlyIf: Prisma.Sql = Prisma.sql`TRUE`,
): { sql: Prisma.Sql; result(rows: Record<string, unknown>[]): { applied: number; value: number } } {
  assertInt(change.delta, 'delta');
  // One statement (hot path of order intake): clamp a clawback at the current value, append
  // the entry with balanceAfter and move the cached value; nothing is written when the applied
  // change is 0. The caller's row lock keeps the read current.
  const sql = Prisma.sql`
    WITH m AS (
      SELECT growth FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${change.memberId} AND ${onlyIf}
    ), d AS (
      SELECT growth, CASE WHEN ${change.delta}::int < 0 THEN -LEAST(-${change.delta}::int, GREATEST(growth, 0)) ELSE ${change.delta}::int END AS applied FROM m
    ), e AS (
      INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
      SELECT ${ctx.tenantId}, ${newId('gle')}, ${change.memberId}, ${change.storeId ?? null}::text, d.applied, ${change.kind}, ${change.reason ?? null}::text,
             ${change.reference ?? null}::text, ${change.idempotencyKey ?? null}::text, d.growth + d.applied, ${change.at ?? new Date()}::timestamptz, ${new Date()}::timestamptz
      FROM d WHERE d.applied <> 0
    ), u AS (
      UPDATE members SET growth = members.growth + d.applied, updated_at = now()
      FROM d WHERE members.tenant_id = ${ctx.tenantId} AND members.id = ${change.memberId} AND d.applied <> 0
    )
    SELECT applied, growth + applied AS value FROM d`;
  return {
    sql,
    result(rows) {
      const row = rows[0] as { applied: number; value: number } | undefined;
      if (!row) throw new Error(`member ${change.memberId} not found`);
      return { applied: row.applied, value: row.value };
    },
  };
}

export interface GrowthRowsChange {
  /** The changes: a SELECT yielding `member_id` and `delta` (int). The caller holds the members' row locks. */
  rows: Prisma.Sql;
  kind: GrowthKind;
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
  at: Date;
  /** Deterministic entry ids: an expression over the row `s` (see newIdSql). */
  seed?: Prisma.Sql;
}

/**
 * changeGrowth for many members in one statement (the retention reset): one entry per member
 * whose applied change is not 0, clamped at the value like changeGrowth, and the cached value.
 * Returns one row per member written: member_id, applied, value.
 */
export function changeGrowthRowsSql(ctx: TenantContext, change: GrowthRowsChange): Prisma.Sql {
  const t = ctx.tenantId;
  return Prisma.sql`
    WITH s AS (${change.rows}),
    d AS (
      SELECT s.*, m.growth, CASE WHEN s.delta < 0 THEN -LEAST(-s.delta, GREATEST(m.growth, 0)) ELSE s.delta END AS applied
      FROM s JOIN members m ON m.tenant_id = ${t} AND m.id = s.member_id
    ), e AS (
      INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
      SELECT ${t}, ${newIdSql('gle', change.at, change.seed)}, s.member_id, NULL, s.applied, ${change.kind}, ${change.reason ?? null}::text,
             ${change.reference ?? null}::text, ${change.idempotencyKey ?? null}::text, s.growth + s.applied, ${change.at}::timestamptz, now()
      FROM d s WHERE s.applied <> 0
    ), u AS (
      UPDATE members SET growth = members.growth + d.applied, updated_at = now()
      FROM d WHERE members.tenant_id = ${t} AND members.id = d.member_id AND d.applied <> 0
    )
    SELECT member_id, applied, growth + applied AS value FROM d WHERE applied <> 0`;
}
