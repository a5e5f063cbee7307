import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { conflict, forbidden, notFound, validationFailed, type FieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { benefitKindIssues, type BenefitDto, type BenefitGrantInput, type BenefitInput, type BenefitPatch } from './catalogue.contract.ts';

interface BenefitRow {
  id: string;
  code: string;
  name: string;
  description: string | null;
  category: string;
  kind: string;
  icon: string | null;
  couponTemplateCode: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  grants: { tier: string | null; plan: string | null; exactTier: boolean; count: number | null; per: string }[] | null;
}

// The template's and the plans' codes are scalar subqueries tied to the benefit's tenant, not
// outer joins: Citus refuses an outer join beside the tenant filter ("outer joins and
// pseudoconstant quals").
function benefitsSql(ctx: TenantContext, where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT b.id, b.code, b.name, b.description, b.category, b.kind, b.icon,
           (SELECT ct.code FROM coupon_templates ct WHERE ct.tenant_id = b.tenant_id AND ct.id = b.coupon_template_id) AS "couponTemplateCode",
           b.archived_at AS "archivedAt", b.created_at AS "createdAt",
           (SELECT json_agg(json_build_object('tier', g.tier_code, 'plan', (SELECT p.code FROM plans p WHERE p.tenant_id = g.tenant_id AND p.id = g.plan_id),
                                              'exactTier', g.exact_tier, 'count', g.count, 'per', g.per) ORDER BY g.position)
              FROM benefit_grants g
             WHERE g.tenant_id = b.tenant_id AND g.benefit_id = b.id) AS grants
    FROM benefits b
    WHERE b.tenant_id = ${ctx.tenantId} AND ${where}
    ORDER BY b.created_at, b.id`;
}

function toDto(r: BenefitRow): BenefitDto {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    category: r.category as BenefitDto['category'],
    kind: r.kind as BenefitDto['kind'],
    couponTemplateCode: r.couponTemplateCode,
    icon: r.icon,
    grants: (r.grants ?? []).map((g) => ({ tier: g.tier, plan: g.plan, exactTier: g.exactTier, count: g.count, per: g.per as BenefitDto['grants'][number]['per'] })),
    archivedAt: r.archivedAt ? r.archivedAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The catalogue, by creation; archived benefits only when asked. */
export async function listBenefits(tx: Tx, ctx: TenantContext, query: { includeArchived?: boolean } = {}): Promise<BenefitDto[]> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read the benefit catalogue');
  const rows = await tx.$queryRaw<BenefitRow[]>(benefitsSql(ctx, query.includeArchived ? Prisma.sql`TRUE` : Prisma.sql`b.archived_at IS NULL`));
  return rows.map(toDto);
}

async function getBenefit(tx: Tx, ctx: TenantContext, id: string): Promise<BenefitDto> {
  const [row] = await tx.$queryRaw<BenefitRow[]>(benefitsSql(ctx, Prisma.sql`b.id = ${id}`));
  if (!row) throw notFound('Benefit');
  return toDto(row);
}

/** Tier codes and plan codes of the grants must exist; the template of a pack too. */
async function resolveRefs(tx: Tx, ctx: TenantContext, input: { couponTemplateCode?: string | null | undefined; grants?: BenefitGrantInput[] | undefined }) {
  const tiers = [...new Set((input.grants ?? []).flatMap((g) => (g.tier ? [g.tier] : [])))];
  const plans = [...new Set((input.grants ?? []).flatMap((g) => (g.plan ? [g.plan] : [])))];
  const [found] = await tx.$queryRaw<{ tiers: string[]; plans: { code: string; id: string }[] | null; template: string | null }[]>`
    SELECT ARRAY(SELECT code FROM tiers WHERE tenant_id = ${ctx.tenantId} AND code = ANY(${tiers}::text[])) AS tiers,
           (SELECT json_agg(json_build_object('code', code, 'id', id)) FROM plans WHERE tenant_id = ${ctx.tenantId} AND code = ANY(${plans}::text[])) AS plans,
           (SELECT id FROM coupon_templates WHERE tenant_id = ${ctx.tenantId} AND code = ${input.couponTemplateCode ?? null}::text) AS template`;
  const errors: FieldError[] = [];
  const planIds = new Map((found!.plans ?? []).map((p) => [p.code, p.id]));
  (input.grants ?? []).forEach((g, i) => {
    if (g.tier && !found!.tiers.includes(g.tier)) errors.push({ path: `grants.${i}.tier`, message: `No tier ${g.tier}` });
    if (g.plan && !planIds.has(g.plan)) errors.push({ path: `grants.${i}.plan`, message: `No plan ${g.plan}` });
  });
  if (input.couponTemplateCode && !found!.template) errors.push({ path: 'couponTemplateCode', message: `No coupon template ${input.couponTemplateCode}` });
  if (errors.length) throw validationFailed(errors);
  return { planIds, templateId: found!.template };
}

async function writeGrants(tx: Tx, ctx: TenantContext, benefitId: string, grants: BenefitGrantInput[], planIds: Map<string, string>): Promise<void> {
  await tx.$executeRaw`DELETE FROM benefit_grants WHERE tenant_id = ${ctx.tenantId} AND benefit_id = ${benefitId}`;
  if (!grants.length) return;
  const rows = grants.map(
    (g, i) =>
      Prisma.sql`(${ctx.tenantId}, ${newId('bgr')}, ${benefitId}, ${i}::int, ${g.tier ?? null}::text, ${g.plan ? planIds.get(g.plan)! : null}::text, ${g.exactTier ?? false}, ${g.count ?? null}::int, ${g.per})`,
  );
  await tx.$executeRaw`INSERT INTO benefit_grants (tenant_id, id, benefit_id, position, tier_code, plan_id, exact_tier, count, per) VALUES ${Prisma.join(rows)}`;
}

/** Adds a benefit to the catalogue with its grants (audited); a taken code is 409. */
export async function createBenefit(tx: Tx, ctx: TenantContext, input: BenefitInput, at = new Date()): Promise<BenefitDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the benefit catalogue');
  const { planIds, templateId } = await resolveRefs(tx, ctx, input);
  const id = newId('bnf');
  const inserted = await tx.$executeRaw`
    INSERT INTO benefits (tenant_id, id, code, name, description, category, kind, coupon_template_id, icon, created_at, updated_at)
    VALUES (${ctx.tenantId}, ${id}, ${input.code}, ${input.name}, ${input.description ?? null}, ${input.category}, ${input.kind}, ${templateId}, ${input.icon ?? null}, ${at}::timestamptz, ${at}::timestamptz)
    ON CONFLICT (tenant_id, code) DO NOTHING`;
  if (inserted === 0) throw conflict(`Benefit ${input.code} exists`);
  await writeGrants(tx, ctx, id, input.grants, planIds);
  const dto = await getBenefit(tx, ctx, id);
  await recordAudit(tx, ctx, { action: 'benefit.created', targetType: 'benefit', targetId: id, after: dto });
  return dto;
}

async function lockBenefit(tx: Tx, ctx: TenantContext, code: string): Promise<BenefitDto> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM benefits WHERE tenant_id = ${ctx.tenantId} AND code = ${code} FOR UPDATE`;
  if (!row) throw notFound(`Benefit ${code}`);
  return getBenefit(tx, ctx, row.id);
}

/**
 * Partial update (the code is immutable; grants replaced as a whole), audited. Applies at once:
 * entitlements are computed at the moment they are read or used, and uses already made in the
 * current period still count against the new quota.
 */
export async function updateBenefit(tx: Tx, ctx: TenantContext, code: string, patch: BenefitPatch, at = new Date()): Promise<BenefitDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the benefit catalogue');
  const before = await lockBenefit(tx, ctx, code);
  const merged = {
    kind: patch.kind ?? before.kind,
    couponTemplateCode: patch.couponTemplateCode !== undefined ? patch.couponTemplateCode : before.couponTemplateCode,
    grants:
      patch.grants ??
      before.grants.map((g) => ({ ...(g.tier ? { tier: g.tier, exactTier: g.exactTier } : { plan: g.plan! }), ...(g.count !== null ? { count: g.count } : {}), per: g.per })),
  };
  const issues = benefitKindIssues(merged);
  if (issues.length) throw validationFailed(issues);
  const { planIds, templateId } = await resolveRefs(tx, ctx, { couponTemplateCode: merged.couponTemplateCode, grants: patch.grants });
  const set: Prisma.Sql[] = [Prisma.sql`updated_at = ${at}::timestamptz`];
  if (patch.name !== undefined) set.push(Prisma.sql`name = ${patch.name}`);
  if (patch.description !== undefined) set.push(Prisma.sql`description = ${patch.description}`);
  if (patch.category !== undefined) set.push(Prisma.sql`category = ${patch.category}`);
  if (patch.kind !== undefined) set.push(Prisma.sql`kind = ${patch.kind}`);
  if (patch.icon !== undefined) set.push(Prisma.sql`icon = ${patch.icon}`);
  if (patch.couponTemplateCode !== undefined || patch.kind !== undefined) set.push(Prisma.sql`coupon_template_id = ${merged.couponTemplateCode ? templateId : null}::text`);
  await tx.$executeRaw`UPDATE benefits SET ${Prisma.join(set, ', ')} WHERE tenant_id = ${ctx.tenantId} AND id = ${before.id}`;
  if (patch.grants) await writeGrants(tx, ctx, before.id, patch.grants, planIds);
  const after = await getBenefit(tx, ctx, before.id);
  await recordAudit(tx, ctx, { action: 'benefit.updated', targetType: 'benefit', targetId: before.id, before, after });
  return after;
}

/**
 * Archives a benefit (DELETE): no new periods start for it, and the worker issues no more packs;
 * what was granted before stays usable until its period ends. Idempotent; audited.
 */
export async function archiveBenefit(tx: Tx, ctx: TenantContext, code: string, at = new Date()): Promise<BenefitDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the benefit catalogue');
  const before = await lockBenefit(tx, ctx, code);
  if (before.archivedAt) return before;
  await tx.$executeRaw`UPDATE benefits SET archived_at = ${at}::timestamptz, updated_at = ${at}::timestamptz WHERE tenant_id = ${ctx.tenantId} AND id = ${before.id}`;
  const after = await getBenefit(tx, ctx, before.id);
  await recordAudit(tx, ctx, { action: 'benefit.archived', targetType: 'benefit', targetId: before.id, before, after });
  return after;
}
