import { Prisma } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newIdSql } from '../shared/ids.ts';

export interface CouponIssues {
  /**
   * What to issue: a SELECT (or CTE name) yielding `member_id`, `template_id`, `count` (coupons
   * for that row), `source_ref` (kept on each coupon) and `not_after` (timestamptz or NULL: the
   * coupons expire at the earlier of it and the template's validity from `at`).
   */
  rows: Prisma.Sql;
  source: 'benefit_pack';
  at: Date;
}

/**
 * Set-based coupon issue as two data-modifying CTEs for the caller's WITH: `coupons_issued`
 * (the coupons, RETURNING `member_id`, `template_id`, `source_ref`) and `coupon_templates_issued`
 * (each template's `issued` raised and a limited `stock` lowered by what it gave, never below 0).
 * Archived templates issue nothing. No `coupon.issued` events: the caller announces the batch
 * (a pack is one `entitlement.granted`).
 */
export function issueCouponsSql(ctx: TenantContext, c: CouponIssues): Prisma.Sql {
  const t = ctx.tenantId;
  return Prisma.sql`
    coupons_issued AS (
      INSERT INTO coupons (tenant_id, id, code, template_id, member_id, status, source, source_ref, expires_at, created_at)
      SELECT ${t}, ${newIdSql('cpn', c.at)}, 'C' || upper(substr(md5(gen_random_uuid()::text), 1, 16)), r.template_id, r.member_id, 'available', ${c.source},
             r.source_ref, LEAST(COALESCE(r.not_after, 'infinity'::timestamptz), ${c.at}::timestamptz + ct.valid_days * interval '1 day'), ${c.at}::timestamptz
      FROM (${c.rows}) r
      JOIN coupon_templates ct ON ct.tenant_id = ${t} AND ct.id = r.template_id AND ct.archived_at IS NULL
      CROSS JOIN LATERAL generate_series(1, r.count)
      RETURNING member_id, template_id, source_ref
    ),
    coupon_templates_issued AS (
      UPDATE coupon_templates SET issued = issued + x.n, stock = CASE WHEN stock IS NULL THEN NULL ELSE GREATEST(stock - x.n, 0) END
      FROM (SELECT template_id, count(*)::int AS n FROM coupons_issued GROUP BY template_id) x
      WHERE coupon_templates.tenant_id = ${t} AND coupon_templates.id = x.template_id
      RETURNING 1
    )`;
}
