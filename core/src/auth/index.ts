export {
  generateApiKey,
  hashApiKey,
  safeEqual,
  unsafeResolveApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  API_KEY_PREFIX,
} from './api-keys.ts';
export type { ResolvedApiKey, ApiKeyDto } from './api-keys.ts';
export { hashPassword, unsafeVerifyLogin, unsafeGetSessionUser, createUser, unsafeEnsurePlatformAdmin } from './users.ts';
export type { SessionUser, UserRole } from './users.ts';
export * from './auth.contract.ts';
