import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, forbidden, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { resolveMemberId } from '../identities/index.ts';
import { getLadder } from '../tiers/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import type { ApplicationDto, CampaignDto, CampaignInput } from './campaigns.contract.ts';

interface CampaignRow {
  code: string;
  name: string;
  kind: string;
  startsAt: Date;
  endsAt: Date;
  tierStarts: unknown;
  skus: string[];
  perMemberLimit: number | null;
  seats: number | null;
  applied: number;
  createdAt: Date;
}

function toDto(r: CampaignRow): CampaignDto {
  return {
    code: r.code,
    name: r.name,
    kind: r.kind as CampaignDto['kind'],
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    tierStarts: ((r.tierStarts as { tier: string; startsAt: string }[]) ?? []).map((t) => ({ tier: t.tier, startsAt: new Date(t.startsAt).toISOString() })),
    skus: r.skus,
    perMemberLimit: r.perMemberLimit,
    seats: r.seats,
    applied: r.applied,
    createdAt: r.createdAt.toISOString(),
  };
}

const invalid = (path: string, message: string) => new AppError('validation_failed', message, { errors: [{ path, message }] });

/** Adds a campaign (audited); a taken code is 409, unknown tiers or dates out of order 400. */
export async function createCampaign(tx: Tx, ctx: TenantContext, input: CampaignInput): Promise<CampaignDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change campaigns');
  if (new Date(input.endsAt) <= new Date(input.startsAt)) throw invalid('endsAt', 'Must be after startsAt');
  if (input.kind === 'early_access' && !input.skus?.length) throw invalid('skus', 'An early_access campaign needs its SKUs');
  if (input.kind === 'application' && (input.skus?.length || input.perMemberLimit)) throw invalid('skus', 'Applications take seats, not SKUs or a per-member limit');
  if (input.kind === 'early_access' && input.seats) throw invalid('seats', 'Seats are for applications');
  if (input.tierStarts?.length) {
    const ladder = await getLadder(tx, ctx);
    const unknown = input.tierStarts.find((t) => !ladder.some((x) => x.code === t.tier));
    if (unknown) throw invalid('tierStarts', `Unknown tier ${unknown.tier}`);
    if (new Set(input.tierStarts.map((t) => t.tier)).size !== input.tierStarts.length) throw invalid('tierStarts', 'One start per tier');
  }
  const rows = await tx.$queryRaw<{ code: string }[]>`
    INSERT INTO campaigns (tenant_id, code, name, kind, starts_at, ends_at, tier_starts, skus, per_member_limit, seats)
    VALUES (${ctx.tenantId}, ${input.code}, ${input.name}, ${input.kind}, ${input.startsAt}::timestamptz, ${input.endsAt}::timestamptz,
            ${JSON.stringify(input.tierStarts ?? [])}::jsonb, ${input.skus ?? []}::text[], ${input.perMemberLimit ?? null}::int, ${input.seats ?? null}::int)
    ON CONFLICT DO NOTHING RETURNING code`;
  if (rows.length === 0) throw conflict(`Campaign ${input.code} exists`);
  const dto = toDto((await tx.campaign.findUniqueOrThrow({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.code } } })) as CampaignRow);
  await recordAudit(tx, ctx, { action: 'campaign.created', targetType: 'campaign', targetId: input.code, after: dto });
  return dto;
}

export async function listCampaigns(tx: Tx, ctx: TenantContext): Promise<{ data: CampaignDto[] }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read campaigns');
  const rows = await tx.campaign.findMany({ where: { tenantId: ctx.tenantId }, orderBy: [{ startsAt: 'desc' }, { code: 'asc' }] });
  return { data: rows.map((r) => toDto(r as CampaignRow)) };
}

/** When a campaign opens to a tier: its own start, else the campaign's. */
function opensAt(c: CampaignRow, tierCode: string): Date {
  const own = ((c.tierStarts as { tier: string; startsAt: string }[]) ?? []).find((t) => t.tier === tierCode);
  return own ? new Date(own.startsAt) : c.startsAt;
}

/**
 * A member applies to an `application` campaign, idempotent by reference (the same reference
 * again returns the first application). Not yet open to the member's tier (or closed) → 422
 * not_open; every seat taken → 422 full (the seat is taken by a guarded UPDATE, so concurrent
 * applications never exceed the seats). One application per member and campaign.
 */
