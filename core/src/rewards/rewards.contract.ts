import { z, code, str } from '../shared/zod.ts';
import { couponSchema } from '../coupons/index.ts';

export const rewardBody = z
  .object({
    code: code(),
    name: str(100),
    pointsCost: z.number().int().min(1).max(2_147_483_647),
    couponTemplateCode: code().optional().describe('The coupon the exchange issues; absent for goods handed out by the store'),
    stock: z.number().int().min(0).max(2_147_483_647).optional().describe('Absent = unlimited'),
  })
  .strict()
  .openapi('RewardInput');
export type RewardInput = z.infer<typeof rewardBody>;

export const rewardSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    pointsCost: z.number().int(),
    couponTemplateCode: z.string().nullable(),
    stock: z.number().int().nullable(),
    exchanged: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Reward');
export type RewardDto = z.infer<typeof rewardSchema>;

export const exchangeBody = z.object({ storeId: str(64).optional(), reference: str(128).optional() }).strict().openapi('RewardExchange');
export const exchangeResultSchema = z
  .object({ reward: z.string(), coupon: couponSchema.nullable(), pointsSpent: z.number().int(), balance: z.number().int() })
  .openapi('RewardExchangeResult');
export type ExchangeResult = z.infer<typeof exchangeResultSchema>;
