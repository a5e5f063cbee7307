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
export { hashPassword, unsafeVerifyLogin, unsafeGetSessionUser, createUser, unsafeEnsurePlatformAdmin, unsafeEnsureLogin } from './users.ts';
export type { SessionUser, UserRole } from './users.ts';
export * from './auth.contract.ts';
