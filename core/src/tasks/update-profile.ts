import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { getMemberView, profileFields, updateMemberProfile, type MemberDto, type ProfileField, type ProfilePatch } from '../members/index.ts';
import { getProgram, type Program } from '../program/index.ts';
import { applyUpgrade } from '../tiers/index.ts';
import { countTaskEvent, type TaskRewards } from './count-task-event.ts';

/** The source id the profile task counts (once per member). */
export const PROFILE_SOURCE = 'profile';

/**
 * Changes a member's profile (members owns the columns) and, when the profile then holds every
 * field of tasks.profileRequiredFields, counts profile_completed for the tasks (the built-in
 * profile task rewards once per member: docs/rules.md §15). Takes the member lock.
 */
export async function updateProfile(tx: Tx, ctx: TenantContext, target: MemberTarget, patch: ProfilePatch, now: Date = new Date()): Promise<MemberDto> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const program = await getProgram(tx, ctx);
  const fields = await updateMemberProfile(tx, ctx, memberId, patch);
  await countProfileCompleted(tx, ctx, program, memberId, fields, now);
  return getMemberView(tx, ctx, memberId);
}

/**
 * Counts profile_completed when the profile actually holds the required fields (never on a
 * caller's word). Returns the rewards (nothing when incomplete or already counted).
 */
export async function countProfileCompleted(
  tx: Tx,
  ctx: TenantContext,
  program: Program,
  memberId: string,
  fields: Record<ProfileField, boolean>,
  at: Date,
): Promise<TaskRewards | null> {
  if (!program.tasks.profileRequiredFields.every((f) => fields[f])) return null;
  const rewards = await countTaskEvent(tx, ctx, program, { memberId, event: 'profile_completed', source: PROFILE_SOURCE, at, reference: PROFILE_SOURCE });
  if (rewards.growth > 0) await applyUpgrade(tx, ctx, memberId, { at, reason: 'task' });
  return rewards;
}

/** The profile fields a member holds now, for callers that did not change them (the activity). */
export async function currentProfileFields(tx: Tx, ctx: TenantContext, memberId: string): Promise<Record<ProfileField, boolean>> {
  const row = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { name: true, phone: true, email: true, birthday: true } });
  return profileFields(row);
}
