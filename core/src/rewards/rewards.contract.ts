import { z, code, queryFlag, str, STORE_ID_FIELD } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';
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

export const rewardPatchBody = z
  .object({
    name: str(100).optional(),
    pointsCost: z.number().int().min(1).max(2_147_483_647).optional().describe('Applies to exchanges from now on'),
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
  .openapi('RewardPatch');
export type RewardPatch = z.infer<typeof rewardPatchBody>;

export const rewardParams = z.object({ code: code() });
export const listRewardsQuery = pageQuery.extend({ includeArchived: queryFlag().describe('Also list archived rewards') });

export const rewardSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    pointsCost: z.number().int(),
    couponTemplateCode: z.string().nullable(),
    stock: z.number().int().nullable(),
    exchanged: z.number().int(),
    archivedAt: z.string().nullable().describe('Set once archived: no longer offered for exchange'),
    createdAt: z.string(),
  })
  .openapi('Reward');
export type RewardDto = z.infer<typeof rewardSchema>;

export const exchangeBody = z
  .object({ storeId: STORE_ID_FIELD, reference: str(128).optional().describe('Your id of this exchange: the same reference again replays the first result') })
  .describe('Where and under which reference the exchange happens').strict().openapi('RewardExchange');
export const exchangeResultSchema = z
  .object({ reward: z.string(), coupon: couponSchema.nullable(), pointsSpent: z.number().int(), balance: z.number().int() })
  .openapi('RewardExchangeResult');
export type ExchangeResult = z.infer<typeof exchangeResultSchema>;
