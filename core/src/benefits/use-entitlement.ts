import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import type { EntitlementUseInput } from './catalogue.contract.ts';
import { memberEntitlements } from './entitlements.ts';

export interface EntitlementUseResult {
  replayed: boolean;
  memberId: string;
  benefitCode: string;
  remaining: number | null;
  periodEnd: string;
}

/**
 * Uses (核销) one of a member's entitlements at `at`: takes the member row lock first, so
 * concurrent uses of one member serialise and a quota of n lets exactly n through; then checks
 * the entitlement of the current period (422 `not_entitled` without one, 422 `quota_exhausted`
 * when none is left) and records the use with its store, order and value. Idempotent by
 * `reference`: the same reference again replays the first answer; used for another member or
 * benefit it is 409. A coupon_pack is used through its coupons (422 business_rule here).
 */
export async function useEntitlement(tx: Tx, ctx: TenantContext, target: MemberTarget, benefitCode: string, input: EntitlementUseInput, at = new Date()): Promise<EntitlementUseResult> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const storeId = await resolveStoreId(tx, ctx, input.storeId, false);
  const [previous] = await tx.$queryRaw<{ member_id: string; code: string; remaining_after: number | null; period_end: Date }[]>`
    SELECT u.member_id, b.code, u.remaining_after, u.period_end
    FROM entitlement_uses u JOIN benefits b ON b.tenant_id = u.tenant_id AND b.id = u.benefit_id
    WHERE u.tenant_id = ${ctx.tenantId} AND u.reference = ${input.reference}`;
  if (previous) {
    if (previous.member_id !== memberId || previous.code !== benefitCode) throw conflict('This reference was used for another entitlement use');
    return { replayed: true, memberId, benefitCode, remaining: previous.remaining_after, periodEnd: previous.period_end.toISOString() };
  }
  const [ent] = await memberEntitlements(tx, ctx, memberId, at, { benefitCode });
  if (!ent) {
    const [known] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM benefits WHERE tenant_id = ${ctx.tenantId} AND code = ${benefitCode}`;
    if (!known) throw notFound(`Benefit ${benefitCode}`);
    throw new AppError('not_entitled', `The member has no ${benefitCode} entitlement now`);
  }
  if (ent.kind === 'coupon_pack') throw new AppError('business_rule', `${benefitCode} is a coupon pack: its coupons are used on orders`);
  if (ent.remaining !== null && ent.remaining <= 0) throw new AppError('quota_exhausted', `No ${benefitCode} left until ${ent.periodEnd}`);
  const remaining = ent.remaining === null ? null : ent.remaining - 1;
  const inserted = await tx.$executeRaw`
    INSERT INTO entitlement_uses (tenant_id, id, member_id, benefit_id, reference, source, period_start, period_end, store_id, order_external_id, value_cents, remaining_after, at)
    VALUES (${ctx.tenantId}, ${newId('eus')}, ${memberId}, ${ent.benefitId}, ${input.reference}, ${ent.source}, ${ent.periodStart}::timestamptz, ${ent.periodEnd}::timestamptz,
            ${storeId}::text, ${input.orderExternalId ?? null}::text, ${input.valueCents ?? null}::int, ${remaining}::int, ${at}::timestamptz)
    ON CONFLICT (tenant_id, reference) DO NOTHING`;
  // Another member's use took the reference meanwhile (it holds a different member lock).
  if (inserted === 0) throw conflict('This reference was used for another entitlement use');
  return { replayed: false, memberId, benefitCode, remaining, periodEnd: ent.periodEnd };
}
