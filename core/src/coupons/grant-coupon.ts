import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { findTemplate, issueCoupon } from './issue-coupon.ts';
import type { CouponDto } from './coupons.contract.ts';

/** Manual grant by the merchant (POST /v1/members/:member/coupons), audited. */
export async function grantCoupon(tx: Tx, ctx: TenantContext, target: MemberTarget, input: { templateCode: string }): Promise<CouponDto> {
  const memberId = await lockTargetMember(tx, ctx, target);
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot grant coupons by hand');
  const template = await findTemplate(tx, ctx, input.templateCode);
  if (!template || template.code !== input.templateCode) {
    throw new AppError('validation_failed', 'Unknown coupon template', { errors: [{ path: 'templateCode', message: 'No such template' }] });
  }
  const coupon = await issueCoupon(tx, ctx, memberId, { templateRef: template.id, source: 'manual' });
  await recordAudit(tx, ctx, { action: 'coupon.granted', targetType: 'member', targetId: memberId, after: coupon });
  return coupon;
}
