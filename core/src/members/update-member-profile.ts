import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { ProfilePatch } from './members.contract.ts';

export type ProfileField = 'name' | 'phone' | 'email' | 'birthday';

/**
 * Writes the profile columns the patch names (null clears one; the members module owns them)
 * and returns which fields hold a value afterwards. The caller holds the member lock.
 */
export async function updateMemberProfile(tx: Tx, ctx: TenantContext, memberId: string, patch: ProfilePatch): Promise<Record<ProfileField, boolean>> {
  const row = await tx.member.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.birthday !== undefined ? { birthday: patch.birthday === null ? null : new Date(`${patch.birthday}T00:00:00Z`) } : {}),
    },
    select: { name: true, phone: true, email: true, birthday: true },
  });
  return profileFields(row);
}

/** Which profile fields of a member row hold a (non-blank) value. */
export function profileFields(row: { name: string | null; phone: string | null; email: string | null; birthday: Date | null }): Record<ProfileField, boolean> {
  const has = (v: string | null) => v !== null && v.trim() !== '';
  return { name: has(row.name), phone: has(row.phone), email: has(row.email), birthday: row.birthday !== null };
}
