import { describe, expect, it } from 'vitest';
import { mergeBenefits } from './merge-benefits.ts';

describe('mergeBenefits', () => {
  it('takes the better of each benefit from tier and plan', () => {
    const r = mergeBenefits(
      { discountBps: 9800, pointsMultiplierBps: 12_000, freeShippingThresholdCents: 3900, prioritySupport: true, birthdayGift: { points: 100 } },
      { discountBps: 9500, pointsMultiplierBps: 11_000, freeShippingThresholdCents: 0, fastRefund: true, birthdayGift: { points: 999 } },
    );
    expect(r.benefits).toEqual({
      discountBps: 9500,
      pointsMultiplierBps: 12_000,
      freeShippingThresholdCents: 0,
      prioritySupport: true,
      fastRefund: true,
      birthdayGift: { points: 100 },
    });
    expect(r.fromPlan).toEqual({ discountBps: true, freeShippingThresholdCents: true, fastRefund: true });
  });
  it('keeps the tier where the plan is worse or silent, and treats a missing threshold as none', () => {
    expect(mergeBenefits({ discountBps: 9000 }, { discountBps: 9500 }).benefits.discountBps).toBe(9000);
    expect(mergeBenefits({}, { freeShippingThresholdCents: 5000 }).benefits.freeShippingThresholdCents).toBe(5000);
    expect(mergeBenefits({ freeShippingThresholdCents: 0 }, { freeShippingThresholdCents: null }).benefits.freeShippingThresholdCents).toBe(0);
    expect(mergeBenefits({ discountBps: 9800 }, null)).toEqual({ benefits: { discountBps: 9800 }, fromPlan: {} });
  });
  it("uses the plan's member day only when the tier has none", () => {
    const md = { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 };
    expect(mergeBenefits({}, { memberDay: md }).benefits.memberDay).toEqual(md);
    expect(mergeBenefits({ memberDay: { ...md, weekdays: [5] } }, { memberDay: md }).benefits.memberDay!.weekdays).toEqual([5]);
  });
});
