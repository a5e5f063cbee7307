import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { priceCart, zhe, type PricingInput, type QuoteCoupon } from './price-cart.ts';

const SH = 'Asia/Shanghai';
// 2026-11-25 is a Wednesday in Shanghai from 2026-11-24T16:00Z to 2026-11-25T16:00Z.
const WED = new Date('2026-11-25T04:00:00Z');
const THU = new Date('2026-11-26T04:00:00Z');
const memberDay = { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 };
const program = { timezone: SH, earnPointsPerUnit: 1, redeemPointsPerUnit: 100, redeemMaxShareBps: 5000 };
const silver = { discountBps: 9800, pointsMultiplierBps: 10_000, freeShippingThresholdCents: 3900, memberDay };
const gold = { discountBps: 9500, freeShippingThresholdCents: 0, memberDay };

function input(over: Partial<PricingInput> = {}): PricingInput {
  return {
    member: { tierName: 'Silver', planName: null, pointsBalance: 0, flagged: false },
    benefits: silver,
    program,
    at: THU,
    items: [{ sku: 'a', priceCents: 1000, quantity: 1 }],
    shippingFeeCents: 800,
    coupons: [],
    redeemPoints: 0,
    ...over,
  };
}
const coupon = (over: Partial<QuoteCoupon>): QuoteCoupon => ({ code: 'C1', name: 'Coupon', kind: 'amount', amountCents: 500, percentBps: null, minSpendCents: 0, unusable: null, ...over });

