import type { CouponDto, CouponTemplateDto } from './coupons.contract.ts';

type TemplateRow = {
  id: string;
  code: string;
  name: string;
  kind: string;
  amountCents: number | null;
  percentBps: number | null;
  minSpendCents: number;
  validDays: number;
  stock: number | null;
  issued: number;
  archivedAt: Date | null;
  createdAt: Date;
};
type CouponRow = { id: string; code: string; status: string; source: string; expiresAt: Date; usedAt: Date | null; orderId: string | null; createdAt: Date; template: TemplateRow };

export const toTemplateDto = (r: TemplateRow): CouponTemplateDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind as CouponTemplateDto['kind'],
  amountCents: r.amountCents,
  percentBps: r.percentBps,
  percentOffBps: r.percentBps,
  minSpendCents: r.minSpendCents,
  validDays: r.validDays,
  stock: r.stock,
  issued: r.issued,
  archivedAt: r.archivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/** An available coupon past its expiry reads as `expired` (nothing rewrites the row); a revoked one stays `revoked`. */
export function toCouponDto(r: CouponRow, now = new Date()): CouponDto {
  const t = toTemplateDto(r.template);
  return {
    id: r.id,
    code: r.code,
    template: { code: t.code, name: t.name, kind: t.kind, amountCents: t.amountCents, percentBps: t.percentBps, percentOffBps: t.percentBps, minSpendCents: t.minSpendCents },
    status: r.status === 'used' ? 'used' : r.status === 'revoked' ? 'revoked' : r.expiresAt <= now ? 'expired' : 'available',
    source: r.source,
    expiresAt: r.expiresAt.toISOString(),
    usedAt: r.usedAt?.toISOString() ?? null,
    orderId: r.orderId,
    createdAt: r.createdAt.toISOString(),
  };
}
