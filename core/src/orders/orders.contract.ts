import { z, cents, rfc3339, str, STORE_ID_FIELD } from '../shared/zod.ts';
import { memberSchema } from '../members/index.ts';

export const orderItemSchema = z
  .object({
    sku: str(128).describe('Your SKU of the line'),
    priceCents: cents().describe('Unit price paid, in cents (2990 = ¥29.90)'),
    quantity: z.number().int().min(1).max(100_000).describe('Units of the SKU'),
    category: str(128).optional().describe('Your category of the SKU (reports, category rules)'),
  })
  .strict()
  .describe('One line of the order, as the storefront sold it')
  .openapi('OrderItem');

export const createOrderBody = z
  .object({
    externalId: str(255).describe('Your order number: idempotent per store (the same externalId again answers 200 with the first result)'),
    member: str(200).describe('unionId, or `openid:<openId>` with a store-bound key or storeId'),
    storeId: STORE_ID_FIELD,
    amountCents: cents().describe(
      'Paid goods amount in cents, after discounts, coupons and points, shipping excluded: what earns points and growth (a quote’s `payableGoodsCents`). 25710 = ¥257.10',
    ),
    completedAt: rfc3339().optional().describe('When the order completed (event time, RFC 3339); default now'),
    items: z.array(orderItemSchema).max(500).optional().describe('The lines (up to 500); optional, used by category rules and reports'),
    couponCodes: z.array(str(64)).max(50).optional().describe('Codes of the member’s coupons used on this order: each is marked used'),
    appliedBenefits: z
      .array(
        z
          .object({
            kind: str(64).describe('Benefit kind, as the quote’s `appliedBenefits[].kind` (e.g. `member_price`, `free_shipping`)'),
            amountCents: cents().describe('What the benefit saved on this order, in cents'),
          })
          .strict(),
      )
      .max(50)
      .optional()
      .describe('Benefits used on the order and what they were worth (benefit usage analytics)'),
  })
  .strict()
  .describe('A completed order to credit points and growth for')
  .openapi('CreateOrder', {
    example: {
      externalId: 'SO-20261202-0001',
      member: 'wx_union_8f3a2c',
      storeId: 'code:online',
      amountCents: 25710,
      completedAt: '2026-12-02T03:15:00Z',
      items: [
        { sku: 'TEA-OOLONG-250G', priceCents: 8800, quantity: 1, category: 'tea' },
        { sku: 'CUP-CERAMIC', priceCents: 3900, quantity: 2, category: 'tableware' },
        { sku: 'SNACK-MOONCAKE', priceCents: 4500, quantity: 2, category: 'food' },
        { sku: 'BAG-GIFT', priceCents: 1000, quantity: 1, category: 'packaging' },
      ],
      couponCodes: [],
    },
  });
export type CreateOrderInput = z.infer<typeof createOrderBody>;

export const orderRefSchema = z
  .object({
    id: z.string().describe('Order id `ord_…`, set by the API'),
    externalId: z.string().describe('Your order number'),
    status: z.enum(['completed', 'partially_refunded', 'refunded']).describe('Refund state'),
    storeId: z.string().describe('Store id `sto_…` the order was reported in'),
    amountCents: z.number().int().describe('Paid goods amount in cents'),
    refundedCents: z.number().int().describe('Cents refunded so far (all refunds of the order)'),
    completedAt: z.string().describe('When the order completed (RFC 3339)'),
  })
  .describe('An order as recorded')
  .openapi('OrderRef');

export const createOrderResult = z
  .object({
    order: orderRefSchema,
    pointsAwarded: z.number().int().describe('Points the purchase earned'),
    bonusPointsAwarded: z.number().int().describe('Task points (first order) granted with it'),
    growthAwarded: z.number().int().describe('Growth the purchase earned'),
    member: memberSchema,
  })
  .describe('The recorded order, what it earned, and the member after it')
  .openapi('CreateOrderResult');
export type CreateOrderResult = z.infer<typeof createOrderResult>;

export const createRefundBody = z
  .object({
    refundId: str(255).describe('Your refund number: idempotent (the same refundId again answers 200 with the first result)'),
    amountCents: z.number().int().min(1).max(2_147_483_647).describe('Refunded goods amount in cents (1500 = ¥15.00); all refunds of an order together at most its amountCents'),
    storeId: STORE_ID_FIELD,
    refundedAt: rfc3339()
      .optional()
      .describe('When the refund was made (event time, RFC 3339; default now, not in the future, not before the order completed): the clawback entries and the spend measures read it'),
  })
  .strict()
  .describe('A refund of part or all of an order')
  .openapi('CreateRefund');
export type CreateRefundInput = z.infer<typeof createRefundBody>;

export const createRefundResult = z
  .object({
    pointsClawedBack: z.number().int().describe('Points taken back in the refund’s proportion of the order'),
    growthClawedBack: z.number().int().describe('Growth taken back in the refund’s proportion'),
    pointsReturned: z.number().int().describe('Redeemed points given back in the refund proportion'),
    order: orderRefSchema,
    member: memberSchema,
  })
  .describe('What the refund took back and gave back, the order and the member after it')
  .openapi('CreateRefundResult');
export type CreateRefundResult = z.infer<typeof createRefundResult>;