export async function applyToCampaign(tx: Tx, ctx: TenantContext, code: string, input: { member: string; reference: string; storeId?: string | undefined }, now = new Date()): Promise<ApplicationDto> {
  const memberId = await resolveMemberId(tx, ctx, { ref: input.member, storeId: input.storeId }, { forUpdate: true });
  const c = (await tx.campaign.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code } } })) as CampaignRow | null;
  if (!c) throw notFound(`Campaign ${code}`);
  const existing = await tx.campaignApplication.findFirst({ where: { tenantId: ctx.tenantId, campaignCode: code, OR: [{ reference: input.reference }, { memberId }] }, include: { member: { select: { unionId: true } } } });
  if (existing) {
    if (existing.memberId !== memberId) throw new AppError('idempotency_conflict', 'This reference was used for another member');
    return appDto(existing, existing.member.unionId);
  }
  if (c.kind !== 'application') throw new AppError('business_rule', `Campaign ${code} takes no applications`);
  const member = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { tierCode: true, unionId: true } });
  const opens = opensAt(c, member.tierCode);
  if (now < opens || now >= c.endsAt) {
    throw new AppError('not_open', now >= c.endsAt ? `Campaign ${code} has closed` : `Campaign ${code} opens to this tier at ${opens.toISOString()}`, { extra: { opensAt: opens.toISOString() } });
  }
  const taken = await tx.$executeRaw`UPDATE campaigns SET applied = applied + 1 WHERE tenant_id = ${ctx.tenantId} AND code = ${code} AND (seats IS NULL OR applied < seats)`;
  if (taken === 0) throw new AppError('full', `Every seat of campaign ${code} is taken`);
  const row = await tx.campaignApplication.create({
    data: { tenantId: ctx.tenantId, id: newId('cap'), campaignCode: code, memberId, reference: input.reference, status: 'applied', createdAt: now },
  });
  return appDto(row, member.unionId);
}

function appDto(r: { id: string; campaignCode: string; status: string; approvedAt: Date | null; createdAt: Date }, unionId: string): ApplicationDto {
  return { id: r.id, campaign: r.campaignCode, unionId, status: r.status as ApplicationDto['status'], approvedAt: r.approvedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() };
}

export async function listApplications(tx: Tx, ctx: TenantContext, code: string): Promise<{ data: ApplicationDto[] }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read campaign applications');
  if (!(await tx.campaign.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code } }, select: { code: true } }))) throw notFound(`Campaign ${code}`);
  const rows = await tx.campaignApplication.findMany({ where: { tenantId: ctx.tenantId, campaignCode: code }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1000, include: { member: { select: { unionId: true } } } });
  return { data: rows.map((r) => appDto(r, r.member.unionId)) };
}

