import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** A member merge: every identity (openId per store) of `fromId` moves to `toId`. The caller holds both row locks. */
export async function mergeIdentities(tx: Tx, ctx: TenantContext, fromId: string, toId: string): Promise<void> {
  await tx.$executeRaw`UPDATE identities SET member_id = ${toId} WHERE tenant_id = ${ctx.tenantId} AND member_id = ${fromId}`;
}