describe('priceCart — rounding and order of computation, to the cent', () => {
  const cases: [string, Partial<PricingInput>, Record<string, unknown>][] = [
    ['member price rounds half up per unit (1025 × 98% = 1004.5 → 1005)', { items: [{ sku: 'a', priceCents: 1025, quantity: 1 }] }, { goodsCents: 1005, memberDiscountCents: 20 }],
    ['member price below half rounds down (999 × 98% = 979.02 → 979)', { items: [{ sku: 'a', priceCents: 999, quantity: 1 }] }, { goodsCents: 979 }],
    ['rounding is per unit, then × quantity (3 × 1005, not 3013.5)', { items: [{ sku: 'a', priceCents: 1025, quantity: 3 }] }, { goodsCents: 3015, subtotalCents: 3075 }],
    ['gold 95% of 10 cents = 9.5 → 10 (no discount at all)', { benefits: gold, items: [{ sku: 'a', priceCents: 10, quantity: 1 }] }, { goodsCents: 10, memberDiscountCents: 0 }],
    ['gold 95% of 30 cents = 28.5 → 29', { benefits: gold, items: [{ sku: 'a', priceCents: 30, quantity: 1 }] }, { goodsCents: 29 }],
    ['an explicit member price lower than the tier rate wins', { items: [{ sku: 'a', priceCents: 1000, quantity: 2, memberPriceCents: 950 }] }, { goodsCents: 1900, memberDiscountCents: 100 }],
    ['an explicit member price higher than the tier rate loses', { items: [{ sku: 'a', priceCents: 1000, quantity: 1, memberPriceCents: 990 }] }, { goodsCents: 980 }],
    ['member day applies on top of the member price per unit (1005 × 88% = 884.4 → 884)', { at: WED, items: [{ sku: 'a', priceCents: 1025, quantity: 2 }] }, { goodsCents: 1768, memberDiscountCents: 40, memberDayDiscountCents: 242, memberDay: true }],
    ['member day decided in the tenant zone: Wed 00:30 Shanghai is Tue 16:30 UTC', { at: new Date('2026-11-24T16:30:00Z') }, { memberDay: true, goodsCents: 862 }],
    ['Thu 00:30 Shanghai is not member day though Wed in UTC', { at: new Date('2026-11-25T16:30:00Z') }, { memberDay: false, goodsCents: 980 }],
    ['free shipping at exactly the threshold (G = 39.00)', { items: [{ sku: 'a', priceCents: 3980, quantity: 1 }] }, { goodsCents: 3900, shippingFeeCents: 0, totalCents: 3900 }],
    ['no free shipping a cent below the threshold', { items: [{ sku: 'a', priceCents: 3979, quantity: 1 }] }, { goodsCents: 3899, shippingFeeCents: 800, totalCents: 4699 }],
    ['the threshold is checked against G after discounts, not the list price', { items: [{ sku: 'a', priceCents: 3950, quantity: 1 }] }, { goodsCents: 3871, shippingFeeCents: 800 }],
    ['gold ships free always', { benefits: gold, items: [{ sku: 'a', priceCents: 100, quantity: 1 }] }, { shippingFeeCents: 0, totalCents: 95 }],
    ['amount coupon', { coupons: [coupon({ amountCents: 300 })] }, { couponDiscountCents: 300, totalCents: 980 - 300 + 800 }],
    ['coupon minimum spend is checked against G, not the list subtotal', { items: [{ sku: 'a', priceCents: 10_000, quantity: 1 }], coupons: [coupon({ minSpendCents: 9900 })] }, { couponDiscountCents: 0, goodsCents: 9800 }],
    ['coupon minimum spend met exactly', { items: [{ sku: 'a', priceCents: 10_000, quantity: 1 }], coupons: [coupon({ minSpendCents: 9800 })] }, { couponDiscountCents: 500 }],
    ['the goods amount never goes below 0', { coupons: [coupon({ amountCents: 5000 })] }, { couponDiscountCents: 980, payableGoodsCents: 0, totalCents: 800, pointsToEarn: 0 }],
    ['percent coupon rounds half up (10% of 1005 = 100.5 → 101)', { items: [{ sku: 'a', priceCents: 1025, quantity: 1 }], coupons: [coupon({ kind: 'percent', amountCents: null, percentBps: 1000 })] }, { couponDiscountCents: 101 }],
    ['two percent coupons both take from G', { coupons: [coupon({ kind: 'percent', percentBps: 1000 }), coupon({ code: 'C2', kind: 'percent', percentBps: 1000 })] }, { couponDiscountCents: 196 }],
    ['free-shipping coupon waives shipping, not goods', { coupons: [coupon({ kind: 'free_shipping', amountCents: null })] }, { couponDiscountCents: 0, shippingFeeCents: 0, totalCents: 980 }],
    ['an unusable coupon is reported and takes nothing', { coupons: [coupon({ unusable: 'Already used' })] }, { couponDiscountCents: 0 }],
    ['the same coupon twice applies once', { coupons: [coupon({}), coupon({})] }, { couponDiscountCents: 500 }],
    ['points: 100 points = 1 yuan, capped at 50% of G\'', { member: { tierName: 'Silver', planName: null, pointsBalance: 10_000, flagged: false }, redeemPoints: 10_000 }, { pointsValueCents: 490, pointsRedeemed: 490, payableGoodsCents: 490 }],
    ['points: cap floors (50% of 979 = 489.5 → 489)', { items: [{ sku: 'a', priceCents: 999, quantity: 1 }], member: { tierName: 'Silver', planName: null, pointsBalance: 10_000, flagged: false }, redeemPoints: 10_000 }, { pointsValueCents: 489 }],
    ['points: capped by the balance', { member: { tierName: 'Silver', planName: null, pointsBalance: 37, flagged: false }, redeemPoints: 400 }, { pointsValueCents: 37, pointsRedeemed: 37 }],
    ['points: a negative balance redeems nothing', { member: { tierName: 'Silver', planName: null, pointsBalance: -50, flagged: false }, redeemPoints: 400 }, { pointsValueCents: 0, pointsRedeemed: 0 }],
    ['points: value floors and the fewest points give it (150 per yuan: 100 pts → 66 cents for 99 pts)', { program: { ...program, redeemPointsPerUnit: 150 }, member: { tierName: 'Silver', planName: null, pointsBalance: 1000, flagged: false }, redeemPoints: 100 }, { pointsValueCents: 66, pointsRedeemed: 99 }],
    ['points are applied after coupons (cap on G\')', { member: { tierName: 'Silver', planName: null, pointsBalance: 10_000, flagged: false }, redeemPoints: 10_000, coupons: [coupon({ amountCents: 180 })] }, { pointsValueCents: 400, payableGoodsCents: 400 }],
    ['points to earn: floor once at the end over G\'\' (123.45 × 1.2 × 2 = 296.28 → 296)', { at: WED, benefits: { ...silver, discountBps: 10_000, pointsMultiplierBps: 12_000 }, items: [{ sku: 'a', priceCents: 14_029, quantity: 1 }] }, { payableGoodsCents: 12_346, pointsToEarn: 296 }],
    ['points to earn floors fractions of a unit (9.80 yuan → 9)', {}, { pointsToEarn: 9 }],
    ['a flagged member earns no points', { member: { tierName: 'Silver', planName: null, pointsBalance: 0, flagged: true } }, { pointsToEarn: 0 }],
    ['a guest pays list price and shipping, earns and redeems nothing', { member: null, at: WED, redeemPoints: 100, coupons: [coupon({})] }, { goodsCents: 1000, memberDiscountCents: 0, memberDayDiscountCents: 0, couponDiscountCents: 0, shippingFeeCents: 800, totalCents: 1800, pointsToEarn: 0, memberDay: false }],
  ];
  it.each(cases)('%s', (_name, over, expected) => {
    expect(priceCart(input(over))).toMatchObject(expected);
  });

  it('refuses exclusive lines without access, leaving them out of every total', () => {
    const q = priceCart(input({ items: [{ sku: 'x', priceCents: 5000, quantity: 1, exclusive: true }, { sku: 'a', priceCents: 1000, quantity: 1 }] }));
    expect(q.lines[0]).toMatchObject({ sku: 'x', lineTotalCents: 0, refused: { code: 'exclusive_item' } });
    expect(q).toMatchObject({ subtotalCents: 1000, goodsCents: 980 });
    const diamond = priceCart(input({ benefits: { discountBps: 9000, exclusiveAccess: true }, items: [{ sku: 'x', priceCents: 5000, quantity: 1, exclusive: true }] }));
    expect(diamond.lines[0]!.refused).toBeUndefined();
    expect(diamond.goodsCents).toBe(4500);
    expect(diamond.appliedBenefits.map((a) => a.kind)).toContain('exclusive_access');
  });

  it('explains each discount per line and overall', () => {
    const q = priceCart(input({ at: WED, coupons: [coupon({})] }));
    expect(q.lines[0]!.discounts).toEqual([
      { kind: 'member_price', amountCents: 20, reason: 'tier Silver member price 98折 (2% off)' },
      { kind: 'member_day', amountCents: 118, reason: 'Member day (Wednesday) 88折 on top of the member price' },
    ]);
    expect(q.appliedBenefits.map((a) => a.kind)).toEqual(['member_price', 'member_day', 'member_day_points']);
    expect(q.coupons).toEqual([{ code: 'C1', applied: true, amountCents: 500, reason: 'Coupon: 5.00 off' }]);
  });

  it('formats 折 as merchants write it', () => {
    expect([9800, 9500, 9000, 8800, 9850].map(zhe)).toEqual(['98折', '95折', '9折', '88折', '98.5折']);
  });
});

