import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { getMemberView } from './member-view.ts';
import type { MemberDto } from './members.contract.ts';

export interface ProfilePatch {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  birthday?: string | undefined;
}

/**
 * Changes the given profile fields of a member (absent fields stay) and returns the member.
 * Under the member lock, like every change of a member row.
 */
export async function updateMemberProfile(tx: Tx, ctx: TenantContext, target: MemberTarget, patch: ProfilePatch, at = new Date()): Promise<MemberDto> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const sets: Prisma.Sql[] = [];
  if (patch.name !== undefined) sets.push(Prisma.sql`name = ${patch.name}`);
  if (patch.phone !== undefined) sets.push(Prisma.sql`phone = ${patch.phone}`);
  if (patch.email !== undefined) sets.push(Prisma.sql`email = ${patch.email}`);
  if (patch.birthday !== undefined) sets.push(Prisma.sql`birthday = ${patch.birthday}::date`);
  if (sets.length) {
    await tx.$executeRaw`UPDATE members SET ${Prisma.join(sets, ', ')}, updated_at = now() WHERE tenant_id = ${ctx.tenantId} AND id = ${memberId}`;
  }
  return getMemberView(tx, ctx, memberId, at);
}
