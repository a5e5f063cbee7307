import { z, cents, rfc3339, str } from '../shared/zod.ts';
import { memberSchema } from '../members/index.ts';

export const orderItemSchema = z
  .object({
    sku: str(128),
    priceCents: cents(),
    quantity: z.number().int().min(1).max(100_000),
    category: str(128).optional(),
  })
  .strict()
  .openapi('OrderItem');

export const createOrderBody = z
  .object({
    externalId: str(255),
    member: str(200).describe('unionId, or openid:<openId> with a store-bound key or storeId'),
    storeId: str(64).optional(),
    amountCents: cents().describe('Paid goods amount (shipping excluded): what earns points and growth'),
    completedAt: rfc3339().optional().describe('Event time, default now'),
    items: z.array(orderItemSchema).max(500).optional(),
    couponCodes: z.array(str(64)).max(50).optional(),
    appliedBenefits: z
      .array(z.object({ kind: str(64), amountCents: cents() }).strict())
      .max(50)
      .optional(),
  })
  .strict()
  .openapi('CreateOrder');
export type CreateOrderInput = z.infer<typeof createOrderBody>;

export const orderRefSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    status: z.enum(['completed', 'partially_refunded', 'refunded']),
    storeId: z.string(),
    amountCents: z.number().int(),
    refundedCents: z.number().int(),
    completedAt: z.string(),
  })
  .openapi('OrderRef');

export const createOrderResult = z
  .object({
    order: orderRefSchema,
    pointsAwarded: z.number().int().describe('Points the purchase earned'),
    bonusPointsAwarded: z.number().int().describe('Task points (first order) granted with it'),
    growthAwarded: z.number().int(),
    member: memberSchema,
  })
  .openapi('CreateOrderResult');
export type CreateOrderResult = z.infer<typeof createOrderResult>;

export const createRefundBody = z
  .object({
    refundId: str(255),
    amountCents: z.number().int().min(1).max(2_147_483_647),
    storeId: str(64).optional(),
  })
  .strict()
  .openapi('CreateRefund');
export type CreateRefundInput = z.infer<typeof createRefundBody>;

export const createRefundResult = z
  .object({
    pointsClawedBack: z.number().int(),
    growthClawedBack: z.number().int(),
    pointsReturned: z.number().int().describe('Redeemed points given back in the refund proportion'),
    order: orderRefSchema,
    member: memberSchema,
  })
  .openapi('CreateRefundResult');
export type CreateRefundResult = z.infer<typeof createRefundResult>;
