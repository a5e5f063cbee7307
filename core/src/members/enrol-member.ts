import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { bindIdentity, memberIdByUnionIdSql } from '../identities/index.ts';
import { issueCoupon } from '../coupons/index.ts';
import { getProgram } from '../program/index.ts';
import { getLadder, recordTierChange, startOnboardingTrial } from '../tiers/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { getMemberView } from './member-view.ts';
import type { EnrolMemberInput, MemberDto } from './members.contract.ts';

/**
 * Enrols a member idempotently by unionId: a new unionId creates the member in the entry tier
 * (201); a known one returns it (200), binding the openId if it is new. Concurrent enrolments
 * of one unionId create one member (ON CONFLICT DO NOTHING, then read). `at` is the join time
 * (event time, default now): the member's createdAt, its first tier_changes row and the
 * member.created event carry it, so history seeded or imported from the past reads forward.
 * A new member gets the onboarding of the program (docs/rules.md §15): the trial tier for
 * `onboarding.trialDays` and one coupon of each `onboarding.welcomeCouponTemplateCodes` (a
 * template out of stock or archived is skipped). `referredBy` naming the member itself, or a
 * member whose own chain of inviters leads back to it, is refused (400).
 */
export async function enrolMember(
  tx: Tx,
  ctx: TenantContext,
  input: EnrolMemberInput,
  at: Date = new Date(),
): Promise<{ member: MemberDto; created: boolean }> {
  const ladder = await getLadder(tx, ctx);
  const entry = ladder[0];
  if (!entry) throw new AppError('business_rule', 'The tenant has no tier ladder');
  let referredById: string | null = null;
  if (input.referredBy) {
    if (input.referredBy === input.unionId) {
      throw new AppError('validation_failed', 'A member cannot refer themselves', { errors: [{ path: 'referredBy', message: 'Must differ from unionId' }] });
    }
    // Through the resolver's alias: a merged referrer's unionId names the survivor. A referrer
    // who is this member (an alias of it) or was invited, along their chain, by this member
    // would make a cycle.
    const [referrer] = await tx.$queryRaw<{ id: string | null; self: string | null; cycle: boolean }[]>`
      WITH RECURSIVE r AS (SELECT ${memberIdByUnionIdSql(ctx, input.referredBy)} AS id, ${memberIdByUnionIdSql(ctx, input.unionId)} AS self),
      chain(id, depth) AS (
        SELECT r.id, 0 FROM r WHERE r.id IS NOT NULL
        UNION ALL
        SELECT m.referred_by_id, chain.depth + 1 FROM chain JOIN members m ON m.tenant_id = ${ctx.tenantId} AND m.id = chain.id
        WHERE m.referred_by_id IS NOT NULL AND chain.depth < 100
      )
      SELECT r.id, r.self, EXISTS (SELECT 1 FROM chain WHERE chain.id = r.self) AS cycle FROM r`;
    if (!referrer?.id) throw new AppError('validation_failed', 'Unknown referrer', { errors: [{ path: 'referredBy', message: 'No member with this unionId' }] });
    if (referrer.cycle) {
      throw new AppError('validation_failed', 'A referral cannot go round in a circle', { errors: [{ path: 'referredBy', message: 'This member was invited by this unionId, directly or not' }] });
    }
    referredById = referrer.id;
  }
  // A store-bound key or store-limited user supplies the store (requestedStoreId decides).
  if (input.openId && !input.storeId && !ctx.boundStoreId && !ctx.storeIds?.length) {
    throw new AppError('validation_failed', 'openId needs a storeId with a tenant-wide key', { errors: [{ path: 'storeId', message: 'Required with openId' }] });
  }
  const p = input.profile ?? {};
  const id = newId('mem');
  const inserted = await tx.member.createMany({
    data: [
      {
        tenantId: ctx.tenantId,
        id,
        unionId: input.unionId,
        name: p.name ?? null,
        phone: p.phone ?? null,
        email: p.email ?? null,
        birthday: p.birthday ? new Date(`${p.birthday}T00:00:00Z`) : null,
        referredById,
        tierCode: entry.code,
        tierSince: at,
        createdAt: at,
      },
    ],
    skipDuplicates: true,
  });
  const created = inserted.count === 1;
  // Enrolling a merged member's unionId returns the survivor (the identities resolver's alias).
  const [found] = await tx.$queryRaw<{ id: string }[]>`SELECT ${memberIdByUnionIdSql(ctx, input.unionId)} AS id`;
  const member = { id: found!.id };
  if (input.openId) await bindIdentity(tx, ctx, member.id, { storeId: input.storeId, openId: input.openId });
  if (created) {
    await recordTierChange(tx, ctx, { memberId: member.id, from: null, to: entry.code, reason: 'enrolled', at });
    await emitEvent(tx, ctx, { type: 'member.created', memberId: member.id, at, data: { memberId: member.id, unionId: input.unionId, tier: entry.code } });
    await onboard(tx, ctx, member.id, at);
  }
  return { member: await getMemberView(tx, ctx, member.id), created };
}

/** The program's onboarding for a new member: the trial tier and the welcome coupons. */
async function onboard(tx: Tx, ctx: TenantContext, memberId: string, at: Date): Promise<void> {
  const { onboarding } = await getProgram(tx, ctx);
  if (onboarding.trialTierCode) await startOnboardingTrial(tx, ctx, memberId, { tierCode: onboarding.trialTierCode, days: onboarding.trialDays }, at);
  for (const code of onboarding.welcomeCouponTemplateCodes) {
    try {
      await issueCoupon(tx, ctx, memberId, { templateRef: code, source: 'welcome', sourceRef: `welcome:${memberId}:${code}`, at });
    } catch (error) {
      // A template out of stock, archived or removed gives nothing; the enrolment stands.
      if (!(error instanceof AppError) || !['out_of_stock', 'archived', 'not_found'].includes(error.code)) throw error;
    }
  }
}
