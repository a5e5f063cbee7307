import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { afterCursor, decodeCursor, toPage, type Page } from '../shared/pagination.ts';
import { toCouponDto } from './coupon-dto.ts';
import type { CouponDto } from './coupons.contract.ts';

/** A member's coupons, newest first; status filters available / used / expired / revoked. */
export async function listMemberCoupons(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  query: { status?: 'available' | 'used' | 'expired' | 'revoked' | undefined; limit: number; cursor?: string | undefined },
  now = new Date(),
): Promise<Page<CouponDto>> {
  const status =
    query.status === 'used' || query.status === 'revoked'
      ? { status: query.status }
      : query.status === 'available'
        ? { status: 'available', expiresAt: { gt: now } }
        : query.status === 'expired'
          ? { status: 'available', expiresAt: { lte: now } }
          : {};
  const rows = await tx.coupon.findMany({
    where: { tenantId: ctx.tenantId, memberId, ...status, ...afterCursor(decodeCursor(query.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    include: { template: true },
  });
  return toPage(rows, query.limit, (r) => toCouponDto(r, now), (r) => r.createdAt);
}

/**
 * The member's available coupons (not used, not expired at `now`), soonest expiry first, up to
 * `limit`: one SELECT for a batch (the member center's first screen). Read its rows with
 * couponsFromRows.
 */
export function availableCouponsSql(ctx: TenantContext, memberId: string, now: Date, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT c.id, c.code, c.status, c.source, c.expires_at AS "expiresAt", c.used_at AS "usedAt", c.order_id AS "orderId", c.created_at AS "createdAt",
           t.id AS "tId", t.code AS "tCode", t.name AS "tName", t.kind AS "tKind", t.amount_cents AS "tAmountCents", t.percent_bps AS "tPercentBps",
           t.min_spend_cents AS "tMinSpendCents", t.valid_days AS "tValidDays", t.stock AS "tStock", t.issued AS "tIssued", t.archived_at AS "tArchivedAt", t.created_at AS "tCreatedAt"
    FROM coupons c JOIN coupon_templates t ON t.tenant_id = c.tenant_id AND t.id = c.template_id
    WHERE c.tenant_id = ${ctx.tenantId} AND c.member_id = ${memberId} AND c.status = 'available' AND c.expires_at > ${now}::timestamptz
    ORDER BY c.expires_at, c.id
    LIMIT ${limit}`;
}

/** Rows of availableCouponsSql as coupons. */
export function couponsFromRows(rows: Record<string, unknown>[], now = new Date()): CouponDto[] {
  return rows.map((r) =>
    toCouponDto(
      {
        id: r.id as string,
        code: r.code as string,
        status: r.status as string,
        source: r.source as string,
        expiresAt: r.expiresAt as Date,
        usedAt: (r.usedAt as Date | null) ?? null,
        orderId: (r.orderId as string | null) ?? null,
        createdAt: r.createdAt as Date,
        template: {
          id: r.tId as string,
          code: r.tCode as string,
          name: r.tName as string,
          kind: r.tKind as string,
          amountCents: (r.tAmountCents as number | null) ?? null,
          percentBps: (r.tPercentBps as number | null) ?? null,
          minSpendCents: r.tMinSpendCents as number,
          validDays: r.tValidDays as number,
          stock: (r.tStock as number | null) ?? null,
          issued: r.tIssued as number,
          archivedAt: (r.tArchivedAt as Date | null) ?? null,
          createdAt: r.tCreatedAt as Date,
        },
      },
      now,
    ),
  );
}
