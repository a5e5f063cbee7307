import { z, dateOnly, str } from '../shared/zod.ts';
import { benefitsSchema } from '../tiers/index.ts';

export const profileSchema = z
  .object({
    name: str(100).optional(),
    phone: z.string().min(3).max(32).regex(/^\+?[0-9 -]+$/, 'digits, spaces, - and a leading +').optional(),
    email: z.email().max(255).optional(),
    birthday: dateOnly().optional(),
  })
  .strict()
  .openapi('Profile');

export const enrolMemberBody = z
  .object({
    unionId: str(128),
    openId: str(128).optional(),
    storeId: str(64).optional(),
    profile: profileSchema.optional(),
    referredBy: str(128).optional(),
  })
  .strict()
  .openapi('EnrolMember');
export type EnrolMemberInput = z.infer<typeof enrolMemberBody>;

export const bindIdentityBody = z.object({ storeId: str(64).optional(), openId: str(128) }).strict().openapi('BindIdentity');

export const listMembersQuery = z.object({
  tier: z.string().max(64).optional(),
  q: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const memberSchema = z
  .object({
    id: z.string(),
    unionId: z.string(),
    identities: z.array(z.object({ storeId: z.string(), openId: z.string() })),
    tier: z.object({
      code: z.string(),
      name: z.string(),
      since: z.string(),
      protectedUntil: z.string().nullable(),
      trialUntil: z.string().nullable(),
    }),
    points: z.object({
      balance: z.number().int(),
      expiringSoon: z.array(z.object({ points: z.number().int(), expiresAt: z.string() })),
    }),
    growth: z.object({
      value: z.number().int(),
      nextTier: z.object({ code: z.string(), name: z.string(), missing: z.number().int() }).nullable(),
    }),
    plan: z.object({ code: z.string(), name: z.string(), until: z.string() }).nullable(),
    benefits: benefitsSchema,
    profile: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), birthday: z.string().nullable() }),
    flagged: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Member');
export type MemberDto = z.infer<typeof memberSchema>;
