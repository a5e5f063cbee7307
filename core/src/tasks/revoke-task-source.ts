import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { revokeCoupons } from '../coupons/index.ts';
import { changeGrowth, GrowthKind } from '../growth/index.ts';
import { debitPoints, PointsKind } from '../points/index.ts';
import type { Program } from '../program/index.ts';
import { FIRST_ORDER_TASK } from './builtin-tasks.ts';

/**
 * An event no longer counts (its order was fully refunded, its activity revoked): every task
 * window that counted it is recounted in one statement (its `task_events` row, which lists them,
 * is deleted and each window loses 1),
 * and a window that was rewarded and now holds fewer than `target` events loses its reward
 * (API.md "Task rewards on refund"): the points through `debitPoints` under the tenant's
 * clawback policy (`debt` may go negative, `cap_at_balance` stops at zero), the growth through
 * `changeGrowth`, the reward coupon through the coupons module (`revokeCoupons`: revoked while
 * unused; one an order already used stays used, like points spent under `cap_at_balance`); the
 * window is then closed (`revoked_at`): it is not rewarded again. The windows of members merged into this one count too
 * (their events moved with the merge); what they lose is taken from the survivor (their coupons
 * moved to it). Returns the points and growth taken back and the coupons revoked. The caller
 * holds the member lock.
 */
export async function revokeTaskSource(
  tx: Tx,
  ctx: TenantContext,
  input: { memberId: string; source: string; storeId?: string | null; reference: string; program: Program; at: Date; reason: string },
): Promise<{ points: number; growth: number; couponsRevoked: string[] }> {
  const rows = await tx.$queryRaw<{ member_id: string; task_code: string; window_start: string; progress: number; target: number | null; reward_points: number; reward_growth: number; rewarded: boolean; coupon_id: string | null }[]>(Prisma.sql`
    WITH e AS (
      DELETE FROM task_events ev
      WHERE ev.tenant_id = ${ctx.tenantId} AND ev.source = ${input.source}
        -- A merged-away member's windows count the events that moved to the survivor.
        AND (ev.member_id = ${input.memberId}
             OR ev.member_id IN (SELECT mm.id FROM members mm WHERE mm.tenant_id = ${ctx.tenantId} AND mm.merged_into_id = ${input.memberId}))
      RETURNING ev.member_id, ev.task_codes, ev.window_starts
    ), w AS (
      SELECT e.member_id, x.task_code, x.window_start FROM e CROSS JOIN LATERAL unnest(e.task_codes, e.window_starts) AS x(task_code, window_start)
    ), r AS (
      UPDATE task_progress p SET progress = p.progress - 1, updated_at = now()
      FROM w
      WHERE p.tenant_id = ${ctx.tenantId} AND p.member_id = w.member_id AND p.task_code = w.task_code AND p.window_start = w.window_start
      RETURNING p.member_id, p.task_code, p.window_start, p.progress, p.reward_points, p.reward_growth, p.coupon_id, (p.rewarded_at IS NOT NULL AND p.revoked_at IS NULL) AS rewarded
    )
    SELECT r.member_id, r.task_code, to_char(r.window_start, 'YYYY-MM-DD') AS window_start, r.progress, t.target, r.reward_points, r.reward_growth, r.rewarded, r.coupon_id
    FROM r LEFT JOIN tasks t ON t.tenant_id = ${ctx.tenantId} AND t.code = r.task_code`);
  // Built-ins have no row in `tasks`: their target is 1.
  const lost = rows.filter((r) => r.rewarded && r.progress < (r.target ?? 1));
  let points = 0;
  let growth = 0;
  for (const r of lost) {
    const key = `task:${r.task_code}:${r.window_start}`;
    await tx.$executeRaw`UPDATE task_progress SET revoked_at = ${input.at}::timestamptz WHERE tenant_id = ${ctx.tenantId} AND member_id = ${r.member_id} AND task_code = ${r.task_code} AND window_start = ${r.window_start}::date`;
    const reason = r.task_code === FIRST_ORDER_TASK && r.target === null ? `first-order bonus taken back: ${input.reason}` : `task ${r.task_code} reward taken back: ${input.reason}`;
    if (r.reward_points > 0) {
      const d = await debitPoints(tx, ctx, {
        memberId: input.memberId,
        storeId: input.storeId,
        points: r.reward_points,
        kind: PointsKind.RefundClawback,
        reason,
        reference: input.reference,
        idempotencyKey: key,
        program: input.program,
        mode: input.program.refunds.clawback === 'debt' ? 'debt' : 'cap',
      });
      points += d.taken;
    }
    if (r.reward_growth > 0) {
      const g = await changeGrowth(tx, ctx, { memberId: input.memberId, storeId: input.storeId, delta: -r.reward_growth, kind: GrowthKind.RefundClawback, reason, reference: input.reference, idempotencyKey: key, at: input.at });
      growth += -g.applied;
    }
  }
  const couponsRevoked = await revokeCoupons(tx, ctx, input.memberId, lost.flatMap((r) => (r.coupon_id ? [r.coupon_id] : [])));
  return { points, growth, couponsRevoked };
}
