import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { VerifyReport } from './points.contract.ts';

/**
 * Proves the ledger for one tenant, for every member:
 * - points_balance = sum(points ledger deltas);
 * - sum(remaining lots) = max(points_balance, 0) — a negative balance is debt, with no lot left;
 * - growth = sum(growth ledger deltas).
 * One statement, so one snapshot: a balance change commits with its entries and lots, so a
 * consistent snapshot never shows one without the other.
 */
export async function verifyLedger(tx: Tx, ctx: TenantContext): Promise<VerifyReport> {
  const rows = await tx.$queryRaw<
    { member_id: string; points_balance: number; points_ledger: bigint; lots_remaining: bigint; growth: number; growth_ledger: bigint }[]
  >`
    WITH m AS (
      SELECT id, points_balance, growth FROM members WHERE tenant_id = ${ctx.tenantId}
    ), p AS (
      SELECT member_id, SUM(delta) AS s FROM points_ledger WHERE tenant_id = ${ctx.tenantId} GROUP BY member_id
    ), l AS (
      SELECT member_id, SUM(remaining) AS s FROM points_lots WHERE tenant_id = ${ctx.tenantId} GROUP BY member_id
    ), g AS (
      SELECT member_id, SUM(delta) AS s FROM growth_ledger WHERE tenant_id = ${ctx.tenantId} GROUP BY member_id
    )
    SELECT m.id AS member_id, m.points_balance, COALESCE(p.s, 0)::bigint AS points_ledger,
           COALESCE(l.s, 0)::bigint AS lots_remaining, m.growth, COALESCE(g.s, 0)::bigint AS growth_ledger
    FROM m LEFT JOIN p ON p.member_id = m.id LEFT JOIN l ON l.member_id = m.id LEFT JOIN g ON g.member_id = m.id`;
  const mismatches = rows
    .map((r) => ({
      memberId: r.member_id,
      pointsBalance: r.points_balance,
      pointsLedger: Number(r.points_ledger),
      lotsRemaining: Number(r.lots_remaining),
      growth: r.growth,
      growthLedger: Number(r.growth_ledger),
    }))
    .filter((r) => r.pointsBalance !== r.pointsLedger || r.lotsRemaining !== Math.max(r.pointsBalance, 0) || r.growth !== r.growthLedger);
  return { members: rows.length, mismatches };
}
