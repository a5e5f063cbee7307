import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { tierRowData } from './ladder.ts';
import type { TierInput } from './tiers.contract.ts';

/** The ladder every new tenant starts with: Bronze open to all, then Silver, Gold, Diamond. */
export const DEFAULT_LADDER: TierInput[] = [
  {
    code: 'bronze',
    name: 'Bronze',
    rank: 0,
    minGrowth: 0,
    minSpendCents: 0,
    minRfmScore: 0,
    benefits: { discountBps: 10_000, pointsMultiplierBps: 10_000 },
  },
  {
    code: 'silver',
    name: 'Silver',
    rank: 1,
    minGrowth: 1000,
    minSpendCents: 200_000,
    minRfmScore: 6,
    retention: { minGrowth: 200 },
    benefits: { discountBps: 9800, pointsMultiplierBps: 12_000, freeShippingThresholdCents: 3900 },
  },
  {
    code: 'gold',
    name: 'Gold',
    rank: 2,
    minGrowth: 5000,
    minSpendCents: 500_000,
    minRfmScore: 9,
    retention: { minGrowth: 600 },
    benefits: { discountBps: 9500, pointsMultiplierBps: 13_000, freeShippingThresholdCents: 0, prioritySupport: true },
  },
  {
    code: 'diamond',
    name: 'Diamond',
    rank: 3,
    minGrowth: 20_000,
    minSpendCents: 1_000_000,
    minRfmScore: 12,
    retention: { minGrowth: 1500 },
    benefits: {
      discountBps: 9000,
      pointsMultiplierBps: 15_000,
      freeShippingThresholdCents: 0,
      exclusiveAccess: true,
      prioritySupport: true,
      priorityDelivery: true,
      fastRefund: true,
    },
  },
];

/** A new tenant's ladder (onboarding): DEFAULT_LADDER. */
export async function createDefaultLadder(tx: Tx, ctx: TenantContext): Promise<void> {
  await tx.tier.createMany({ data: DEFAULT_LADDER.map((t) => tierRowData(ctx.tenantId, t)) });
}
