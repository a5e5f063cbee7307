import { z, str, timeZone } from '../shared/zod.ts';
import { createStoreBody, storeSchema } from '../stores/index.ts';

export const createTenantBody = z
  .object({
    name: str(100),
    slug: z.string().min(2).max(48).regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code').default('CNY'),
    timezone: timeZone().default('Asia/Shanghai'),
    owner: z.object({ email: z.email().max(255), password: z.string().min(8).max(255), name: str(100).optional() }).strict(),
    stores: z.array(createStoreBody).max(100).default([]),
  })
  .strict()
  .openapi('CreateTenant');
export type CreateTenantInput = z.infer<typeof createTenantBody>;

export const tenantSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), status: z.enum(['active', 'suspended']), createdAt: z.string() })
  .openapi('Tenant');
export type TenantDto = z.infer<typeof tenantSchema>;

export const tenantWithCountsSchema = tenantSchema.extend({ memberCount: z.number().int(), storeCount: z.number().int() }).openapi('TenantSummary');

export const createdTenantSchema = z
  .object({
    tenant: tenantSchema,
    stores: z.array(storeSchema),
    owner: z.object({ id: z.string(), email: z.string() }),
    apiKey: z.object({ id: z.string(), key: z.string(), prefix: z.string() }),
  })
  .openapi('CreatedTenant');
