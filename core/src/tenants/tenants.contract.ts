import { z, str, timeZone } from '../shared/zod.ts';
import { createStoreBody, storeSchema } from '../stores/index.ts';

export const createTenantBody = z
  .object({
    name: str(100).describe('Merchant name'),
    slug: z.string().min(2).max(48).regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -').describe('Unique short name: lowercase letters, digits and -'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code').default('CNY').describe('ISO 4217 currency of every amount (default CNY)'),
    timezone: timeZone().default('Asia/Shanghai').describe('IANA time zone (default Asia/Shanghai)'),
    owner: z
      .object({
        email: z.email().max(255).describe('Owner login email'),
        password: z.string().min(8).max(255).describe('Owner password, at least 8 characters'),
        name: str(100).optional().describe('Owner display name'),
      })
      .strict()
      .describe('The first dashboard user, role owner'),
    stores: z.array(createStoreBody).max(100).default([]).describe('Stores to create with the tenant'),
  })
  .strict()
  .describe('A new tenant with its owner, stores and first API key')
  .openapi('CreateTenant');
export type CreateTenantInput = z.infer<typeof createTenantBody>;

export const tenantSchema = z
  .object({
    id: z.string().describe('Tenant id `ten_…`'),
    slug: z.string().describe('Unique short name'),
    name: z.string().describe('Merchant name'),
    status: z.enum(['active', 'suspended']).describe('A suspended tenant’s keys get 403 `tenant_suspended`'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
  })
  .describe('A tenant (merchant)')
  .openapi('Tenant');
export type TenantDto = z.infer<typeof tenantSchema>;

export const tenantWithCountsSchema = tenantSchema
  .extend({ memberCount: z.number().int().describe('Members'), storeCount: z.number().int().describe('Stores') })
  .describe('A tenant with counts')
  .openapi('TenantSummary');

export const createdTenantSchema = z
  .object({
    tenant: tenantSchema,
    stores: z.array(storeSchema).describe('Its stores'),
    owner: z.object({ id: z.string().describe('User id'), email: z.string().describe('Login email') }).describe('The owner login'),
    apiKey: z
      .object({ id: z.string().describe('Key id'), key: z.string().describe('The tenant-wide key `up_…`: shown only here'), prefix: z.string().describe('Visible start of the key') })
      .describe('The first tenant-wide API key'),
  })
  .describe('The created tenant')
  .openapi('CreatedTenant');