/** Staff approve an application (audited; approving twice changes nothing) and the storefront hears campaign.application_approved. */
export async function approveApplication(tx: Tx, ctx: TenantContext, code: string, id: string, now = new Date()): Promise<ApplicationDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot approve applications');
  const rows = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    UPDATE campaign_applications SET status = 'approved', approved_at = ${now}::timestamptz
    WHERE tenant_id = ${ctx.tenantId} AND campaign_code = ${code} AND id = ${id} AND status = 'applied' RETURNING id`);
  const row = await tx.campaignApplication.findFirst({ where: { tenantId: ctx.tenantId, campaignCode: code, id }, include: { member: { select: { unionId: true } } } });
  if (!row) throw notFound('Application');
  const dto = appDto(row, row.member.unionId);
  if (rows.length > 0) {
    await emitEvent(tx, ctx, { type: 'campaign.application_approved', memberId: row.memberId, at: now, data: { campaign: code, applicationId: id, memberId: row.memberId, unionId: row.member.unionId } });
    await recordAudit(tx, ctx, { action: 'campaign.application_approved', targetType: 'campaign_application', targetId: id, after: dto });
  }
  return dto;
}

/** A cart line an early-access campaign holds back, as the quote reports it. */
export interface EarlyAccessRefusal {
  code: 'not_open' | 'limit_exceeded';
  reason: string;
}

/**
 * The early-access facts of a cart for one member, as a SELECT-list expression over the
 * member row `m` (the quote folds it into its member read: no statement of its own): per
 * campaign SKU in the cart, when it opens to the member's tier and, with a per-member limit,
 * the units of the campaign's SKUs the member bought in completed, not fully refunded orders
 * since it first opened (to any tier). Every table is tied to `m.tenant_id` (one shard on a
 * database sharded by tenant), so the context is not read.
 */
export function earlyAccessSql(_ctx: TenantContext, skus: string[], at: Date): Prisma.Sql {
  return Prisma.sql`(
    SELECT COALESCE(jsonb_agg(jsonb_build_object('sku', s.sku, 'campaign', c.code, 'endsAt', c.ends_at, 'limit', c.per_member_limit,
             'opensAt', COALESCE((SELECT (e->>'startsAt')::timestamptz FROM jsonb_array_elements(c.tier_starts) e WHERE e->>'tier' = m.tier_code LIMIT 1), c.starts_at),
             'bought', CASE WHEN c.per_member_limit IS NULL THEN 0 ELSE (
               SELECT COALESCE(sum((i->>'quantity')::int), 0) FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) i
               WHERE o.tenant_id = m.tenant_id AND o.member_id = m.id AND o.status <> 'refunded'
                 AND o.completed_at >= LEAST(c.starts_at, (SELECT min((e->>'startsAt')::timestamptz) FROM jsonb_array_elements(c.tier_starts) e))
                 AND jsonb_typeof(o.items) = 'array' AND i->>'sku' = ANY (c.skus)) END)), '[]'::jsonb)
    FROM campaigns c CROSS JOIN LATERAL unnest(c.skus) AS s(sku)
    WHERE c.tenant_id = m.tenant_id AND c.kind = 'early_access' AND c.ends_at > ${at}::timestamptz AND s.sku = ANY (${skus}::text[])
  )`;
}

/** The same facts for a guest (no tier: the campaign's own start; no limit to count). */
export async function guestEarlyAccess(tx: Tx, ctx: TenantContext, skus: string[], at: Date): Promise<unknown> {
  if (skus.length === 0) return [];
  const [row] = await tx.$queryRaw<{ ea: unknown }[]>`
    SELECT COALESCE(jsonb_agg(jsonb_build_object('sku', s.sku, 'campaign', c.code, 'endsAt', c.ends_at, 'limit', NULL, 'opensAt', c.starts_at, 'bought', 0)), '[]'::jsonb) AS ea
    FROM campaigns c CROSS JOIN LATERAL unnest(c.skus) AS s(sku)
    WHERE c.tenant_id = ${ctx.tenantId} AND c.kind = 'early_access' AND c.ends_at > ${at}::timestamptz AND s.sku = ANY (${skus}::text[])`;
  return row?.ea ?? [];
}

/**
 * Which cart lines early access refuses (docs/rules.md §16): before the campaign opens to the
 * member's tier → not_open; past perMemberLimit (bought before + this cart's units of the
 * campaign's SKUs, in cart order) → limit_exceeded. Pure: the facts come from earlyAccessSql.
 */
export function earlyAccessRefusals(facts: unknown, items: { sku: string; quantity: number }[], at: Date, tierName: string | null): Map<number, EarlyAccessRefusal> {
  const rows = (Array.isArray(facts) ? facts : []) as { sku: string; campaign: string; opensAt: string; limit: number | null; bought: number }[];
  const out = new Map<number, EarlyAccessRefusal>();
  const used = new Map<string, number>();
  items.forEach((item, index) => {
    const fact = rows.find((r) => r.sku === item.sku);
    if (!fact) return;
    const opens = new Date(fact.opensAt);
    if (at < opens) {
      out.set(index, { code: 'not_open', reason: `Early access: ${fact.campaign} opens ${tierName ? `to ${tierName} ` : ''}at ${opens.toISOString()}` });
      return;
    }
    if (fact.limit !== null) {
      const so = (used.get(fact.campaign) ?? fact.bought) + item.quantity;
      if (so > fact.limit) {
        out.set(index, { code: 'limit_exceeded', reason: `Early access: at most ${fact.limit} per member in ${fact.campaign} (${fact.bought} bought before)` });
        return;
      }
      used.set(fact.campaign, so);
    }
  });
  return out;
}
