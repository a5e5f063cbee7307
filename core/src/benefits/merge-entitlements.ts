import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/**
 * A member merge (docs/rules.md §14): the merged member's entitlement uses and coupon packs
 * become the survivor's, so what either used in a period counts once against the survivor's
 * quota there, and a pack either received is not issued to the survivor again.
 * - Uses move as they are (their period, reference and value stay; `used` counts them in the
 *   survivor's period).
 * - A pack moves unless the survivor holds the same benefit's pack of that period already
 *   (the unique key allows one): that one stays the survivor's, and the merged member's stays
 *   where it was, its coupons already the survivor's through the coupons module's merge.
 * Both tables are append-only but for this move. The caller holds both row locks.
 */
export async function mergeEntitlements(tx: Tx, ctx: TenantContext, fromId: string, toId: string): Promise<{ uses: number; packs: number }> {
  const t = ctx.tenantId;
  const uses = await tx.$executeRaw`UPDATE entitlement_uses SET member_id = ${toId} WHERE tenant_id = ${t} AND member_id = ${fromId}`;
  const packs = await tx.$executeRaw`
    UPDATE benefit_packs p SET member_id = ${toId}
    WHERE p.tenant_id = ${t} AND p.member_id = ${fromId}
      AND NOT EXISTS (SELECT 1 FROM benefit_packs s WHERE s.tenant_id = ${t} AND s.member_id = ${toId} AND s.benefit_id = p.benefit_id AND s.period_start = p.period_start)`;
  return { uses, packs };
}
