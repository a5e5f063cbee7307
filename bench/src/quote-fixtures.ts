// The ladder both quote-benchmark processes use: 铜牌/银牌/金牌/钻石 with 98折/95折/9折.
export const TIERS = [
  { code: 'bronze', name: '铜牌', rank: 0, benefits: {} },
  { code: 'silver', name: '银牌', rank: 1, minGrowth: 1000, benefits: { discountBps: 9800, freeShippingThresholdCents: 3900 } },
  { code: 'gold', name: '金牌', rank: 2, minGrowth: 5000, benefits: { discountBps: 9500, freeShippingThresholdCents: 0 } },
  {
    code: 'diamond',
    name: '钻石',
    rank: 3,
    minGrowth: 20_000,
    benefits: { discountBps: 9000, freeShippingThresholdCents: 0, exclusiveAccess: true },
  },
];
