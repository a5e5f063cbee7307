import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { resolveMemberId } from '../identities/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { loadCouponsForUse } from '../coupons/index.ts';
import { getActivePlans } from '../plans/index.ts';
import { effectiveBenefitsOf } from '../benefits/index.ts';
import { loadPricingConfig } from './pricing-config.ts';
import { priceCart, type Quote } from './price-cart.ts';
import type { QuoteRequest } from './quotes.contract.ts';

/**
 * POST /v1/quotes: loads what the pure pricing needs — program and ladder (cached per
 * tenant version), the member row, their plan in force, the named coupons — and prices the
 * cart. Reads only: a quote writes nothing. Guests (no member) pay list prices.
 */
export async function quoteCart(tx: Tx, ctx: TenantContext, input: QuoteRequest, now = new Date()) {
  const at = input.at ? new Date(input.at) : now;
  const [config] = await Promise.all([loadPricingConfig(tx, ctx), input.storeId || ctx.boundStoreId ? resolveStoreId(tx, ctx, input.storeId, false) : null]);
  let member: { id: string; unionId: string; tierCode: string; pointsBalance: number; flagged: boolean } | null = null;
  if (input.member) {
    const id = await resolveMemberId(tx, ctx, { ref: input.member, storeId: input.storeId });
    member = await tx.member.findUniqueOrThrow({
      where: { tenantId_id: { tenantId: ctx.tenantId, id } },
      select: { id: true, unionId: true, tierCode: true, pointsBalance: true, flagged: true },
    });
  }
  const [plans, coupons] = member
    ? await Promise.all([getActivePlans(tx, ctx, [member.id], at), loadCouponsForUse(tx, ctx, member.id, input.couponCodes ?? [], at)])
    : [new Map(), await loadCouponsForUse(tx, ctx, null, input.couponCodes ?? [], at)];
  const plan = member ? (plans.get(member.id)?.plan ?? null) : null;
  const tier = member ? (config.ladder.find((t) => t.code === member.tierCode) ?? null) : null;
  const benefits = effectiveBenefitsOf(tier, plan, config.program);
  const quote: Quote = priceCart({
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
  });
  return {
    member: member ? { unionId: member.unionId, tier: member.tierCode, plan: plan?.code ?? null, pointsBalance: member.pointsBalance } : null,
    at: at.toISOString(),
    ...quote,
  };
}
