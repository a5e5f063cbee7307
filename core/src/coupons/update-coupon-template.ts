import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, forbidden, notFound } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { toTemplateDto } from './coupon-dto.ts';
import { kindTermIssues, type CouponTemplateDto, type CouponTemplatePatch } from './coupons.contract.ts';

/** The fields that say what an issued coupon is worth: coupons read them from the template at use. */
const TERMS = ['kind', 'amountCents', 'percentBps', 'minSpendCents'] as const;

/** Locks the template row, so a change serialises with issues (their guarded UPDATE takes the same row). */
export async function lockTemplate(tx: Tx, ctx: TenantContext, code: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM coupon_templates WHERE tenant_id = ${ctx.tenantId} AND code = ${code} FOR UPDATE`;
  if (!rows[0]) throw notFound(`Coupon template ${code}`);
  return tx.couponTemplate.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: rows[0].id } } });
}

/**
 * Partial update of a template (the code is immutable), audited with before and after. The
 * merged template must pass the create rules (400 with field paths). `stock` is how many may
 * still be issued from now on (null = unlimited): coupons already issued stay counted in
 * `issued`, so the total offered never falls below what was issued. The terms a coupon is
 * worth (kind, amount, percent, minimum spend) are read from the template when a coupon is
 * used, so they are fixed once a coupon was issued (409): archive it and create another.
 * `validDays` applies to coupons issued from now on (issued ones keep their `expiresAt`).
 */
export async function updateCouponTemplate(tx: Tx, ctx: TenantContext, code: string, patch: CouponTemplatePatch): Promise<CouponTemplateDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change coupon templates');
  const row = await lockTemplate(tx, ctx, code);
  const before = toTemplateDto(row);
  const merged = {
    kind: patch.kind ?? before.kind,
    amountCents: patch.amountCents !== undefined ? patch.amountCents : patch.kind && patch.kind !== 'amount' ? null : before.amountCents,
    percentBps: patch.percentBps !== undefined ? patch.percentBps : patch.kind && patch.kind !== 'percent' ? null : before.percentBps,
    minSpendCents: patch.minSpendCents ?? before.minSpendCents,
  };
  const issues = kindTermIssues(merged);
  if (issues.length) throw new AppError('validation_failed', 'The body did not validate', { errors: issues });
  if (row.issued > 0 && TERMS.some((k) => merged[k] !== before[k])) {
    throw conflict(`Coupon template ${code} has issued coupons: its terms (kind, amount, percent, minimum spend) can no longer change; archive it and create another`);
  }
  const updated = await tx.couponTemplate.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: row.id } },
    data: {
      ...merged,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.validDays !== undefined ? { validDays: patch.validDays } : {}),
      ...(patch.stock !== undefined ? { stock: patch.stock } : {}),
    },
  });
  const after = toTemplateDto(updated);
  await recordAudit(tx, ctx, { action: 'coupon_template.updated', targetType: 'coupon_template', targetId: row.id, before, after });
  return after;
}

/**
 * Archives a template (DELETE): no new coupons from it (grants, gifts and the exchange of a
 * reward that issues it: 422 archived), while coupons already issued keep working. Archiving
 * an archived template changes nothing. Audited.
 */
export async function archiveCouponTemplate(tx: Tx, ctx: TenantContext, code: string, at = new Date()): Promise<CouponTemplateDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change coupon templates');
  const row = await lockTemplate(tx, ctx, code);
  if (row.archivedAt) return toTemplateDto(row);
  const updated = await tx.couponTemplate.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: row.id } }, data: { archivedAt: at } });
  const dto = toTemplateDto(updated);
  await recordAudit(tx, ctx, { action: 'coupon_template.archived', targetType: 'coupon_template', targetId: row.id, before: toTemplateDto(row), after: dto });
  return dto;
}
