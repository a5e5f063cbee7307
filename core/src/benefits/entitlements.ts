import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { getProgram, programZone } from '../program/index.ts';
import type { ZoneHistory } from '../shared/time.ts';
import type { EntitlementDto } from './catalogue.contract.ts';

/**
 * The grants in force for the members of `members` (a SELECT yielding `member_id`) at `at`, one
 * row per member and benefit: the larger quota of every tier and plan grant that applies
 * (unlimited beats any count; a tie goes to the tier), with its period in the tenant zone.
 *
 * - A tier grant applies to its tier and every higher one (by rank), or to its tier only with
 *   `exact_tier`; its periods are calendar periods (weeks start Monday).
 * - A plan grant applies while the member's plan runs (`until` after `at`; `packsOnly` also
 *   leaves out a cancelled plan, which issues no new pack); its periods count from the
 *   subscription's start.
 * - An archived benefit keeps the periods that began before it was archived, and no others.
 *
 * Yields `member_id`, `benefit_id`, `granted` (NULL = unlimited), `per`, `source`,
 * `period_start`, `period_end`, and the benefit's columns as `b_*`.
 *
 * Periods come from `up_benefit_period` with the zone's last change: a change of the tenant's
 * zone applies from the next period on (the running one ends at the new zone's end of it).
 */
export function entitlementGrantsSql(ctx: TenantContext, opts: { members: Prisma.Sql; at: Date; zone: ZoneHistory; packsOnly?: boolean; benefitCode?: string }): Prisma.Sql {
  const t = ctx.tenantId;
  const at = Prisma.sql`${opts.at}::timestamptz`;
  // The zone and its last change: a period running at a change keeps the zone before it.
  const tz = Prisma.sql`${opts.zone.timezone}::text, ${opts.zone.previous}::text, ${opts.zone.changedAt}::timestamptz`;
  const kindFilter = opts.packsOnly ? Prisma.sql`AND b.kind = 'coupon_pack'` : Prisma.empty;
  const codeFilter = opts.benefitCode !== undefined ? Prisma.sql`AND b.code = ${opts.benefitCode}` : Prisma.empty;
  const planStatus = opts.packsOnly ? Prisma.sql`AND mp.status <> 'cancelled'` : Prisma.empty;
  return Prisma.sql`
    SELECT e.member_id, e.benefit_id, e.granted, e.per, e.source, lower(e.period) AS period_start, upper(e.period) AS period_end,
           b.code AS b_code, b.name AS b_name, b.description AS b_description, b.category AS b_category, b.kind AS b_kind, b.icon AS b_icon,
           b.coupon_template_id AS b_template_id, b.created_at AS b_created_at
    FROM (
      SELECT DISTINCT ON (c.member_id, c.benefit_id) c.member_id, c.benefit_id, c.granted, c.per, c.source,
             CASE WHEN c.anchor IS NULL THEN cal.period ELSE up_benefit_period(c.per, c.anchor, ${at}, ${tz}) END AS period
      FROM (
        SELECT m.id AS member_id, g.benefit_id, g.count AS granted, g.per, 'tier'::text AS source, NULL::timestamptz AS anchor
        FROM (${opts.members}) sel
        JOIN members m ON m.tenant_id = ${t} AND m.id = sel.member_id
        JOIN tiers mt ON mt.tenant_id = ${t} AND mt.code = m.tier_code
        JOIN tiers gt ON gt.tenant_id = ${t} AND gt.rank <= mt.rank
        JOIN benefit_grants g ON g.tenant_id = ${t} AND g.tier_code = gt.code AND (NOT g.exact_tier OR gt.code = mt.code)
        UNION ALL
        SELECT mp.member_id, g.benefit_id, g.count, g.per, 'plan', mp.started_at
        FROM (${opts.members}) sel
        JOIN member_plans mp ON mp.tenant_id = ${t} AND mp.member_id = sel.member_id AND mp.until > ${at} ${planStatus}
        JOIN benefit_grants g ON g.tenant_id = ${t} AND g.plan_id = mp.plan_id
      ) c
      JOIN (SELECT p AS per, up_benefit_period(p, NULL, ${at}, ${tz}) AS period FROM unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) p) cal ON cal.per = c.per
      ORDER BY c.member_id, c.benefit_id, c.granted DESC NULLS FIRST, c.source DESC
    ) e
    JOIN benefits b ON b.tenant_id = ${t} AND b.id = e.benefit_id ${kindFilter} ${codeFilter}
    WHERE b.archived_at IS NULL OR b.archived_at > lower(e.period)`;
}

