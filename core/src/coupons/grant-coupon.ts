import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden, isUniqueViolation } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { toCouponDto } from './coupon-dto.ts';
import { findTemplate, issueCoupon } from './issue-coupon.ts';
import type { CouponDto } from './coupons.contract.ts';

/**
 * Manual grant by the merchant (POST /v1/members/:member/coupons), audited; takes the member
 * lock itself. With a `reference` it is idempotent: the coupon keeps it as its `source_ref`,
 * unique per tenant among manual grants (`coupons_manual_reference`), so a retry returns the
 * coupon the first grant issued (`replayed`) and takes no stock; the reference with another
 * member or template → 409. Concurrent retries for one member serialise on the member lock.
 */
export async function grantCoupon(
  tx: Tx,
  ctx: TenantContext,
  target: MemberTarget,
  input: { templateCode: string; reference?: string | undefined },
): Promise<{ coupon: CouponDto; replayed: boolean }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot grant coupons by hand');
  const memberId = await lockTargetMember(tx, ctx, target);
  const template = await findTemplate(tx, ctx, input.templateCode);
  if (!template || template.code !== input.templateCode) {
    throw new AppError('validation_failed', 'Unknown coupon template', { errors: [{ path: 'templateCode', message: 'No such template' }] });
  }
  const reference = input.reference ?? null;
  if (reference !== null) {
    const existing = await tx.coupon.findFirst({
      where: { tenantId: ctx.tenantId, source: 'manual', sourceRef: reference },
      include: { template: true },
    });
    if (existing) {
      if (existing.memberId !== memberId || existing.templateId !== template.id) {
        throw new AppError('idempotency_conflict', 'This reference was used for another coupon grant');
      }
      return { coupon: toCouponDto(existing, new Date()), replayed: true };
    }
  }
  let coupon: CouponDto;
  try {
    coupon = await issueCoupon(tx, ctx, memberId, { templateRef: template.id, source: 'manual', sourceRef: reference });
  } catch (e) {
    // Another member's grant with this reference committed meanwhile (only one member's lock is held).
    if (reference !== null && isUniqueViolation(e))
      throw new AppError('idempotency_conflict', 'This reference was used for another coupon grant');
    throw e;
  }
  await recordAudit(tx, ctx, {
    action: 'coupon.granted',
    targetType: 'member',
    targetId: memberId,
    after: { ...coupon, ...(reference !== null ? { reference } : {}) },
  });
  return { coupon, replayed: false };
}
