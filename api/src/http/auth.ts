import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { Strategy as LocalStrategy } from 'passport-local';
import { AppError, type TenantContext } from '@unionpoint/core';
import { API_KEY_PREFIX, hashApiKey, safeEqual, unsafeGetSessionUser, unsafeResolveApiKey, unsafeVerifyLogin, type ResolvedApiKey, type SessionUser } from '@unionpoint/core/auth';
import type { ApiDeps } from './deps.ts';

/** What a request is authenticated as, set by the strategies below. */
export type Principal =
  | { kind: 'tenant'; ctx: TenantContext; rateKey: string; via: 'api_key' | 'session' }
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
      if (hit) return accept(hit);
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
export function authenticate(p: passport.PassportStatic, scope: 'tenant' | 'platform') {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = bearer(req);
      if (token !== null) {
        if (token === '') throw new AppError('unauthenticated', 'The Authorization header has no key');
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
