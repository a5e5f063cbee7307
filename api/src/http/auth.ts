import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { Strategy as LocalStrategy } from 'passport-local';
import { AppError, type TenantContext } from '@unionpoint/core';
import { API_KEY_PREFIX, hashApiKey, safeEqual, unsafeGetSessionUser, unsafeResolveApiKey, unsafeVerifyLogin, type ResolvedApiKey, type SessionUser } from '@unionpoint/core/auth';
import { MEMBER_TOKEN_PREFIX, unsafeResolveMemberToken, type ResolvedMemberToken } from '@unionpoint/core/sessions';
import type { ApiDeps } from './deps.ts';

/** What a request is authenticated as, set by the strategies below. */
export type Principal =
  | { kind: 'tenant'; ctx: TenantContext; rateKey: string; via: 'api_key' | 'session' }
  /** A member session (`upm_` token): its own member only, on /v1/me/* only. */
  | { kind: 'member'; ctx: TenantContext; memberId: string; sessionId: string; rateKey: string; via: 'member_token' }
  | { kind: 'platform'; actorId: string; rateKey: string; via: 'api_key' | 'session' };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    requestId: string;
  }
}
declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1]!.trim() : '';
}

export function configurePassport(deps: ApiDeps): passport.PassportStatic {
  const p = new passport.Passport() as unknown as passport.PassportStatic;

  // Dashboard login: email + password against argon2 hashes.
  p.use(
    'local',
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      unsafeVerifyLogin(deps.db.prisma, email, password).then(
        (user) => done(null, user ?? false),
        (err) => done(err),
      );
    }),
  );
  p.serializeUser((user, done) => done(null, (user as SessionUser).id));
  p.deserializeUser((id: string, done) => {
    unsafeGetSessionUser(deps.db.prisma, id).then(
      (user) => done(null, user ?? false),
      (err) => done(err),
    );
  });

  // Tenant API keys: `up_…`, looked up by sha256; revoked keys fail at once.
  p.use(
    'tenant-key',
    new CustomStrategy((req, done) => {
      const key = bearer(req);
      if (!key) return done(null, false);
      const accept = (resolved: ResolvedApiKey | null) => {
        if (!resolved) return done(null, false);
        if (resolved.tenantStatus === 'suspended') return done(new AppError('tenant_suspended', 'This tenant is suspended'));
        req.principal = {
          kind: 'tenant',
          via: 'api_key',
          rateKey: `key:${resolved.keyId}`,
          ctx: { tenantId: resolved.tenantId, actor: { type: 'api_key', id: resolved.keyId }, boundStoreId: resolved.storeId, requestId: req.requestId },
        };
        done(null, { id: resolved.keyId } as Express.User);
      };
      const cache = deps.apiKeyCache;
      if (!cache?.trusted || !key.startsWith(API_KEY_PREFIX) || key.length > 128) {
        unsafeResolveApiKey(deps.db.prisma, key).then(accept, done);
        return;
      }
      const hash = hashApiKey(key);
      const hit = cache.get(hash);
      if (hit && 'keyId' in hit) return accept(hit);
      const token = cache.begin();
      unsafeResolveApiKey(deps.db.prisma, key).then((resolved) => {
        if (resolved) cache.set(hash, resolved, token);
        accept(resolved);
      }, done);
    }),
  );

  // The platform key: the value of PLATFORM_API_KEY, compared in constant time.
  p.use(
    'platform-key',
    new CustomStrategy((req, done) => {
      const key = bearer(req);
      const expected = deps.config.platformApiKey;
      if (!key || !expected || !safeEqual(key, expected)) return done(null, false);
      req.principal = { kind: 'platform', actorId: 'platform-key', rateKey: 'platform', via: 'api_key' };
      done(null, { id: 'platform' } as Express.User);
    }),
  );
  return p;
}

/**
 * A member token by its hash, through the API-key cache while its LISTEN connection is up
 * (revoking a member's sessions announces `unionpoint_auth`, like a key revocation: dropped
 * here right after commit, elsewhere on the notification), else from the database.
 */
async function resolveMemberToken(deps: ApiDeps, token: string): Promise<ResolvedMemberToken | null> {
  const cache = deps.apiKeyCache;
  if (!cache?.trusted || token.length > 128) return unsafeResolveMemberToken(deps.db.prisma, token);
  const hash = hashApiKey(token);
  const hit = cache.get(hash);
  if (hit && 'sessionId' in hit) return hit;
  const generation = cache.begin();
  const resolved = await unsafeResolveMemberToken(deps.db.prisma, token);
  if (resolved) cache.set(hash, resolved, generation);
  return resolved;
}

/**
 * A member token. Unknown or revoked → 401 `unauthenticated`; past its expiry → 401 `session_expired`;
 * valid anywhere but /v1/me → 403 `forbidden`.
 */
