import { Prisma } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** One points ledger entry computed by a caller that replays history (imports). */
export interface HistoryPointsEntry {
  id: string;
  memberId: string;
  storeId: string | null;
  delta: number;
  kind: string;
  reason: string | null;
  reference: string | null;
  idempotencyKey: string | null;
  balanceAfter: number;
  expiresAt: Date | null;
  at: Date;
}

/** One lot of a credit among those entries. */
export interface HistoryPointsLot {
  id: string;
  memberId: string;
  entryId: string;
  points: number;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date | null;
}

/** A lot that existed before and whose remaining the replay changed (FIFO debits). */
export interface LotRemaining {
  id: string;
  remaining: number;
}

/** A lot open (remaining > 0) before a replay, for its FIFO debits. */
export interface OpenLot {
  id: string;
  memberId: string;
  entryId: string;
  remaining: number;
  earnedAt: Date;
}

/**
 * The open lots of some members, oldest first (the FIFO order of debitPoints), read under the
 * caller's member row locks.
 */
export function openLotsSql(ctx: TenantContext, memberIds: string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT id, member_id AS "memberId", entry_id AS "entryId", remaining, earned_at AS "earnedAt"
    FROM points_lots
    WHERE tenant_id = ${ctx.tenantId} AND member_id = ANY(${memberIds}::text[]) AND remaining > 0
    ORDER BY member_id, earned_at, id`;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The points writes of a replayed history, set-based: one statement per kind of write (entries,
 * lots, changed lots, cached balances), whatever the number of members. The caller computed
 * every row with the ledger's own rules (creditPoints, debitPoints: debt repaid first, FIFO)
 * in event time and holds the members' row locks; `balances` adds each member's net change.
 * Entries are unique per member, kind and idempotency key, so a replay that lost a race writes
 * nothing twice (the statement fails and the batch rolls back).
 */
export function writeHistoryPointsSql(
  ctx: TenantContext,
  input: {
    entries: HistoryPointsEntry[];
    lots: HistoryPointsLot[];
    lotRemaining: LotRemaining[];
    balances: { memberId: string; delta: number }[];
  },
): Prisma.Sql[] {
  const t = ctx.tenantId;
  const out: Prisma.Sql[] = [];
  if (input.entries.length) {
    const rows = input.entries.map((e) => ({ ...e, expiresAt: iso(e.expiresAt), at: iso(e.at) }));
    out.push(Prisma.sql`
      INSERT INTO points_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, balance_after, expires_at, at, created_at)
      SELECT m.tenant_id, x.id, x."memberId", x."storeId", x.delta, x.kind, x.reason, x.reference, x."idempotencyKey", x."balanceAfter", x."expiresAt", x.at, now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "memberId" text, "storeId" text, delta int, kind text, reason text, reference text,
                                                             "idempotencyKey" text, "balanceAfter" int, "expiresAt" timestamptz, at timestamptz)
      -- tenant_id from the member row (on Citus: the tenant's shard, RLS kept).
      JOIN members m ON m.tenant_id = ${t} AND m.id = x."memberId"`);
  }
  if (input.lots.length) {
    const rows = input.lots.map((l) => ({ ...l, earnedAt: iso(l.earnedAt), expiresAt: iso(l.expiresAt) }));
    out.push(Prisma.sql`
      INSERT INTO points_lots (tenant_id, id, member_id, entry_id, points, remaining, earned_at, expires_at)
      SELECT m.tenant_id, x.id, x."memberId", x."entryId", x.points, x.remaining, x."earnedAt", x."expiresAt"
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "memberId" text, "entryId" text, points int, remaining int, "earnedAt" timestamptz, "expiresAt" timestamptz)
      JOIN members m ON m.tenant_id = ${t} AND m.id = x."memberId"`);
  }
  if (input.lotRemaining.length) {
    out.push(Prisma.sql`
      UPDATE points_lots l SET remaining = x.remaining
      FROM unnest(${input.lotRemaining.map((l) => l.id)}::text[], ${input.lotRemaining.map((l) => l.remaining)}::int[]) AS x(id, remaining)
      WHERE l.tenant_id = ${t} AND l.id = x.id`);
  }
  const balances = input.balances.filter((b) => b.delta !== 0);
  if (balances.length) {
    out.push(Prisma.sql`
      UPDATE members m SET points_balance = m.points_balance + x.delta, updated_at = now()
      FROM unnest(${balances.map((b) => b.memberId)}::text[], ${balances.map((b) => b.delta)}::int[]) AS x(id, delta)
      WHERE m.tenant_id = ${t} AND m.id = x.id`);
  }
  return out;
}
