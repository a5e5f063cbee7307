import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** A member merge: the coupons of `fromId` (used or not) become the survivor's. The caller holds both row locks. */
export async function mergeCoupons(tx: Tx, ctx: TenantContext, fromId: string, toId: string): Promise<void> {
  await tx.$executeRaw`UPDATE coupons SET member_id = ${toId} WHERE tenant_id = ${ctx.tenantId} AND member_id = ${fromId}`;
}
