import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { resolveStoreId } from '../stores/index.ts';

export const OPENID_PREFIX = 'openid:';

export interface MemberRef {
  /** A unionId, or `openid:<openId>` (needs a store-bound key or a storeId). */
  ref: string;
  storeId?: string | null | undefined;
}

/**
 * Finds the member a path `:member` names, within the context's tenant. With `forUpdate`
 * the member row is locked for the rest of the transaction: every balance change takes this
 * lock first, so concurrent writers to one member serialise and cannot lose an update.
 */
export async function resolveMemberId(tx: Tx, ctx: TenantContext, ref: MemberRef, options: { forUpdate?: boolean } = {}): Promise<string> {
  let memberId: string | undefined;
  if (ref.ref.startsWith(OPENID_PREFIX)) {
    const openId = ref.ref.slice(OPENID_PREFIX.length);
    if (!openId) throw notFound('Member');
    const storeId = await resolveStoreId(tx, ctx, ref.storeId, false);
    if (!storeId) {
      throw new AppError('validation_failed', 'Addressing a member by openId needs a store-bound key or ?storeId=', {
        errors: [{ path: 'storeId', message: 'Required with openid:' }],
      });
    }
    const identity = await tx.identity.findUnique({
      where: { tenantId_storeId_openId: { tenantId: ctx.tenantId, storeId, openId } },
      select: { memberId: true },
    });
    memberId = identity?.memberId;
  } else {
    const member = await tx.member.findUnique({
      where: { tenantId_unionId: { tenantId: ctx.tenantId, unionId: ref.ref } },
      select: { id: true, mergedIntoId: true },
    });
    // A merged member's unionId is an alias of the survivor (merges never chain: a survivor
    // cannot itself be merged away while it has been merged into).
    memberId = member?.mergedIntoId ?? member?.id;
  }
  if (!memberId) throw notFound('Member');
  if (options.forUpdate) await lockMember(tx, ctx, memberId);
  return memberId;
}

/** Row lock on the member: the serialisation point for every balance change of one member. */
export async function lockMember(tx: Tx, ctx: TenantContext, memberId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${memberId} FOR UPDATE`;
}
