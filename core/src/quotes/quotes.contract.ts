import { z, rfc3339, str, STORE_ID_FIELD } from '../shared/zod.ts';

const MAX_PRICE = 1_000_000_000; // 10 million units: 500 lines × 10,000 × this stays a safe integer.

export const quoteBody = z
  .object({
    member: str(200).optional().describe('unionId or `openid:<openId>`; absent for a guest (no member price, no points)'),
    storeId: STORE_ID_FIELD,
    items: z
      .array(
        z
          .object({
            sku: str(128).describe('Your SKU of the line'),
            priceCents: z.number().int().min(0).max(MAX_PRICE).describe('Unit list price in cents (8800 = ¥88.00)'),
            quantity: z.number().int().min(1).max(10_000).describe('Units of the SKU'),
            memberPriceCents: z
              .number()
              .int()
              .min(0)
              .max(MAX_PRICE)
              .optional()
              .describe('A member price of this SKU in cents, if the catalogue has one: the lower of it and the tier discount applies'),
            exclusive: z.boolean().optional().describe('Only tiers with `exclusiveAccess` may buy it; other members get the line refused'),
            category: str(64).optional().describe('Your category of the SKU'),
          })
          .strict()
          .describe('One cart line'),
      )
      .min(1)
      .max(500)
      .describe('The cart, 1–500 lines'),
    shippingFeeCents: z.number().int().min(0).max(MAX_PRICE).describe('Shipping fee before benefits, in cents (1000 = ¥10.00); free shipping benefits may waive it'),
    couponCodes: z.array(str(64)).max(20).optional().describe('Codes of the member’s coupons to apply, in this order'),
    redeemPoints: z.number().int().min(0).max(2_147_483_647).optional().describe('Points the member wants to pay with; capped by balance and `redeem.maxShareBps`'),
    at: rfc3339().optional().describe('Decides member day in the tenant time zone; default now'),
  })
  .strict()
  .describe('A cart to price (docs/rules.md §8)')
  .openapi('QuoteRequest', {
    example: {
      member: 'wx_union_8f3a2c',
      storeId: 'code:online',
      items: [
        { sku: 'TEA-OOLONG-250G', priceCents: 8800, quantity: 1, category: 'tea' },
        { sku: 'CUP-CERAMIC', priceCents: 3900, quantity: 2, memberPriceCents: 3500, category: 'tableware' },
        { sku: 'SNACK-MOONCAKE', priceCents: 4500, quantity: 2, category: 'food' },
        { sku: 'BAG-GIFT', priceCents: 1000, quantity: 1, category: 'packaging' },
      ],
      shippingFeeCents: 1000,
      couponCodes: [],
      redeemPoints: 500,
    },
  });
export type QuoteRequest = z.infer<typeof quoteBody>;

const discount = z
  .object({
    kind: z.string().describe('`member_price`, `member_day`, …'),
    amountCents: z.number().int().describe('Cents taken off the line'),
    reason: z.string().describe('Human reason (e.g. “金牌 98折”)'),
  })
  .describe('A discount on a line');
export const quoteSchema = z
  .object({
    member: z
      .object({
        unionId: z.string().describe('The member priced for'),
        tier: z.string().describe('Their tier code'),
        plan: z.string().nullable().describe('Their active plan code, or null'),
        pointsBalance: z.number().int().describe('Their points balance'),
      })
      .nullable()
      .describe('Who the cart was priced for; null for a guest'),
    at: z.string().describe('The time priced at (RFC 3339): decides member day'),
    lines: z
      .array(
        z
          .object({
            sku: z.string().describe('Your SKU'),
            quantity: z.number().int().describe('Units'),
            unitPriceCents: z.number().int().describe('Unit list price in cents'),
            memberUnitPriceCents: z.number().int().describe('Unit price after member price and member day, in cents'),
            lineTotalCents: z.number().int().describe('memberUnitPriceCents × quantity (0 for a refused line)'),
            discounts: z.array(discount).describe('The discounts on this line'),
            refused: z
              .object({ code: z.string().describe('Why: `exclusive_item`, `not_open` (early access not open to the member yet), `limit_exceeded` (past the campaign\'s per-member limit)'), reason: z.string().describe('Human reason') })
              .optional()
              .describe('Present when the line cannot be bought by this member; it is left out of every total'),
          })
          .describe('One priced line'),
      )
      .describe('The lines in cart order'),
    subtotalCents: z.number().int().describe('Sum of list prices × quantities of the lines not refused'),
    memberDiscountCents: z.number().int().describe('Taken off by member prices (tier discount or memberPriceCents)'),
    memberDayDiscountCents: z.number().int().describe('Taken off by the member day'),
    goodsCents: z.number().int().describe('Goods after member price and member day (docs/rules.md §8, “G”): decides free shipping and coupon minimums'),
    couponDiscountCents: z.number().int().describe('Taken off by coupons'),
    coupons: z
      .array(
        z
          .object({
            code: z.string().describe('The coupon code'),
            applied: z.boolean().describe('Whether it applied'),
            amountCents: z.number().int().describe('What it took off (0 when not applied)'),
            reason: z.string().describe('Why it applied or not'),
          })
          .describe('A coupon asked for'),
      )
      .describe('Each coupon of couponCodes, in order'),
    pointsRedeemed: z.number().int().describe('Points the order will take (the fewest for their value)'),
    pointsValueCents: z.number().int().describe('What those points pay, in cents'),
    payableGoodsCents: z
      .number()
      .int()
      .describe('Goods payable after coupons and points, shipping excluded (docs/rules.md §8, “G″”): report it as the order’s `amountCents`'),
    originalShippingFeeCents: z.number().int().describe('The shippingFeeCents asked for'),
    shippingFeeCents: z.number().int().describe('Shipping after free-shipping benefits'),
    totalCents: z.number().int().describe('What the member pays: payableGoodsCents + shippingFeeCents'),
    pointsToEarn: z.number().int().describe('Points the order will earn when reported'),
    memberDay: z.boolean().describe('Whether `at` falls on a member day'),
    appliedBenefits: z
      .array(z.object({ kind: z.string().describe('Benefit kind (`member_price`, `member_day`, `free_shipping`, …)'), reason: z.string().describe('Human reason') }))
      .describe('Every benefit that changed the price, with a reason'),
    standing: z
      .object({
        tierAfter: z.string().describe('The tier code the member would hold once this order completes (upgrade rule: never down)'),
        upgrade: z.object({ code: z.string().describe('Tier code'), name: z.string().describe('Tier name') }).optional().describe('Present when this order would lift the member to a higher tier'),
        retention: z
          .object({
            periodEnd: z.string().describe('Last local day of the current retention period'),
            missing: z
              .object({
                spendCents: z.number().int().optional().describe('Spend still missing after this order (minor units)'),
                growth: z.number().int().optional().describe('Growth still missing after this order'),
              })
              .describe("What the current tier's retention would still miss this period after this order"),
            keeps: z.boolean().describe('This order completes the retention requirement: the tier is kept this period'),
          })
          .optional()
          .describe("Present when the member's tier has a retention requirement"),
        nextTierPrice: z
          .object({ code: z.string().describe('The next tier'), totalCents: z.number().int().describe('What this cart would cost at that tier') })
          .optional()
          .describe('The price at the next tier above the current one, as an upsell; absent at the top'),
      })
      .optional()
      .describe('What this order does for the member’s tier; only in a quote with a member'),
  })
  .describe('The priced cart, to the cent; nothing is written')
  .openapi('Quote');