async function authenticateMember(req: Request, token: string, scope: 'tenant' | 'platform' | 'member', now: Date): Promise<void> {
  const deps = req.app.locals.deps as ApiDeps;
  const session = await resolveMemberToken(deps, token);
  if (!session) throw new AppError('unauthenticated', 'Unknown or revoked member token');
  if (session.expiresAt.getTime() <= now.getTime()) throw new AppError('session_expired', 'The member session has expired: ask the storefront for a new token');
  if (scope !== 'member') throw new AppError('forbidden', 'A member token is accepted only on /v1/me routes');
  if (session.tenantStatus === 'suspended') throw new AppError('tenant_suspended', 'This tenant is suspended');
  req.principal = {
    kind: 'member',
    via: 'member_token',
    memberId: session.memberId,
    sessionId: session.sessionId,
    rateKey: `member:${session.memberId}`,
    ctx: { tenantId: session.tenantId, actor: { type: 'member', id: session.memberId }, boundStoreId: session.storeId, requestId: req.requestId },
  };
}

const CSRF_SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A state-changing dashboard request must carry the session's token; compared in constant time. */
export function checkCsrf(req: Request): void {
  if (CSRF_SAFE.has(req.method)) return;
  const token = req.headers['x-csrf-token'];
  const expected = req.session?.csrfToken;
  if (!expected || typeof token !== 'string' || !safeEqual(token, expected)) {
    throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header for a dashboard session');
  }
}

function runStrategy(p: passport.PassportStatic, name: string, req: Request, res: Response): Promise<boolean> {
  return new Promise((resolve, reject) => {
    p.authenticate(name, { session: false }, (err: unknown, user: unknown) => {
      if (err) return reject(err);
      resolve(Boolean(user));
    })(req, res, () => resolve(false));
  });
}

/**
 * Authenticates a route of the given scope. A bearer token decides alone (a wrong key is 401
 * even with a session cookie); without one, a dashboard session is used, with CSRF checks.
 */
export function authenticate(p: passport.PassportStatic, scope: 'tenant' | 'platform' | 'member', now: () => Date = () => new Date()) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = bearer(req);
      if (token !== null) {
        if (token === '') throw new AppError('unauthenticated', 'The Authorization header has no key');
        if (token.startsWith(MEMBER_TOKEN_PREFIX)) {
          await authenticateMember(req, token, scope, now());
          return next();
        }
        if (scope === 'member') {
          // Only a member token reaches /v1/me; a valid key of any kind is refused (403), an unknown one is 401.
          if (await runStrategy(p, 'platform-key', req, res)) throw new AppError('forbidden', 'The platform key is accepted only on /v1/platform routes');
          if (await runStrategy(p, 'tenant-key', req, res)) throw new AppError('forbidden', '/v1/me takes a member token (upm_…) from POST /v1/members/:member/sessions, not an API key');
          throw new AppError('unauthenticated', 'Unknown or revoked API key');
        }
        if (await runStrategy(p, 'platform-key', req, res)) {
          if (scope !== 'platform') throw new AppError('forbidden', 'The platform key is accepted only on /v1/platform routes');
          return next();
        }
        if (await runStrategy(p, 'tenant-key', req, res)) {
          if (scope !== 'tenant') throw new AppError('forbidden', 'A tenant key cannot call platform routes');
          return next();
        }
        throw new AppError('unauthenticated', 'Unknown or revoked API key');
      }
      const user = req.user as SessionUser | undefined;
      if (scope === 'member') {
        if (user) throw new AppError('forbidden', '/v1/me takes a member token (Authorization: Bearer upm_…), not a dashboard session');
        throw new AppError('unauthenticated', 'Send a member token (Authorization: Bearer upm_…)');
      }
      if (!user) throw new AppError('unauthenticated', 'Send an API key (Authorization: Bearer …) or log in');
      checkCsrf(req);
      if (scope === 'platform') {
        if (user.role !== 'platform_admin') throw new AppError('forbidden', 'Platform staff only');
        req.principal = { kind: 'platform', actorId: user.id, rateKey: `user:${user.id}`, via: 'session' };
        return next();
      }
      if (!user.tenantId) throw new AppError('forbidden', 'This login has no tenant');
      const tenant = await req.app.locals.deps.db.prisma.tenant.findUnique({ where: { id: user.tenantId }, select: { status: true } });
      if (!tenant) throw new AppError('unauthenticated', 'Unknown tenant');
      if (tenant.status === 'suspended') throw new AppError('tenant_suspended', 'This tenant is suspended');
      req.principal = {
        kind: 'tenant',
        via: 'session',
        rateKey: `user:${user.id}`,
        ctx: {
          tenantId: user.tenantId,
          actor: { type: 'user', id: user.id, role: user.role },
          boundStoreId: null,
          // Store-limited staff act like a store-bound key, for any one of their stores.
          storeIds: user.role === 'staff' && user.storeIds.length ? user.storeIds : null,
          requestId: req.requestId,
        },
      };
      next();
    } catch (err) {
      next(err);
    }
  };
}
