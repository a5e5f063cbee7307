import { randomBytes } from 'node:crypto';
import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { base58, newId } from '../shared/ids.ts';
import { emitEvent } from '../webhooks/index.ts';
import { toCouponDto } from './coupon-dto.ts';
import type { CouponDto } from './coupons.contract.ts';

const DAY_MS = 86_400_000;

/** Finds a template by id or code; unknown is 404-like validation for callers to map. */
export async function findTemplate(tx: Tx, ctx: TenantContext, ref: string) {
  return tx.couponTemplate.findFirst({ where: { tenantId: ctx.tenantId, OR: [{ id: ref }, { code: ref }] } });
}

/**
 * Issues one coupon of a template to a member: takes one from the template's stock with a
 * guarded UPDATE (`stock > 0`, not archived), so concurrent issues never exceed it (422
 * out_of_stock) and none is issued from a template archived meanwhile (422 archived), and
 * emits coupon.issued. The coupon expires validDays after `at`.
 */
export async function issueCoupon(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  input: { templateRef: string; source: 'manual' | 'birthday' | 'upgrade' | 'exchange' | 'plan' | 'task' | 'referral' | 'welcome'; sourceRef?: string | null; at?: Date },
): Promise<CouponDto> {
  const at = input.at ?? new Date();
  const template = await findTemplate(tx, ctx, input.templateRef);
  if (!template) throw new AppError('not_found', `Coupon template ${input.templateRef} not found`);
  const taken = await tx.$executeRaw`
    UPDATE coupon_templates SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - 1 END, issued = issued + 1
    WHERE tenant_id = ${ctx.tenantId} AND id = ${template.id} AND (stock IS NULL OR stock > 0) AND archived_at IS NULL`;
  if (taken === 0) {
    const now = await tx.couponTemplate.findUnique({ where: { tenantId_id: { tenantId: ctx.tenantId, id: template.id } }, select: { archivedAt: true } });
    if (now?.archivedAt) throw new AppError('archived', `Coupon template ${template.code} is archived`);
    throw new AppError('out_of_stock', `Coupon template ${template.code} is out of stock`);
  }
  const row = await tx.coupon.create({
    data: {
      tenantId: ctx.tenantId,
      id: newId('cpn'),
      code: `C${base58(randomBytes(9))}`,
      templateId: template.id,
      memberId,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      expiresAt: new Date(at.getTime() + template.validDays * DAY_MS),
      createdAt: at,
    },
    include: { template: true },
  });
  const dto = toCouponDto(row, at);
  await emitEvent(tx, ctx, {
    type: 'coupon.issued',
    memberId,
    data: { memberId, couponId: dto.id, code: dto.code, template: template.code, templateName: template.name, source: input.source, expiresAt: dto.expiresAt },
  });
  return dto;
}