interface EntitlementRow {
  benefit_id: string;
  granted: number | null;
  per: string;
  source: string;
  period_start: Date;
  period_end: Date;
  b_code: string;
  b_name: string;
  b_description: string | null;
  b_category: string;
  b_kind: string;
  b_icon: string | null;
  used: bigint | number;
}

export interface Entitlement extends EntitlementDto {
  benefitId: string;
}

/**
 * A member's entitlements at `now`, as one read statement for a caller's batch (GET /v1/me
 * sends it with the rest of its first screen): for each benefit a tier or plan grants them, the
 * current period, its quota and what was used in it (uses made in the period whatever the
 * source, so after an upgrade `remaining` = the new count − used this period; for a
 * coupon_pack, the pack's coupons used). Read its rows with `entitlementsFromRows`.
 */
export function memberEntitlementsSql(ctx: TenantContext, memberId: string, now: Date, zone: ZoneHistory, opts: { benefitCode?: string } = {}): Prisma.Sql {
  const t = ctx.tenantId;
  const grants = entitlementGrantsSql(ctx, { members: Prisma.sql`SELECT ${memberId}::text AS member_id`, at: now, zone, ...opts });
  return Prisma.sql`
    SELECT e.*,
           CASE WHEN e.b_kind = 'coupon_pack' THEN
             (SELECT count(*) FROM benefit_packs p JOIN coupons c ON c.tenant_id = p.tenant_id AND c.source = 'benefit_pack' AND c.source_ref = p.id
              WHERE p.tenant_id = ${t} AND p.member_id = e.member_id AND p.benefit_id = e.benefit_id AND p.period_start = e.period_start AND c.status = 'used')
           ELSE
             (SELECT count(*) FROM entitlement_uses u
              WHERE u.tenant_id = ${t} AND u.member_id = e.member_id AND u.benefit_id = e.benefit_id AND u.at >= e.period_start AND u.at < e.period_end)
           END AS used
    FROM (${grants}) e
    ORDER BY e.b_created_at, e.benefit_id`;
}

/** The rows of memberEntitlementsSql as entitlements. */
export function entitlementsFromRows(rows: Record<string, unknown>[]): Entitlement[] {
  return (rows as unknown as EntitlementRow[]).map((r) => {
    const used = Number(r.used);
    return {
      benefitId: r.benefit_id,
      benefitCode: r.b_code,
      name: r.b_name,
      description: r.b_description,
      category: r.b_category as EntitlementDto['category'],
      kind: r.b_kind as EntitlementDto['kind'],
      icon: r.b_icon,
      per: r.per as EntitlementDto['per'],
      periodStart: r.period_start.toISOString(),
      periodEnd: r.period_end.toISOString(),
      granted: r.granted,
      used,
      remaining: r.granted === null ? null : Math.max(0, r.granted - used),
      source: r.source as EntitlementDto['source'],
    };
  });
}

/**
 * A member's entitlements at `now` (memberEntitlementsSql, one statement). Read-only: safe for
 * the member center and any caller.
 */
export async function memberEntitlements(tx: Tx, ctx: TenantContext, memberId: string, now: Date, opts: { benefitCode?: string } = {}): Promise<Entitlement[]> {
  const zone = programZone(await getProgram(tx, ctx));
  return entitlementsFromRows(await tx.$queryRaw<Record<string, unknown>[]>(memberEntitlementsSql(ctx, memberId, now, zone, opts)));
}

/** Strips the internal id for the API. */
export function toEntitlementDto(e: Entitlement): EntitlementDto {
  const { benefitId: _id, ...dto } = e;
  return dto;
}
