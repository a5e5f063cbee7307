import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/**
 * A member merge: the orders of `fromId` become the survivor's (refunds, spend and the
 * first-order rule follow the person), and so does the refund-abuse flag (flagged if either
 * was). The caller holds both row locks.
 */
export async function mergeOrders(tx: Tx, ctx: TenantContext, fromId: string, toId: string): Promise<void> {
  const t = ctx.tenantId;
  await tx.$executeRaw`UPDATE orders SET member_id = ${toId} WHERE tenant_id = ${t} AND member_id = ${fromId}`;
  await tx.$executeRaw`
    UPDATE members s SET flagged = true, flagged_at = COALESCE(s.flagged_at, f.flagged_at), updated_at = now()
    FROM members f
    WHERE s.tenant_id = ${t} AND s.id = ${toId} AND f.tenant_id = ${t} AND f.id = ${fromId} AND f.flagged AND NOT s.flagged`;
}
