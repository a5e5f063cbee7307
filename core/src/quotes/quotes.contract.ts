import { z, rfc3339, str } from '../shared/zod.ts';

const MAX_PRICE = 1_000_000_000; // 10 million units: 500 lines × 10,000 × this stays a safe integer.

export const quoteBody = z
  .object({
    member: str(200).optional().describe('unionId or openid:<openId>; absent for a guest'),
    storeId: str(64).optional(),
    items: z
      .array(
        z
          .object({
            sku: str(128),
            priceCents: z.number().int().min(0).max(MAX_PRICE),
            quantity: z.number().int().min(1).max(10_000),
            memberPriceCents: z.number().int().min(0).max(MAX_PRICE).optional(),
            exclusive: z.boolean().optional(),
            category: str(64).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
    shippingFeeCents: z.number().int().min(0).max(MAX_PRICE),
    couponCodes: z.array(str(64)).max(20).optional(),
    redeemPoints: z.number().int().min(0).max(2_147_483_647).optional(),
    at: rfc3339().optional().describe('Decides member day in the tenant time zone; default now'),
  })
  .strict()
  .openapi('QuoteRequest');
export type QuoteRequest = z.infer<typeof quoteBody>;

const discount = z.object({ kind: z.string(), amountCents: z.number().int(), reason: z.string() });
export const quoteSchema = z
  .object({
    member: z.object({ unionId: z.string(), tier: z.string(), plan: z.string().nullable(), pointsBalance: z.number().int() }).nullable(),
    at: z.string(),
    lines: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number().int(),
        unitPriceCents: z.number().int(),
        memberUnitPriceCents: z.number().int(),
        lineTotalCents: z.number().int(),
        discounts: z.array(discount),
        refused: z.object({ code: z.string(), reason: z.string() }).optional(),
      }),
    ),
    subtotalCents: z.number().int(),
    memberDiscountCents: z.number().int(),
    memberDayDiscountCents: z.number().int(),
    goodsCents: z.number().int(),
    couponDiscountCents: z.number().int(),
    coupons: z.array(z.object({ code: z.string(), applied: z.boolean(), amountCents: z.number().int(), reason: z.string() })),
    pointsRedeemed: z.number().int(),
    pointsValueCents: z.number().int(),
    payableGoodsCents: z.number().int().describe('G″: what the order reports as amountCents'),
    originalShippingFeeCents: z.number().int(),
    shippingFeeCents: z.number().int(),
    totalCents: z.number().int(),
    pointsToEarn: z.number().int(),
    memberDay: z.boolean(),
    appliedBenefits: z.array(z.object({ kind: z.string(), reason: z.string() })),
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
  .openapi('Quote');
