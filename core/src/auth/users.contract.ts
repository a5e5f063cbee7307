import { z, str } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';

export const tenantRole = z
  .enum(['owner', 'admin', 'staff', 'viewer'])
  .describe('owner: everything; admin: everything but users; staff: members, points adjust, coupon grant, lookups (for its stores when set); viewer: read-only')
  .openapi('TenantRole');
const password = () => z.string().min(10).max(255).describe('At least 10 characters');
const storeIds = () =>
  z
    .array(str(64))
    .max(100)
    .describe('Store-limited staff: the store ids they may act for (staff only; empty or absent = every store)');

export const userSchema = z
  .object({
    id: z.string().describe('User id (`usr_…`)'),
    email: z.string().describe('Login email, unique'),
    name: z.string().nullable().describe('Display name'),
    role: tenantRole,
    storeIds: z.array(z.string()).describe('Stores a store-limited staff user may act for; empty = every store'),
    status: z.enum(['active', 'invited', 'disabled']).describe('invited: no password set yet; disabled: cannot log in'),
    createdAt: z.string().describe('When the login was created'),
    lastLoginAt: z.string().nullable().describe('Last successful login'),
  })
  .openapi('User');
export type UserDto = z.infer<typeof userSchema>;

export const setPasswordLinkSchema = z
  .object({
    token: z.string().describe('One-time token, shown once; only its hash is stored'),
    path: z.string().describe('Dashboard path of the set-password page, with the token in the fragment (`/set-password#token=…`), never the query'),
    expiresAt: z.string().describe('The link stops working at this time'),
  })
  .openapi('SetPasswordLink');
export type SetPasswordLink = z.infer<typeof setPasswordLinkSchema>;

export const createdUserSchema = userSchema
  .extend({ setPassword: setPasswordLinkSchema.nullable().describe('Without a password in the request: the invite link, shown once') })
  .openapi('CreatedUser');

export const createUserBody = z
  .object({
    email: z.email().max(255).describe('Login email (unique)'),
    name: str(100).optional().describe('Display name'),
    role: tenantRole,
    storeIds: storeIds().optional(),
    password: password().optional().describe('Without it the user is invited: the response carries a one-time set-password link'),
  })
  .strict()
  .openapi('CreateUser');
export type CreateUserInput = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .object({
    name: str(100).nullable().optional().describe('Display name'),
    role: tenantRole.optional(),
    storeIds: storeIds().optional(),
    disabled: z.boolean().optional().describe('true disables the login and ends its sessions at once; false enables it again'),
  })
  .strict()
  .openapi('UpdateUser');
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const listUsersQuery = pageQuery;
export const userIdParams = z.object({ id: str(64).describe('User id') });

export const setPasswordBody = z
  .object({ token: str(128).describe('The token of a set-password link'), password: password() })
  .strict()
  .openapi('SetPassword');