describe('priceCart — properties', () => {
  const item = fc.record({
    sku: fc.string({ minLength: 1, maxLength: 8 }),
    priceCents: fc.integer({ min: 0, max: 10_000_000 }),
    quantity: fc.integer({ min: 1, max: 1000 }),
    memberPriceCents: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
    exclusive: fc.option(fc.boolean(), { nil: undefined }),
  });
  const couponArb = fc.record({
    code: fc.constantFrom('A', 'B', 'C', 'D'),
    name: fc.constant('c'),
    kind: fc.constantFrom('amount' as const, 'percent' as const, 'free_shipping' as const),
    amountCents: fc.integer({ min: 0, max: 1_000_000 }),
    percentBps: fc.integer({ min: 0, max: 10_000 }),
    minSpendCents: fc.integer({ min: 0, max: 1_000_000 }),
    unusable: fc.option(fc.constant('Expired'), { nil: null }),
  });
  const arb = fc.record({
    isMember: fc.boolean(),
    balance: fc.integer({ min: -1000, max: 10_000_000 }),
    benefits: fc.record({
      discountBps: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      pointsMultiplierBps: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
      freeShippingThresholdCents: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      exclusiveAccess: fc.boolean(),
      memberDay: fc.option(
        fc.record({ weekdays: fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 7 }), discountBps: fc.integer({ min: 0, max: 10_000 }), pointsMultiplierBps: fc.integer({ min: 0, max: 100_000 }) }),
        { nil: null },
      ),
    }),
    prog: fc.record({
      timezone: fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'),
      earnPointsPerUnit: fc.integer({ min: 0, max: 100 }),
      redeemPointsPerUnit: fc.integer({ min: 1, max: 10_000 }),
      redeemMaxShareBps: fc.integer({ min: 0, max: 10_000 }),
    }),
    at: fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
    items: fc.array(item, { maxLength: 30 }),
    shippingFeeCents: fc.integer({ min: 0, max: 100_000 }),
    coupons: fc.array(couponArb, { maxLength: 4 }),
    redeemPoints: fc.integer({ min: 0, max: 100_000_000 }),
  });
  type Gen = typeof arb extends fc.Arbitrary<infer T> ? T : never;
  const build = (a: Gen): PricingInput => ({
    member: a.isMember ? { tierName: 'T', planName: null, pointsBalance: a.balance, flagged: false } : null,
    benefits: a.benefits,
    program: a.prog,
    at: a.at,
    items: a.items,
    shippingFeeCents: a.shippingFeeCents,
    coupons: a.coupons,
    redeemPoints: a.redeemPoints,
  });

  it('total ≥ 0 and total = goods − coupons − points value + shipping; goods = subtotal − member − member-day discounts', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const q = priceCart(build(a));
        expect(q.totalCents).toBeGreaterThanOrEqual(0);
        expect(q.totalCents).toBe(q.goodsCents - q.couponDiscountCents - q.pointsValueCents + q.shippingFeeCents);
        expect(q.goodsCents).toBe(q.subtotalCents - q.memberDiscountCents - q.memberDayDiscountCents);
        expect(q.goodsCents).toBe(q.lines.reduce((s, l) => s + l.lineTotalCents, 0));
        expect(q.payableGoodsCents).toBeGreaterThanOrEqual(0);
        expect(q.shippingFeeCents).toBeLessThanOrEqual(a.shippingFeeCents);
        for (const l of q.lines) {
          expect(l.memberUnitPriceCents).toBeLessThanOrEqual(l.unitPriceCents);
          expect(l.memberUnitPriceCents).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('points: value within the share cap, points used ≤ balance and ≤ requested, fewest for the value', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const q = priceCart(build(a));
        const afterCoupons = q.goodsCents - q.couponDiscountCents;
        expect(q.pointsValueCents).toBeLessThanOrEqual(Math.floor((afterCoupons * a.prog.redeemMaxShareBps) / 10_000));
        expect(q.pointsRedeemed).toBeLessThanOrEqual(Math.max(0, a.isMember ? Math.min(a.balance, a.redeemPoints) : 0));
        // The points used give at least the value; one point fewer gives less.
        expect(Math.floor((q.pointsRedeemed * 100) / a.prog.redeemPointsPerUnit)).toBeGreaterThanOrEqual(q.pointsValueCents);
        if (q.pointsRedeemed > 0) expect(Math.floor(((q.pointsRedeemed - 1) * 100) / a.prog.redeemPointsPerUnit)).toBeLessThan(q.pointsValueCents);
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic: the same input gives the same output', () => {
    fc.assert(
      fc.property(arb, (a) => {
        expect(priceCart(build(a))).toEqual(priceCart(build(a)));
      }),
      { numRuns: 200 },
    );
  });
});
