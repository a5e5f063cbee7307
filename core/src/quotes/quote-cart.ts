import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { Prisma } from '@unionpoint/db';
import { notFound } from '../shared/errors.ts';
import { memberIdByUnionIdSql, OPENID_PREFIX, resolveMemberId } from '../identities/index.ts';
import { benefitsSchema } from '../tiers/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { loadCouponsForUse } from '../coupons/index.ts';
import { effectiveBenefitsOf } from '../benefits/index.ts';
import { earlyAccessRefusals, earlyAccessSql, guestEarlyAccess } from '../campaigns/index.ts';
import { progressColumns, progressOf } from '../members/index.ts';
import { loadPricingConfig } from './pricing-config.ts';
import { priceCart, type PricingInput, type Quote } from './price-cart.ts';
import { quoteStanding, type QuoteStanding } from './standing.ts';
import type { QuoteRequest } from './quotes.contract.ts';

interface QuoteMemberRow {
  id: string;
  unionId: string;
  tierCode: string;
  pointsBalance: number;
  flagged: boolean;
  planCode: string | null;
  planName: string | null;
  planBenefits: unknown;
  earlyAccess: unknown;
  tierSince: Date;
  trialUntil: Date | null;
  [column: string]: unknown;
}

/**
 * POST /v1/quotes: loads what the pure pricing needs — program and ladder (cached per
 * tenant version), the member row, their plan in force, the named coupons — and prices the
 * cart. Reads only: a quote writes nothing. Guests (no member) pay list prices.
 */
export async function quoteCart(tx: Tx, ctx: TenantContext, input: QuoteRequest, now = new Date()) {
  const at = input.at ? new Date(input.at) : now;
  const [config] = await Promise.all([loadPricingConfig(tx, ctx), input.storeId || ctx.boundStoreId ? resolveStoreId(tx, ctx, input.storeId, false) : null]);
  let member: QuoteMemberRow | null = null;
  const skus = [...new Set(input.items.map((i) => i.sku))];
  if (input.member) {
    const byId = input.member.startsWith(OPENID_PREFIX) ? await resolveMemberId(tx, ctx, { ref: input.member, storeId: input.storeId }) : null;
    // One round trip for the member and the paid plan in force: this is the hot path. A unionId
    // goes through the identities resolver's alias (a merged unionId prices the survivor).
    const rows = await tx.$queryRaw<QuoteMemberRow[]>`
      SELECT m.id, m.union_id AS "unionId", m.tier_code AS "tierCode", m.points_balance AS "pointsBalance", m.flagged,
             p.code AS "planCode", p.name AS "planName", p.benefits AS "planBenefits",
             ${earlyAccessSql(ctx, skus, at)} AS "earlyAccess",
             m.tier_since AS "tierSince", m.trial_until AS "trialUntil" ${progressColumns(config, at)}
      FROM members m
      LEFT JOIN member_plans mp ON mp.tenant_id = m.tenant_id AND mp.member_id = m.id AND mp.until > ${at}
      LEFT JOIN plans p ON p.tenant_id = mp.tenant_id AND p.id = mp.plan_id
      WHERE m.tenant_id = ${ctx.tenantId} AND ${byId ? Prisma.sql`m.id = ${byId}` : Prisma.sql`m.id = ${memberIdByUnionIdSql(ctx, input.member)}`}`;
    member = rows[0] ?? null;
    if (!member) throw notFound('Member');
  }
  const coupons = await loadCouponsForUse(tx, ctx, member?.id ?? null, input.couponCodes ?? [], at);
  const plan = member?.planCode ? { code: member.planCode, name: member.planName!, benefits: benefitsSchema.parse(member.planBenefits ?? {}) } : null;
  const tier = member ? (config.ladder.find((t) => t.code === member.tierCode) ?? null) : null;
  const benefits = effectiveBenefitsOf(tier, plan, config.program);
  // Early access (docs/rules.md §16): read with the member (a guest: one read of its own).
  const facts = member ? member.earlyAccess : await guestEarlyAccess(tx, ctx, skus, at);
  const refusedLines = earlyAccessRefusals(facts, input.items, at, member ? (tier?.name ?? member.tierCode) : null);
  const pricing: PricingInput = {
    member: member ? { tierName: tier?.name ?? member.tierCode, planName: plan?.name ?? null, pointsBalance: member.pointsBalance, flagged: member.flagged } : null,
    benefits,
    fromPlan: benefits.fromPlan,
    program: {
      timezone: config.program.timezone,
      earnPointsPerUnit: config.program.earn.pointsPerUnit,
      redeemPointsPerUnit: config.program.redeem.pointsPerUnit,
      redeemMaxShareBps: config.program.redeem.maxShareBps,
    },
    at,
    items: input.items,
    shippingFeeCents: input.shippingFeeCents,
    coupons,
    redeemPoints: input.redeemPoints ?? 0,
    refusedLines,
  };
  const quote: Quote = priceCart(pricing);
  // What the order does for the tier: from the progress columns read with the member row (no
  // statement of its own); the next tier's price is the same pure pricing with its benefits.
  let standing: QuoteStanding | undefined;
  if (member) {
    const progress = progressOf(member, member, config, at);
    standing = quoteStanding({
      program: config.program,
      ladder: config.ladder,
      tierCode: member.tierCode,
      progress,
      payableGoodsCents: quote.payableGoodsCents,
      nextTierTotal: (next) => {
        const nextBenefits = effectiveBenefitsOf(next, plan, config.program);
        return priceCart({ ...pricing, member: { ...pricing.member!, tierName: next.name }, benefits: nextBenefits, fromPlan: nextBenefits.fromPlan }).totalCents;
      },
    });
  }
  return {
    member: member ? { unionId: member.unionId, tier: member.tierCode, plan: plan?.code ?? null, pointsBalance: member.pointsBalance } : null,
    at: at.toISOString(),
    ...quote,
    ...(standing ? { standing } : {}),
  };
}
