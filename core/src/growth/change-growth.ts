import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
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
  const results = await queryBatch(tx, statement.statements);
  return statement.result(results[results.length - 1]!);
}

/** changeGrowth as two statements of one round trip and the reading of the last one's rows (see creditPointsSql). */
export function changeGrowthSql(
  ctx: TenantContext,
  change: GrowthChange,
  onlyIf: Prisma.Sql = Prisma.sql`TRUE`,
): { statements: Prisma.Sql[]; result(rows: Record<string, unknown>[]): { applied: number; value: number } } {
  assertInt(change.delta, 'delta');
  // Two statements of one round trip (hot path of order intake): clamp a clawback at the
  // current value, append the entry with balanceAfter, then move the cached value and read the
  // change; nothing is written when the applied change is 0. Both read the value before the
  // change; the caller's row lock keeps it current. The entry is an INSERT … SELECT taking the
  // member row's own tenant_id, which a database sharded by tenant runs on the member's shard
  // with RLS kept (see creditPointsSql).
  const applied = (growth: Prisma.Sql) =>
    Prisma.sql`(CASE WHEN ${change.delta}::int < 0 THEN -LEAST(-${change.delta}::int, GREATEST(${growth}, 0)) ELSE ${change.delta}::int END)`;
  const entry = Prisma.sql`
    INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
    SELECT m.tenant_id, ${newId('gle')}, m.id, ${change.storeId ?? null}::text, ${applied(Prisma.sql`m.growth`)}, ${change.kind}, ${change.reason ?? null}::text,
           ${change.reference ?? null}::text, ${change.idempotencyKey ?? null}::text, m.growth + ${applied(Prisma.sql`m.growth`)}, ${change.at ?? new Date()}::timestamptz, ${new Date()}::timestamptz
    FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${change.memberId} AND ${onlyIf} AND ${applied(Prisma.sql`m.growth`)} <> 0`;
  const sql = Prisma.sql`
    WITH d AS (
      SELECT growth, ${applied(Prisma.sql`growth`)} AS applied FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${change.memberId} AND ${onlyIf}
    ), u AS (
      UPDATE members SET growth = members.growth + d.applied, updated_at = now()
      FROM d WHERE members.tenant_id = ${ctx.tenantId} AND members.id = ${change.memberId} AND d.applied <> 0
    )
    SELECT applied, growth + applied AS value FROM d`;
  return {
    statements: [entry, sql],
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
 * changeGrowth for many members (the retention reset, recompute's adjustments), as two
 * statements of one round trip like changeGrowthSql: one entry per member whose applied change
 * is not 0, clamped at the value, then the cached value. Both read the value before the change
 * (the caller holds the members' row locks). The entries are an INSERT … SELECT taking the member
 * row's own tenant_id (on a database sharded by tenant it runs on the tenant's shard with RLS
 * kept; from a CTE or a parameter it would be copied through the coordinator, which RLS refuses).
 * The second statement returns one row per member written: member_id, applied, value.
 */
export function changeGrowthRowsSql(ctx: TenantContext, change: GrowthRowsChange): Prisma.Sql[] {
  const t = ctx.tenantId;
  const applied = (growth: Prisma.Sql) =>
    Prisma.sql`(CASE WHEN s.delta < 0 THEN -LEAST(-s.delta, GREATEST(${growth}, 0)) ELSE s.delta END)`;
  const entries = Prisma.sql`
    INSERT INTO growth_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
    SELECT m.tenant_id, ${newIdSql('gle', change.at, change.seed)}, s.member_id, NULL, ${applied(Prisma.sql`m.growth`)}, ${change.kind}, ${change.reason ?? null}::text,
           ${change.reference ?? null}::text, ${change.idempotencyKey ?? null}::text, m.growth + ${applied(Prisma.sql`m.growth`)}, ${change.at}::timestamptz, ${new Date()}::timestamptz
    FROM (${change.rows}) s JOIN members m ON m.tenant_id = ${t} AND m.id = s.member_id
    WHERE ${applied(Prisma.sql`m.growth`)} <> 0`;
  const values = Prisma.sql`
    WITH s AS (${change.rows}),
    d AS (
      SELECT s.member_id, m.growth, ${applied(Prisma.sql`m.growth`)} AS applied
      FROM s JOIN members m ON m.tenant_id = ${t} AND m.id = s.member_id
    ), u AS (
      UPDATE members SET growth = members.growth + d.applied, updated_at = now()
      FROM d WHERE members.tenant_id = ${t} AND members.id = d.member_id AND d.applied <> 0
    )
    SELECT member_id, applied, growth + applied AS value FROM d WHERE applied <> 0`;
  return [entries, values];
}
