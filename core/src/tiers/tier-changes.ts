import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId, newIdSql } from '../shared/ids.ts';
import { outboxRowsFromSelectSql } from '../webhooks/index.ts';

/**
 * The tiers module owns tier_changes and the tier columns of members (tier_code, tier_since,
 * trial_until, protected_until). Every other module changes them through these builders or
 * moveTier.
 */

/** One history row without moving the member: the entry tier of a new member ("enrolled"). */
export async function recordTierChange(
  tx: Tx,
  ctx: TenantContext,
  change: { memberId: string; from: string | null; to: string; reason: string; at: Date },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
    VALUES (${ctx.tenantId}, ${newId('tch')}, ${change.memberId}, ${change.from}::text, ${change.to}, ${change.reason}, ${change.at}::timestamptz)`;
}

export interface TierMoves {
  /**
   * The moves: a SELECT yielding `id` (the member), `from_code`, `to_code` and any column the
   * caller reads back from `tier_moved`. The caller holds the members' row locks.
   */
  moves: Prisma.Sql;
  reason: string;
  /** Event time: tier_since, the history row's at, the event's `at`. */
  at: Date;
  /** More event data: a jsonb expression over the move row `s`. */
  eventData?: Prisma.Sql;
  /** Deterministic ids for the history rows and events: an expression over `s` (see newIdSql). */
  seed?: Prisma.Sql;
  /** Sets protected_until of the moved members (left as is when undefined). */
  protectedUntil?: Date | null;
}

/**
 * Set-based tier moves as three data-modifying CTEs for the caller's WITH: `tier_moved` (the
 * members' tier, RETURNING the move rows), `tier_history` (one tier_changes row each) and
 * `tier_events` (one member.tier_changed event each, in member order). Whatever the count, one
 * statement.
 */
export function moveTiersSql(ctx: TenantContext, m: TierMoves): Prisma.Sql {
  const t = ctx.tenantId;
  const protectedUntil = m.protectedUntil !== undefined ? Prisma.sql`, protected_until = ${m.protectedUntil}::timestamptz` : Prisma.empty;
  const at = m.at.toISOString();
  return Prisma.sql`
    tier_moved AS (
      UPDATE members SET tier_code = s.to_code, tier_since = ${m.at}::timestamptz, updated_at = now() ${protectedUntil}
      FROM (${m.moves}) s
      WHERE members.tenant_id = ${t} AND members.id = s.id
      RETURNING s.*
    ),
    tier_history AS (
      INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
      SELECT ${t}, ${newIdSql('tch', m.at, m.seed)}, s.id, s.from_code, s.to_code, ${m.reason}, ${m.at}::timestamptz FROM tier_moved s
      RETURNING 1
    ),
    tier_events AS (${outboxRowsFromSelectSql(ctx, {
      type: 'member.tier_changed',
      rows: Prisma.sql`
        SELECT s.id AS member_id, s.*,
               jsonb_build_object('memberId', s.id, 'from', s.from_code, 'to', s.to_code, 'reason', ${m.reason}::text, 'at', ${at}::text) || ${m.eventData ?? Prisma.sql`'{}'::jsonb`} AS data
        FROM tier_moved s`,
      idTime: m.at,
      ...(m.seed ? { seed: m.seed } : {}),
    })})`;
}

/** Protects members on their tier until `until` (retention: reached in the period). One statement. */
export function protectTiersSql(ctx: TenantContext, members: { ids: string[]; until: Date }): Prisma.Sql {
  return Prisma.sql`
    UPDATE members SET protected_until = ${members.until}::timestamptz, updated_at = now()
    WHERE tenant_id = ${ctx.tenantId} AND id = ANY(${members.ids}::text[])`;
}

/** One tier change of a replayed history (imports): from → to at its event time. */
export interface HistoryTierChange {
  id: string;
  memberId: string;
  from: string | null;
  to: string;
  reason: string;
  at: Date;
}

/**
 * The tier history of a replayed history in statements of one round trip: every change at its own event time
 * and, with `move`, each member moved to its last change's tier (tier_since its time; a trial
 * ends, as applyUpgrade's moves end it). No member.tier_changed event and no tier-reached hook:
 * what is replayed happened in the past (no upgrade gifts or webhooks for it). The caller holds
 * the members' row locks.
 */
export function writeTierHistorySql(ctx: TenantContext, changes: HistoryTierChange[], options: { move: boolean }): Prisma.Sql[] {
  if (changes.length === 0) return [];
  const t = ctx.tenantId;
  const rows = changes.map((c) => ({ ...c, at: c.at.toISOString() }));
  const x = Prisma.sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "memberId" text, "from" text, "to" text, reason text, at timestamptz)`;
  // The rows take tenant_id from the member row (an INSERT … SELECT that, on Citus, runs on the
  // tenant's shard with RLS kept); the members of the rows exist (created earlier in the batch).
  const history = Prisma.sql`
    INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
    SELECT m.tenant_id, x.id, x."memberId", x."from", x."to", x.reason, x.at
    FROM ${x} JOIN members m ON m.tenant_id = ${t} AND m.id = x."memberId"`;
  if (!options.move) return [history];
  return [
    history,
    Prisma.sql`
      WITH last AS (
        SELECT DISTINCT ON ("memberId") "memberId" AS id, "to", at FROM ${x} ORDER BY "memberId", at DESC, id DESC
      )
      UPDATE members m SET tier_code = last."to", tier_since = last.at, trial_until = NULL, updated_at = now()
      FROM last WHERE m.tenant_id = ${t} AND m.id = last.id`,
  ];
}
