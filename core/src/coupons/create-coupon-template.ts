import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { conflict, forbidden, isUniqueViolation } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { toTemplateDto } from './coupon-dto.ts';
import type { CouponTemplateDto, CouponTemplateInput } from './coupons.contract.ts';

/** Creates a coupon template (audited); a taken code is 409. */
export async function createCouponTemplate(tx: Tx, ctx: TenantContext, input: CouponTemplateInput): Promise<CouponTemplateDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot create coupon templates');
  const existing = await tx.couponTemplate.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.code } }, select: { id: true } });
  if (existing) throw conflict(`Coupon template ${input.code} exists`);
  try {
    const row = await tx.couponTemplate.create({
      data: {
        tenantId: ctx.tenantId,
        id: newId('cpt'),
        code: input.code,
        name: input.name,
        kind: input.kind,
        amountCents: input.amountCents ?? null,
        percentBps: input.percentBps ?? null,
        minSpendCents: input.minSpendCents ?? 0,
        validDays: input.validDays,
        stock: input.stock ?? null,
      },
    });
    const dto = toTemplateDto(row);
    await recordAudit(tx, ctx, { action: 'coupon_template.created', targetType: 'coupon_template', targetId: row.id, after: dto });
    return dto;
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(`Coupon template ${input.code} exists`);
    throw e;
  }
}
