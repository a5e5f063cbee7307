import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../shared/pagination.ts';
import { resolveMemberId, type MemberRef } from '../identities/index.ts';
import type { BenefitUsageDto } from './catalogue.contract.ts';

/**
 * A member's benefit usage, newest first: each entitlement use (核销) and each pricing benefit
 * the storefront reported on an order (`appliedBenefits`, kind as benefitCode). Keyset pages
 * over (at, id).
 */
export async function listBenefitUsages(tx: Tx, ctx: TenantContext, ref: MemberRef, page: PageQuery): Promise<Page<BenefitUsageDto>> {
  const memberId = await resolveMemberId(tx, ctx, ref);
  const cursor = decodeCursor(page.cursor);
  const t = ctx.tenantId;
  const after = cursor ? Prisma.sql`WHERE (x.at, x.id) < (${cursor.at}::timestamptz, ${cursor.id}::text)` : Prisma.empty;
  const rows = await tx.$queryRaw<{ id: string; benefitCode: string; name: string | null; kind: string; amountCents: bigint | number | null; storeId: string | null; reference: string | null; orderExternalId: string | null; at: Date }[]>`
    SELECT * FROM (
      SELECT u.id, b.code AS "benefitCode", b.name, b.kind, u.value_cents::bigint AS "amountCents", u.store_id AS "storeId", u.reference, u.order_external_id AS "orderExternalId", u.at
      FROM entitlement_uses u JOIN benefits b ON b.tenant_id = u.tenant_id AND b.id = u.benefit_id
      WHERE u.tenant_id = ${t} AND u.member_id = ${memberId}
      UNION ALL
      SELECT bu.id, bu.kind, NULL::text, bu.kind, bu.amount_cents, o.store_id, o.id, o.external_id, bu.created_at
      FROM benefit_usages bu LEFT JOIN orders o ON o.tenant_id = bu.tenant_id AND o.id = bu.order_id
      WHERE bu.tenant_id = ${t} AND bu.member_id = ${memberId}
    ) x ${after}
    ORDER BY x.at DESC, x.id DESC
    LIMIT ${page.limit + 1}`;
  const more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    benefitCode: r.benefitCode,
    name: r.name,
    kind: r.kind,
    amountCents: r.amountCents === null ? null : Number(r.amountCents),
    storeId: r.storeId,
    reference: r.reference,
    orderExternalId: r.orderExternalId,
    at: r.at.toISOString(),
  }));
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor({ at: new Date(last.at), id: last.id }) : null };
}
