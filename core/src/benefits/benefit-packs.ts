import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newIdSql } from '../shared/ids.ts';
import { issueCouponsSql } from '../coupons/index.ts';
import { getProgram, programZone } from '../program/index.ts';
import type { ZoneHistory } from '../shared/time.ts';
import { outboxRowsFromSelectSql } from '../webhooks/index.ts';
import { entitlementGrantsSql } from './entitlements.ts';

export const PACK_BATCH_SIZE = 5000;

export interface PackBatch {
  /** Packs issued by this call. */
  packs: number;
  /** Coupons issued by this call. */
  coupons: number;
  /** The last member id the batch covered: the next batch starts after it (null: none left). */
  lastMemberId: string | null;
}

/**
 * One statement that issues, for the members it selects, the current period's pack of every
 * coupon_pack benefit they are entitled to at `at`: a `benefit_packs` row per member, benefit and
 * period (ON CONFLICT DO NOTHING on that unique key, so a rerun, a crash-resume or a concurrent
 * run issues nothing twice), `count` coupons of the template through the coupons module's
 * builder (expiring at the earlier of the period end and the template's validity), and one
 * `entitlement.granted` event per pack. Cancelled plans issue no new pack.
 */
function packStatementSql(ctx: TenantContext, members: Prisma.Sql, at: Date, zone: ZoneHistory): Prisma.Sql {
  const t = ctx.tenantId;
  const grants = entitlementGrantsSql(ctx, { members: Prisma.sql`SELECT member_id FROM sel`, at, zone, packsOnly: true });
  return Prisma.sql`
    WITH sel AS MATERIALIZED (${members}),
    due AS (${grants}),
    packs AS (
      INSERT INTO benefit_packs (tenant_id, id, member_id, benefit_id, period_start, period_end, count, source, issued_at)
      SELECT ${t}, ${newIdSql('bpk', at)}, d.member_id, d.benefit_id, d.period_start, d.period_end, d.granted, d.source, ${at}::timestamptz
      FROM due d
      JOIN coupon_templates ct ON ct.tenant_id = ${t} AND ct.id = d.b_template_id AND ct.archived_at IS NULL
      ORDER BY d.member_id, d.benefit_id
      ON CONFLICT (tenant_id, member_id, benefit_id, period_start) DO NOTHING
      RETURNING id, member_id, benefit_id, period_start, period_end, count, source
    ),
    ${issueCouponsSql(ctx, {
      rows: Prisma.sql`SELECT p.member_id, b.coupon_template_id AS template_id, p.count, p.id AS source_ref, p.period_end AS not_after
                       FROM packs p JOIN benefits b ON b.tenant_id = ${t} AND b.id = p.benefit_id`,
      source: 'benefit_pack',
      at,
    })},
    events AS (${outboxRowsFromSelectSql(ctx, {
      type: 'entitlement.granted',
      rows: Prisma.sql`SELECT p.member_id, jsonb_build_object('memberId', p.member_id, 'benefitCode', b.code, 'name', b.name, 'kind', b.kind, 'source', p.source, 'count', p.count,
                                                             'periodStart', p.period_start, 'periodEnd', p.period_end, 'packId', p.id) AS data
                       FROM packs p JOIN benefits b ON b.tenant_id = ${t} AND b.id = p.benefit_id`,
      createdAt: at,
    })})
    SELECT (SELECT count(*) FROM packs)::int AS packs, (SELECT count(*) FROM coupons_issued)::int AS coupons,
           (SELECT count(*) FROM coupon_templates_issued)::int AS templates, (SELECT count(*) FROM events)::int AS events,
           (SELECT max(member_id) FROM sel) AS "lastMemberId"`;
}

/**
 * The pack job's batch: members with id after `afterMemberId`, up to `limit` of them in id
 * order (one set-based statement, no per-member loop). The worker runs batches in their own
 * transactions until `lastMemberId` is null; a crash between two leaves the done ones done.
 */
export async function issueBenefitPacks(tx: Tx, ctx: TenantContext, input: { at: Date; afterMemberId?: string | null; limit?: number }): Promise<PackBatch> {
  const zone = programZone(await getProgram(tx, ctx));
  const limit = input.limit ?? PACK_BATCH_SIZE;
  const members = Prisma.sql`
    SELECT id AS member_id FROM members
    WHERE tenant_id = ${ctx.tenantId} AND merged_into_id IS NULL AND id > ${input.afterMemberId ?? ''}
    ORDER BY id LIMIT ${limit}`;
  const [r] = await tx.$queryRaw<{ packs: number; coupons: number; lastMemberId: string | null }[]>(packStatementSql(ctx, members, input.at, zone));
  return { packs: r!.packs, coupons: r!.coupons, lastMemberId: r!.lastMemberId };
}

/**
 * The current packs of the members a SELECT yields (`member_id`), at once and in one statement:
 * the members a ladder change or a retention batch moved (the tiers-moved hook), merged
 * members' tombstones left out. Already issued packs are skipped by the unique key.
 */
export async function issueBenefitPacksFor(tx: Tx, ctx: TenantContext, members: Prisma.Sql, at: Date): Promise<PackBatch> {
  const zone = programZone(await getProgram(tx, ctx));
  // A merged member's tombstone (a ladder change re-tiers every row) gets nothing.
  const live = Prisma.sql`SELECT s.member_id FROM (${members}) s JOIN members m ON m.tenant_id = ${ctx.tenantId} AND m.id = s.member_id AND m.merged_into_id IS NULL`;
  const [r] = await tx.$queryRaw<{ packs: number; coupons: number; lastMemberId: string | null }[]>(packStatementSql(ctx, live, at, zone));
  return { packs: r!.packs, coupons: r!.coupons, lastMemberId: r!.lastMemberId };
}

/**
 * The current packs of one member, at once (a member who becomes entitled mid-period: on an
 * upgrade or a plan subscription). The unique key makes it a no-op when the pack is there.
 */
export async function issueMemberBenefitPacks(tx: Tx, ctx: TenantContext, memberId: string, at: Date): Promise<PackBatch> {
  const zone = programZone(await getProgram(tx, ctx));
  const [r] = await tx.$queryRaw<{ packs: number; coupons: number; lastMemberId: string | null }[]>(
    packStatementSql(ctx, Prisma.sql`SELECT ${memberId}::text AS member_id`, at, zone),
  );
  return { packs: r!.packs, coupons: r!.coupons, lastMemberId: r!.lastMemberId };
}
