// The checkout quote as one pure function: docs/rules.md §8, step by step, to the cent. No I/O:
// the use case (quote-cart.ts) loads the member, benefits, coupons and balance and calls this.
import { BPS, applyBpsFloor, applyBpsHalfUp, mulDivCeil, mulDivFloor } from '../shared/money.ts';
import { localParts } from '../shared/time.ts';

export interface CartItem {
  sku: string;
  priceCents: number;
  quantity: number;
  memberPriceCents?: number | undefined;
  exclusive?: boolean | undefined;
  category?: string | undefined;
}

export interface PricingBenefits {
  discountBps?: number | undefined;
  pointsMultiplierBps?: number | undefined;
  /** null/undefined: no free-shipping benefit; 0: always free. */
  freeShippingThresholdCents?: number | null | undefined;
  exclusiveAccess?: boolean | undefined;
  memberDay?: { weekdays: number[]; discountBps: number; pointsMultiplierBps: number } | null | undefined;
  prioritySupport?: boolean | undefined;
  priorityDelivery?: boolean | undefined;
  fastRefund?: boolean | undefined;
}

/** A coupon as the quote sees it: its template terms and whether this member may use it now. */
export interface QuoteCoupon {
  code: string;
  name: string;
  kind: 'amount' | 'percent' | 'free_shipping';
  amountCents: number | null;
  percentBps: number | null;
  minSpendCents: number;
  /** null when usable; else why not (unknown, another member's, used, expired). */
  unusable: string | null;
}

export interface PricingInput {
  /** null for a guest: list prices, no member benefits, no points. */
  member: { tierName: string; planName: string | null; pointsBalance: number; flagged: boolean } | null;
  benefits: PricingBenefits;
  /** Which benefit came from the paid plan rather than the tier (for the reasons). */
  fromPlan?: Partial<Record<keyof PricingBenefits, boolean>>;
  program: { timezone: string; earnPointsPerUnit: number; redeemPointsPerUnit: number; redeemMaxShareBps: number };
  at: Date;
  items: CartItem[];
  shippingFeeCents: number;
  coupons: QuoteCoupon[];
  redeemPoints: number;
  /** Lines refused before pricing (early access, by line index): left out of every total. */
  refusedLines?: Map<number, { code: 'not_open' | 'limit_exceeded'; reason: string }> | undefined;
}

export interface LineDiscount {
  kind: 'member_price' | 'member_day';
  amountCents: number;
  reason: string;
}

export interface QuoteLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
  memberUnitPriceCents: number;
  lineTotalCents: number;
  discounts: LineDiscount[];
  refused?: { code: 'exclusive_item' | 'not_open' | 'limit_exceeded'; reason: string };
}

export interface Quote {
  lines: QuoteLine[];
  /** List price of the accepted lines. */
  subtotalCents: number;
  memberDiscountCents: number;
  memberDayDiscountCents: number;
  /** G: goods after member price and member day. */
  goodsCents: number;
  couponDiscountCents: number;
  coupons: { code: string; applied: boolean; amountCents: number; reason: string }[];
  pointsRedeemed: number;
  pointsValueCents: number;
  /** G'': what the order reports as amountCents (shipping excluded). */
  payableGoodsCents: number;
  originalShippingFeeCents: number;
  shippingFeeCents: number;
  totalCents: number;
  pointsToEarn: number;
  memberDay: boolean;
  appliedBenefits: { kind: string; reason: string }[];
}

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** 9800 → "98折", 9000 → "9折", 9850 → "98.5折". */
export function zhe(bps: number): string {
  const tenths = bps / 100;
  const s = Number.isInteger(tenths / 10) ? String(tenths / 10) : String(tenths);
  return `${s}折`;
}
const pct = (bps: number) => `${(BPS - bps) / 100}% off`;
const yuan = (cents: number) => (cents / 100).toFixed(2);

/**
 * Prices a cart (docs/rules.md §8): member price per unit, member day on top, goods G and free
 * shipping, coupons (minimum spend against G, never below 0) → G', points (capped by share and
 * balance, fewest points for the value) → G'', total = G'' + shipping, points to earn on G''.
 * Exclusive lines the member may not buy, and lines early access holds back (`refusedLines`), are
 * refused and left out of every total. Deterministic
 * and pure: the same input gives the same output.
 */
