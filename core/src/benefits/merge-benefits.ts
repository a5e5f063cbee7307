import type { Benefits } from '../tiers/index.ts';

export type BenefitKey = keyof Benefits;

/**
 * A member has the better of each benefit from tier and paid plan (docs/rules.md §7): the lower
 * discount rate, the higher points multiplier, the lower free-shipping threshold (a missing
 * one is no benefit), any flag either grants; the tier's member day, else the plan's.
 * Birthday and upgrade gifts are the tier's. `fromPlan` marks what the plan improved. Pure.
 */
export function mergeBenefits(tier: Benefits, plan: Benefits | null): { benefits: Benefits; fromPlan: Partial<Record<BenefitKey, boolean>> } {
  if (!plan) return { benefits: { ...tier }, fromPlan: {} };
  const out: Benefits = { ...tier };
  const fromPlan: Partial<Record<BenefitKey, boolean>> = {};
  if (plan.discountBps !== undefined && plan.discountBps < (tier.discountBps ?? 10_000)) {
    out.discountBps = plan.discountBps;
    fromPlan.discountBps = true;
  }
  if (plan.pointsMultiplierBps !== undefined && plan.pointsMultiplierBps > (tier.pointsMultiplierBps ?? 10_000)) {
    out.pointsMultiplierBps = plan.pointsMultiplierBps;
    fromPlan.pointsMultiplierBps = true;
  }
  const pt = plan.freeShippingThresholdCents;
  const tt = tier.freeShippingThresholdCents;
  if (pt !== undefined && pt !== null && (tt === undefined || tt === null || pt < tt)) {
    out.freeShippingThresholdCents = pt;
    fromPlan.freeShippingThresholdCents = true;
  }
  for (const flag of ['exclusiveAccess', 'prioritySupport', 'priorityDelivery', 'fastRefund'] as const) {
    if (plan[flag] && !tier[flag]) {
      out[flag] = true;
      fromPlan[flag] = true;
    }
  }
  if (!tier.memberDay && plan.memberDay) {
    out.memberDay = plan.memberDay;
    fromPlan.memberDay = true;
  }
  return { benefits: out, fromPlan };
}
