import { z, str } from '../shared/zod.ts';

export const MEMBER_TOKEN_PREFIX = 'upm_';
export const SESSION_TTL_MIN = 60;
export const SESSION_TTL_MAX = 86_400;
export const SESSION_TTL_DEFAULT = 3600;

export const openSessionBody = z
  .object({
    storeId: str(64).optional().describe('The store the member is in (its id, or code:<store code>); a store-bound key defaults to its own store'),
    ttlSeconds: z
      .number()
      .int()
      .min(SESSION_TTL_MIN)
      .max(SESSION_TTL_MAX)
      .optional()
      .describe(`Lifetime of the token in seconds, ${SESSION_TTL_MIN}–${SESSION_TTL_MAX} (default ${SESSION_TTL_DEFAULT})`),
  })
  .strict()
  .openapi('OpenMemberSession');
export type OpenSessionInput = z.infer<typeof openSessionBody>;

export const memberSessionSchema = z
  .object({
    token: z.string().describe('`upm_…`: shown once, stored only as a hash; accepted only on /v1/me/*'),
    expiresAt: z.string().describe('When the token stops working (RFC 3339)'),
    centerUrl: z.string().describe('The member center for this member, with the token in the URL fragment (#token=…), never in the query'),
  })
  .openapi('MemberSession');
export type MemberSessionDto = z.infer<typeof memberSessionSchema>;
