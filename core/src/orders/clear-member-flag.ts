import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { getMemberView, type MemberDto } from '../members/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { forbidden } from '../shared/errors.ts';

/** Clears the refund-abuse flag (an admin action, audited). The member earns points again. */
export async function clearMemberFlag(tx: Tx, ctx: TenantContext, target: MemberTarget): Promise<MemberDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot clear the refund flag');
  const memberId = await lockTargetMember(tx, ctx, target);
  const before = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
    select: { flagged: true, flaggedAt: true },
  });
  if (before.flagged) {
    await tx.member.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, data: { flagged: false, flaggedAt: null } });
  }
  await recordAudit(tx, ctx, {
    action: 'member.flag_cleared',
    targetType: 'member',
    targetId: memberId,
    before: { flagged: before.flagged, flaggedAt: before.flaggedAt },
    after: { flagged: false },
  });
  return getMemberView(tx, ctx, memberId);
}
