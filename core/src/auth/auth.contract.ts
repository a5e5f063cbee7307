import { z, str, STORE_ID_DESCRIPTION } from '../shared/zod.ts';

export const createApiKeyBody = z
  .object({
    name: str(100).describe('What the key is for, e.g. “POS 旗舰店”'),
    storeId: str(80)
      .nullish()
      .describe(`Bind the key to one store (a till): ${STORE_ID_DESCRIPTION.split('.')[0]}. Absent or null: a tenant-wide key`),
  })
  .strict()
  .describe('A new API key')
  .openapi('CreateApiKey');
export const apiKeySchema = z
  .object({
    id: z.string().describe('Key id `key_…`'),
    name: z.string().describe('What the key is for'),
    prefix: z.string().describe('Visible start of the key (the key itself is never shown again)'),
    storeId: z.string().nullable().describe('The store it is bound to, or null: tenant-wide'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
    lastUsedAt: z.string().nullable().describe('Last use (updated at most once a minute)'),
    revokedAt: z.string().nullable().describe('When it was revoked; a revoked key is 401 at once'),
  })
  .describe('An API key (without the key)')
  .openapi('ApiKey');
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().describe('Shown once') }).openapi('CreatedApiKey');

export const loginBody = z
  .object({ email: z.email().max(255).describe('Login email'), password: z.string().min(1).max(255).describe('Password') })
  .strict()
  .describe('Dashboard login')
  .openapi('Login');
export const sessionSchema = z
  .object({
    user: z
      .object({
        id: z.string().describe('User id'),
        email: z.string().describe('Login email'),
        role: z.enum(['platform_admin', 'owner', 'admin', 'staff', 'viewer']).describe('Dashboard role (platform_admin: the platform console)'),
        tenantId: z.string().nullable().describe('The user’s tenant (null for platform staff)'),
        name: z.string().nullable().describe('Display name'),
        storeIds: z.array(z.string()).describe('Store-limited staff: the stores they may act for; empty = every store'),
      })
      .describe('Who is logged in'),
    csrfToken: z.string().describe('Send as `X-CSRF-Token` on every state-changing request of this session'),
  })
  .describe('A dashboard session')
  .openapi('Session');
