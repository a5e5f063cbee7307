import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/**
 * Takes back coupons issued with a reward that was lost (a task window's reward on a full
 * refund): each one still `available` becomes `revoked` (no longer usable, listed as such);
 * one already used stays used — what an order spent is not clawed back. Returns the ids
 * revoked. The caller holds the member lock, so no order of the member uses them meanwhile.
 */
export async function revokeCoupons(tx: Tx, ctx: TenantContext, memberId: string, couponIds: string[]): Promise<string[]> {
  if (couponIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE coupons SET status = 'revoked'
    WHERE tenant_id = ${ctx.tenantId} AND member_id = ${memberId} AND id = ANY(${couponIds}::text[]) AND status = 'available'
    RETURNING id`;
  return rows.map((r) => r.id);
}