export function priceCart(input: PricingInput): Quote {
  const { member, benefits: b, program } = input;
  const source = (k: keyof PricingBenefits) => (input.fromPlan?.[k] ? `plan ${member?.planName ?? ''}`.trim() : `tier ${member?.tierName ?? ''}`.trim());
  const applied: { kind: string; reason: string }[] = [];

  const localDay = localParts(input.at, program.timezone).weekday;
  const md = member && b.memberDay && b.memberDay.weekdays.includes(localDay) ? b.memberDay : null;
  const discountBps = member ? (b.discountBps ?? BPS) : BPS;

  let subtotal = 0;
  let memberDiscount = 0;
  let memberDayDiscount = 0;
  let goods = 0;
  let usedExclusive = false;
  const lines: QuoteLine[] = input.items.map((item, index) => {
    const early = input.refusedLines?.get(index);
    if (early) {
      return { sku: item.sku, quantity: item.quantity, unitPriceCents: item.priceCents, memberUnitPriceCents: item.priceCents, lineTotalCents: 0, discounts: [], refused: early };
    }
    if (item.exclusive && !(member && b.exclusiveAccess)) {
      return {
        sku: item.sku,
        quantity: item.quantity,
        unitPriceCents: item.priceCents,
        memberUnitPriceCents: item.priceCents,
        lineTotalCents: 0,
        discounts: [],
        refused: { code: 'exclusive_item', reason: member ? `Exclusive item: the ${member.tierName} tier has no exclusive access` : 'Exclusive item: members of an eligible tier only' },
      };
    }
    if (item.exclusive) usedExclusive = true;
    const discounts: LineDiscount[] = [];
    // Step 1: member price per unit, the lower of the explicit member price and the tier rate.
    let unit = item.priceCents;
    if (member) {
      const byRate = applyBpsHalfUp(item.priceCents, discountBps);
      const explicit = item.memberPriceCents;
      const useExplicit = explicit !== undefined && explicit < byRate;
      unit = Math.min(item.priceCents, useExplicit ? explicit : byRate);
      if (unit < item.priceCents) {
        discounts.push({
          kind: 'member_price',
          amountCents: (item.priceCents - unit) * item.quantity,
          reason: useExplicit ? `Member price ${yuan(unit)} for this item` : `${source('discountBps')} member price ${zhe(discountBps)} (${pct(discountBps)})`,
        });
      }
    }
    const memberUnit = unit;
    // Step 2: member day on top of the member price, per unit.
    if (md) unit = applyBpsHalfUp(memberUnit, md.discountBps);
    if (unit < memberUnit) {
      discounts.push({
        kind: 'member_day',
        amountCents: (memberUnit - unit) * item.quantity,
        reason: `Member day (${WEEKDAY_NAMES[localDay]}) ${zhe(md!.discountBps)} on top of the member price`,
      });
    }
    const lineTotal = unit * item.quantity;
    subtotal += item.priceCents * item.quantity;
    memberDiscount += (item.priceCents - memberUnit) * item.quantity;
    memberDayDiscount += (memberUnit - unit) * item.quantity;
    goods += lineTotal;
    return { sku: item.sku, quantity: item.quantity, unitPriceCents: item.priceCents, memberUnitPriceCents: unit, lineTotalCents: lineTotal, discounts };
  });
  if (memberDiscount > 0) applied.push({ kind: 'member_price', reason: `${source('discountBps')}: member price ${zhe(discountBps)}; ${yuan(memberDiscount)} off` });
  if (memberDayDiscount > 0) applied.push({ kind: 'member_day', reason: `Member day (${WEEKDAY_NAMES[localDay]}) ${zhe(md!.discountBps)}; ${yuan(memberDayDiscount)} off` });
  if (usedExclusive) applied.push({ kind: 'exclusive_access', reason: `${source('exclusiveAccess')}: access to exclusive items` });

  // Step 3: free shipping when G reaches the effective threshold (0 = always).
  let shipping = input.shippingFeeCents;
  const threshold = member ? b.freeShippingThresholdCents : null;
  if (threshold !== null && threshold !== undefined && goods >= threshold && shipping > 0) {
    shipping = 0;
    applied.push({
      kind: 'free_shipping',
      reason: threshold === 0 ? `${source('freeShippingThresholdCents')}: free shipping always` : `${source('freeShippingThresholdCents')}: free shipping over ${yuan(threshold)}`,
    });
  }

  // Step 4: coupons in the order given; minimum spend against G; never below 0.
  let afterCoupons = goods;
  const seen = new Set<string>();
  const coupons = input.coupons.map((c) => {
    const refuse = (reason: string) => ({ code: c.code, applied: false, amountCents: 0, reason });
    if (seen.has(c.code)) return refuse('Given twice');
    seen.add(c.code);
    if (!member) return refuse('Coupons need a member');
    if (c.unusable) return refuse(c.unusable);
    if (goods < c.minSpendCents) return refuse(`Minimum spend ${yuan(c.minSpendCents)} not reached`);
    if (c.kind === 'free_shipping') {
      const waived = shipping;
      shipping = 0;
      return { code: c.code, applied: true, amountCents: 0, reason: waived > 0 ? `${c.name}: free shipping (${yuan(waived)} waived)` : `${c.name}: shipping already free` };
    }
    const off = c.kind === 'percent' ? applyBpsHalfUp(goods, c.percentBps ?? 0) : (c.amountCents ?? 0);
    const take = Math.min(off, afterCoupons);
    afterCoupons -= take;
    return { code: c.code, applied: true, amountCents: take, reason: c.kind === 'percent' ? `${c.name}: ${(c.percentBps ?? 0) / 100}% off` : `${c.name}: ${yuan(take)} off` };
  });
  const couponDiscount = goods - afterCoupons;

  // Step 5: points, capped by the share of G' and by the balance; fewest points for the value.
  let pointsValue = 0;
  let pointsUsed = 0;
  if (member && input.redeemPoints > 0) {
    const usable = Math.min(input.redeemPoints, Math.max(0, member.pointsBalance));
    const wanted = mulDivFloor(usable, 100, program.redeemPointsPerUnit);
    const cap = applyBpsFloor(afterCoupons, program.redeemMaxShareBps);
    pointsValue = Math.min(wanted, cap);
    pointsUsed = mulDivCeil(pointsValue, program.redeemPointsPerUnit, 100);
  }
  const payableGoods = afterCoupons - pointsValue;

  // Step 6: total and points to earn (multipliers in bps, multiplied, one floor at the end).
  const total = payableGoods + shipping;
  let pointsToEarn = 0;
  if (member && !member.flagged) {
    const tierMult = BigInt(b.pointsMultiplierBps ?? BPS);
    const mdMult = BigInt(md ? md.pointsMultiplierBps : BPS);
    const n = BigInt(payableGoods) * BigInt(program.earnPointsPerUnit) * tierMult * mdMult;
    pointsToEarn = Number(n / (100n * BigInt(BPS) * BigInt(BPS)));
    if ((b.pointsMultiplierBps ?? BPS) !== BPS) applied.push({ kind: 'points_multiplier', reason: `${source('pointsMultiplierBps')}: points × ${(b.pointsMultiplierBps ?? BPS) / BPS}` });
    if (md && md.pointsMultiplierBps !== BPS) applied.push({ kind: 'member_day_points', reason: `Member day (${WEEKDAY_NAMES[localDay]}): points × ${md.pointsMultiplierBps / BPS}` });
  }
  if (member) {
    if (b.priorityDelivery) applied.push({ kind: 'priority_delivery', reason: `${source('priorityDelivery')}: priority delivery` });
    if (b.prioritySupport) applied.push({ kind: 'priority_support', reason: `${source('prioritySupport')}: priority support` });
    if (b.fastRefund) applied.push({ kind: 'fast_refund', reason: `${source('fastRefund')}: fast refund` });
  }
  return {
    lines,
    subtotalCents: subtotal,
    memberDiscountCents: memberDiscount,
    memberDayDiscountCents: memberDayDiscount,
    goodsCents: goods,
    couponDiscountCents: couponDiscount,
    coupons,
    pointsRedeemed: pointsUsed,
    pointsValueCents: pointsValue,
    payableGoodsCents: payableGoods,
    originalShippingFeeCents: input.shippingFeeCents,
    shippingFeeCents: shipping,
    totalCents: total,
    pointsToEarn,
    memberDay: md !== null,
    appliedBenefits: applied,
  };
}
