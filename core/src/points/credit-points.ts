import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { assertInt } from '../shared/money.ts';
import { getProgram, type Program } from '../program/index.ts';
import { emitEvent, type OutboxEventInput } from '../webhooks/index.ts';
import type { PointsKind } from './points-kinds.ts';
import { lotExpiresAt } from './points-math.ts';

export interface PointsChange {
  memberId: string;
  storeId?: string | null | undefined;
  kind: PointsKind;
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  /** Unique per member and kind: a second entry with the same key is refused by the database. */
  idempotencyKey?: string | null | undefined;
  orderRef?: string | null | undefined;
  /** Event time (default now): decides the lot's expiry. */
  at?: Date | undefined;
  /** The caller's already-loaded program, to save a read. */
  program?: Program | undefined;
}

export interface PointsEntryRow {
  id: string;
  delta: number;
  balanceAfter: number;
  expiresAt: Date | null;
}

/**
 * Adds points to a member: one ledger entry, one lot (expiring per program.expiry), and the
 * cached balance, in the caller's transaction. The lot carries the entry's store (who issued the
 * points, for the settlement). A negative balance (debt) is repaid first: the
 * lot keeps only what is left after the repayment. The caller holds the member lock
 * (lockMember / resolveMemberId forUpdate).
 */
export async function creditPoints(tx: Tx, ctx: TenantContext, change: PointsChange & { points: number }): Promise<PointsEntryRow> {
  const program = change.program ?? (await getProgram(tx, ctx));
  const statement = creditPointsSql(ctx, { ...change, program });
  const results = await queryBatch(tx, statement.statements);
  return statement.result(results[results.length - 1]!);
}

/**
 * creditPoints as two statements sent together and the reading of the last one's rows, for
 * callers that send them with others in one round trip (order intake). `onlyIf`: a condition
 * the credit depends on (they write nothing when false; `result` then throws).
 */
export function creditPointsSql(
  ctx: TenantContext,
  change: PointsChange & { points: number; program: Program },
  onlyIf: Prisma.Sql = Prisma.sql`TRUE`,
): { statements: Prisma.Sql[]; result(rows: Record<string, unknown>[]): PointsEntryRow } {
  assertInt(change.points, 'points');
  if (change.points <= 0) throw new RangeError('credit must be positive');
  const at = change.at ?? new Date();
  const program = change.program;
  const expiresAt = lotExpiresAt(at, program.expiry.months, program.timezone);
  const entryId = newId('ple');
  // Two statements of one round trip on the hot path (order intake): the lot (what is left
  // after repaying any debt: splitCredit() of points-math.ts written in SQL), then the entry
  // with balanceAfter and the cached balance moved (data-modifying CTEs share one snapshot).
  // The caller's row lock keeps the balance both read current.
  // The lot first, in a statement of its own: an INSERT … SELECT whose tenant_id is the
  // selected member row's own, which a database sharded by tenant_id runs on the member's
  // shard (with RLS kept; two INSERT … SELECT in one statement, or a tenant_id given as a
  // value, would be routed through the coordinator, where RLS refuses it). It reads the balance
  // before this credit, as the next statement does: neither sees the other's writes.
  const lot = Prisma.sql`
    INSERT INTO points_lots (tenant_id, id, member_id, entry_id, store_id, points, remaining, earned_at, expires_at)
    SELECT m.tenant_id, ${newId('lot')}, ${change.memberId}, ${entryId}, ${change.storeId ?? null}::text, ${change.points}::int,
           ${change.points}::int - LEAST(GREATEST(-m.points_balance, 0), ${change.points}::int), ${at}::timestamptz, ${expiresAt}::timestamptz
    FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${change.memberId} AND ${onlyIf}`;
  const sql = Prisma.sql`
    WITH m AS (
      SELECT points_balance FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${change.memberId} AND ${onlyIf}
    ), e AS (
      INSERT INTO points_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, order_ref, balance_after, expires_at, at, created_at)
      SELECT ${ctx.tenantId}, ${entryId}, ${change.memberId}, ${change.storeId ?? null}::text, ${change.points}::int, ${change.kind}, ${change.reason ?? null}::text,
             ${change.reference ?? null}::text, ${change.idempotencyKey ?? null}::text, ${change.orderRef ?? null}::text,
             m.points_balance + ${change.points}::int, ${expiresAt}::timestamptz, ${at}::timestamptz, ${new Date()}::timestamptz
      FROM m
      RETURNING balance_after
    ), u AS (
      UPDATE members SET points_balance = members.points_balance + ${change.points}::int, updated_at = now()
      FROM m WHERE members.tenant_id = ${ctx.tenantId} AND members.id = ${change.memberId}
    )
    SELECT balance_after FROM e`;
  return {
    statements: [lot, sql],
    result(rows) {
      const balanceAfter = rows[0]?.balance_after as number | undefined;
      if (balanceAfter === undefined) throw new Error(`member ${change.memberId} not credited`);
      return { id: entryId, delta: change.points, balanceAfter, expiresAt };
    },
  };
}

/** What a points.earned event says besides member, points and balance: `source` and its details. */
export type EarnedDetails = { source: string } & Record<string, unknown>;

/**
 * The points.earned event every credit that earns announces (one event may announce several
 * credits of one source, like an order's points and its first-order bonus).
 */
export function pointsEarnedEvent(memberId: string, points: number, balance: number | null, details: EarnedDetails): OutboxEventInput {
  return { type: 'points.earned', memberId, data: { memberId, points, balance, ...details } };
}

/**
 * Earning points: creditPoints and its points.earned event, in the caller's transaction (the
 * event goes with the COMMIT). The caller holds the member lock.
 */
export async function earnPoints(tx: Tx, ctx: TenantContext, change: PointsChange & { points: number }, details: EarnedDetails): Promise<PointsEntryRow> {
  const entry = await creditPoints(tx, ctx, change);
  await emitEvent(tx, ctx, pointsEarnedEvent(change.memberId, change.points, entry.balanceAfter, details));
  return entry;
}
