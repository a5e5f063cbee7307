import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, validationFailed } from '../shared/errors.ts';
import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';
import { getProgram, programZone } from '../program/index.ts';
import { entitlementGrantsSql } from './entitlements.ts';

export interface BenefitAnalytics {
  from: string;
  to: string;
  benefits: { benefitCode: string; name: string; kind: string; entitledMembers: number; members: number; uses: number; valueCents: number; usageRateBps: number }[];
  stores: { storeId: string | null; code: string | null; channel: string | null; uses: number; valueCents: number }[];
}

/**
 * Entitlement use over local days [from, to]: per benefit the uses, the members who used it,
 * the value given away and the usage rate (members who used it / members entitled to it now, in
 * basis points); per store (and so channel) the uses and value. Set-based statements.
 */
export async function benefitAnalytics(tx: Tx, ctx: TenantContext, query: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<BenefitAnalytics> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read analytics');
  const program = await getProgram(tx, ctx);
  const { timezone } = program;
  const to = query.to ?? localDate(now, timezone);
  const from = query.from ?? addDays(to, -29);
  const start = startOfLocalDay(from, timezone);
  const end = startOfLocalDay(addDays(to, 1), timezone);
  if (end <= start) throw validationFailed([{ path: 'query.from', message: 'must not be after `to`' }]);
  if (end.getTime() - start.getTime() > 367 * 86_400_000) throw validationFailed([{ path: 'query.from', message: 'the range is at most 366 days' }]);
  const t = ctx.tenantId;
  const entitled = entitlementGrantsSql(ctx, { members: Prisma.sql`SELECT id AS member_id FROM members WHERE tenant_id = ${t} AND merged_into_id IS NULL`, at: now, zone: programZone(program) });
  const benefits = await tx.$queryRaw<{ code: string; name: string; kind: string; entitled: bigint; members: bigint; uses: bigint; value: bigint }[]>`
    WITH u AS (
      SELECT benefit_id, count(*) AS uses, count(DISTINCT member_id) AS members, COALESCE(sum(value_cents), 0)::bigint AS value
      FROM entitlement_uses WHERE tenant_id = ${t} AND at >= ${start}::timestamptz AND at < ${end}::timestamptz GROUP BY benefit_id
    ),
    e AS (SELECT benefit_id, count(*) AS entitled FROM (${entitled}) g GROUP BY benefit_id)
    SELECT b.code, b.name, b.kind, COALESCE(e.entitled, 0) AS entitled, COALESCE(u.members, 0) AS members, COALESCE(u.uses, 0) AS uses, COALESCE(u.value, 0) AS value
    FROM benefits b LEFT JOIN u ON u.benefit_id = b.id LEFT JOIN e ON e.benefit_id = b.id
    WHERE b.tenant_id = ${t} AND (b.archived_at IS NULL OR u.uses IS NOT NULL)
    ORDER BY b.created_at, b.id`;
  const stores = await tx.$queryRaw<{ storeId: string | null; code: string | null; channel: string | null; uses: bigint; value: bigint }[]>`
    SELECT u.store_id AS "storeId", s.code, s.channel::text AS channel, count(*) AS uses, COALESCE(sum(u.value_cents), 0)::bigint AS value
    FROM entitlement_uses u LEFT JOIN stores s ON s.tenant_id = u.tenant_id AND s.id = u.store_id
    WHERE u.tenant_id = ${t} AND u.at >= ${start}::timestamptz AND u.at < ${end}::timestamptz
    GROUP BY u.store_id, s.code, s.channel ORDER BY count(*) DESC, s.code NULLS LAST`;
  return {
    from,
    to,
    benefits: benefits.map((b) => {
      const entitledMembers = Number(b.entitled);
      const members = Number(b.members);
      return {
        benefitCode: b.code,
        name: b.name,
        kind: b.kind,
        entitledMembers,
        members,
        uses: Number(b.uses),
        valueCents: Number(b.value),
        usageRateBps: entitledMembers > 0 ? Math.min(10_000, Math.round((members * 10_000) / entitledMembers)) : 0,
      };
    }),
    stores: stores.map((s) => ({ storeId: s.storeId, code: s.code, channel: s.channel, uses: Number(s.uses), valueCents: Number(s.value) })),
  };
}
