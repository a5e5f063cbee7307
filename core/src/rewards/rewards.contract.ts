import { z, code, queryFlag, str, STORE_ID_FIELD } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';
import { couponSchema } from '../coupons/index.ts';

export const rewardBody = z
  .object({
    code: code().describe('Stable reward code, e.g. `coupon-10`'),
    name: str(100).describe('Name shown to members'),
    pointsCost: z.number().int().min(1).max(2_147_483_647).describe('Points one exchange costs'),
    couponTemplateCode: code().optional().describe('The coupon the exchange issues; absent for goods handed out by the store'),
    stock: z.number().int().min(0).max(2_147_483_647).optional().describe('Absent = unlimited'),
  })
  .strict()
  .describe('A reward of the points mall (积分商城)')
  .openapi('RewardInput', { example: { code: 'coupon-10', name: '10元优惠券', pointsCost: 1000, couponTemplateCode: 'save10', stock: 500 } });
export type RewardInput = z.infer<typeof rewardBody>;

export const rewardPatchBody = z
  .object({
    name: str(100).optional().describe('Name shown to members'),
    pointsCost: z.number().int().min(1).max(2_147_483_647).optional().describe('Points one exchange costs; applies to exchanges from now on'),
    couponTemplateCode: code().nullable().optional().describe('null: goods handed out by the store, no coupon'),
    stock: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .nullable()
      .optional()
      .describe('How many may still be exchanged from now on (null = unlimited); past exchanges stay counted in `exchanged`'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .describe('Fields of a reward to change')
  .openapi('RewardPatch');
export type RewardPatch = z.infer<typeof rewardPatchBody>;

export const rewardParams = z.object({ code: code().describe('Reward code') });
export const listRewardsQuery = pageQuery.extend({ includeArchived: queryFlag().describe('Also list archived rewards') });

export const rewardSchema = z
  .object({
    id: z.string().describe('Reward id `rwd_…`'),
    code: z.string().describe('Reward code'),
    name: z.string().describe('Name shown to members'),
    pointsCost: z.number().int().describe('Points one exchange costs'),
    couponTemplateCode: z.string().nullable().describe('The coupon the exchange issues, or null for goods'),
    stock: z.number().int().nullable().describe('How many may still be exchanged; null = unlimited'),
    exchanged: z.number().int().describe('Exchanges so far'),
    archivedAt: z.string().nullable().describe('Set once archived: no longer offered for exchange'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
  })
  .describe('A reward of the points mall')
  .openapi('Reward');
export type RewardDto = z.infer<typeof rewardSchema>;

export const exchangeBody = z
  .object({ storeId: STORE_ID_FIELD, reference: str(128).optional().describe('Your id of this exchange: the same reference again replays the first result') })
  .describe('Where and under which reference the exchange happens').strict().openapi('RewardExchange');
export const exchangeResultSchema = z
  .object({
    reward: z.string().describe('Reward code'),
    coupon: couponSchema.nullable().describe('The coupon issued, or null for goods'),
    pointsSpent: z.number().int().describe('Points spent'),
    balance: z.number().int().describe('Balance after'),
  })
  .describe('The exchange')
  .openapi('RewardExchangeResult');
export type ExchangeResult = z.infer<typeof exchangeResultSchema>;
