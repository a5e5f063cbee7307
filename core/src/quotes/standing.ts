import type { Program } from '../program/index.ts';
import { tierForScore, tierThreshold, type Tier } from '../tiers/index.ts';
import { purchaseGrowth } from '../points/index.ts';
import type { MemberDto } from '../members/index.ts';

export interface QuoteStanding {
  tierAfter: string;
  upgrade?: { code: string; name: string };
  retention?: { periodEnd: string; missing: { spendCents?: number; growth?: number }; keeps: boolean };
  nextTierPrice?: { code: string; totalCents: number };
}

/**
 * What this order would do for the member's tier (docs/rules.md §8's quote, "standing"): the
 * tier after it under the upgrade rule (never down), the upgrade it would bring, what would
 * still be missing for this period's retention once it completes and whether that keeps the
 * tier, and what the cart would cost at the next tier (priced by the caller).
 * `payableGoodsCents` is what the order would report as its amount. Under the RFM model an
 * order's effect on the score depends on other members: the tier after is the current one.
 */
export function quoteStanding(input: {
  program: Program;
  ladder: Tier[];
  tierCode: string;
  progress: MemberDto['progress'];
  payableGoodsCents: number;
  nextTierTotal: (tier: Tier) => number;
}): QuoteStanding {
  const { program, ladder, progress } = input;
  const model = program.qualificationModel;
  const current = ladder.find((t) => t.code === input.tierCode);
  const growth = purchaseGrowth(input.payableGoodsCents, program.growthRules.purchasePerUnit);
  const added = model === 'growth' ? growth : model === 'spend' ? input.payableGoodsCents : 0;
  const reached = tierForScore(ladder, model, progress.current + added);
  const after = current && reached.rank <= current.rank ? current : reached;
  const standing: QuoteStanding = { tierAfter: after.code };
  if (current && after.rank > current.rank) standing.upgrade = { code: after.code, name: after.name };
  if (progress.retention) {
    const missing: { spendCents?: number; growth?: number } = {};
    if (progress.retention.missing.spendCents !== undefined) missing.spendCents = Math.max(0, progress.retention.missing.spendCents - input.payableGoodsCents);
    if (progress.retention.missing.growth !== undefined) missing.growth = Math.max(0, progress.retention.missing.growth - growth);
    standing.retention = { periodEnd: progress.retention.periodEnd, missing, keeps: (missing.spendCents ?? 0) === 0 && (missing.growth ?? 0) === 0 };
  }
  const next = current ? ladder.filter((t) => t.rank > current.rank).sort((a, b) => a.rank - b.rank)[0] : undefined;
  if (next && tierThreshold(next, model) >= 0) standing.nextTierPrice = { code: next.code, totalCents: input.nextTierTotal(next) };
  return standing;
}
