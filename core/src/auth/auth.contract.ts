import { z, str } from '../shared/zod.ts';

export const createApiKeyBody = z.object({ name: str(100), storeId: str(64).nullish() }).strict().openapi('CreateApiKey');
export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    storeId: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().describe('Shown once') }).openapi('CreatedApiKey');

export const loginBody = z.object({ email: z.email().max(255), password: z.string().min(1).max(255) }).strict().openapi('Login');
export const sessionSchema = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      role: z.enum(['platform_admin', 'owner', 'admin', 'staff', 'viewer']).describe('Dashboard role (platform_admin: the platform console)'),
      tenantId: z.string().nullable(),
      name: z.string().nullable(),
      storeIds: z.array(z.string()).describe('Store-limited staff: the stores they may act for; empty = every store'),
    }),
    csrfToken: z.string(),
  })
  .openapi('Session');
