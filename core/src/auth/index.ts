export {
  generateApiKey,
  hashApiKey,
  safeEqual,
  unsafeResolveApiKey,
  createApiKey,
  createFirstApiKey,
  ensureNamedApiKey,
  listApiKeys,
  revokeApiKey,
  API_KEY_PREFIX,
} from './api-keys.ts';
export type { ResolvedApiKey, ApiKeyDto } from './api-keys.ts';
export { hashPassword, unsafeVerifyLogin, unsafeGetSessionUser, createUser, unsafeEnsurePlatformAdmin, unsafeEnsureLogin, TENANT_ROLES } from './users.ts';
export type { SessionUser, UserRole, TenantRole } from './users.ts';
export {
  listUsers,
  createTenantUser,
  updateTenantUser,
  deleteTenantUser,
  resetUserPassword,
  unsafeResolveSetPasswordToken,
  setPasswordWithToken,
  unsafeEndUserSessions,
  toUserDto,
  INVITE_TTL_MS,
  RESET_TTL_MS,
  SET_PASSWORD_TOKEN_PREFIX,
} from './staff.ts';
export * from './auth.contract.ts';
export * from './users.contract.ts';
