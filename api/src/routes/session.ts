import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type passport from 'passport';
import { AppError, z } from '@unionpoint/core';
import { hashPassword, loginBody, sessionSchema, setPasswordBody, setPasswordWithToken, unsafeEndUserSessions, unsafeResolveSetPasswordToken, type SessionUser } from '@unionpoint/core/auth';
import { withTenant } from '@unionpoint/db';
import type { LoginLimiter } from '../http/login-limit.ts';
import { Access, type Routes } from '../http/route.ts';
import { checkCsrf } from '../http/auth.ts';

function login(p: passport.PassportStatic, req: Request, res: Response): Promise<SessionUser | false> {
  return new Promise((resolve, reject) => {
    p.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return reject(err);
      if (!user) return resolve(false);
      // A new session id at login defeats session fixation.
      req.logIn(user, (e) => (e ? reject(e) : resolve(user)));
    })(req, res, () => resolve(false));
  });
}

const sessionBody = (req: Request) => {
  req.session.csrfToken ??= randomBytes(24).toString('base64url');
  const u = req.user as SessionUser;
  return { user: { id: u.id, email: u.email, role: u.role, tenantId: u.tenantId, name: u.name, storeIds: u.storeIds }, csrfToken: req.session.csrfToken };
};

export function sessionRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/auth/login',
    scope: 'session',
    access: Access.anyone,
    tags: ['Dashboard session'],
    summary: 'Log in with email and password; sets an httpOnly session cookie and returns the CSRF token',
    description:
      '401 unauthenticated for a wrong email or password; 403 tenant_suspended (and no session) when the login belongs to a suspended tenant; ' +
      '429 rate_limited with Retry-After, before the password is checked, past 10 attempts in 15 minutes per email and client IP, 50 per email or 100 per IP.',
    body: loginBody,
    responses: { 200: sessionSchema },
    handler: async ({ req, res, body }) => {
      const limiter = req.app.locals.loginLimiter as LoginLimiter;
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      await limiter.attempt(body.email, ip);
      const user = await login(req.app.locals.passport, req, res);
      if (!user) throw new AppError('unauthenticated', 'Invalid email or password');
      await limiter.succeeded(body.email, ip);
      return { status: 200, body: sessionBody(req) };
    },
  });
  routes.add({
    method: 'get',
    path: '/v1/auth/me',
    scope: 'session',
    access: Access.anyone,
    tags: ['Dashboard session'],
    summary: 'The logged-in user and the CSRF token for state-changing requests',
    responses: { 200: sessionSchema },
    handler: async ({ req }) => {
      if (!req.user) throw new AppError('unauthenticated', 'Not logged in');
      return { status: 200, body: sessionBody(req) };
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/auth/logout',
    scope: 'session',
    access: Access.anyone,
    tags: ['Dashboard session'],
    summary: 'End the session',
    description: 'Needs the `X-CSRF-Token` header of the session (403 csrf_failed without it); without a session it does nothing (204).',
    responses: { 204: null },
    handler: async ({ req }) => {
      // A cross-site form must not be able to log the user out: the token is required here too.
      if (req.user || req.session?.csrfToken) checkCsrf(req);
      await new Promise<void>((resolve, reject) => req.logOut((e) => (e ? reject(e) : resolve())));
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      return { status: 204 };
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/auth/set-password',
    scope: 'session',
    access: Access.anyone,
    tags: ['Dashboard session'],
    summary: 'Set a password with the token of a set-password link (invite or reset); the link works once',
    description:
      '422 link_invalid for an unknown, used or expired token (invites last 7 days, resets 24 hours). Ends the user\'s other sessions; log in afterwards with the email returned.',
    body: setPasswordBody,
    responses: { 200: z.object({ email: z.string().describe('The login email the password was set for') }).openapi('PasswordSet') },
    handler: async ({ deps, body, req }) => {
      const { userId, tenantId } = await unsafeResolveSetPasswordToken(deps.db.prisma, body.token);
      // argon2 outside the transaction; the consuming UPDATE checks the token again.
      const passwordHash = await hashPassword(body.password);
      await withTenant(deps.db.prisma, tenantId, (t) =>
        setPasswordWithToken(t, { tenantId, actor: { type: 'user', id: userId, role: 'viewer' }, requestId: req.requestId }, body.token, passwordHash),
      );
      await unsafeEndUserSessions(deps.db.prisma, userId);
      const user = await deps.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
      return { status: 200, body: { email: user.email } };
    },
  });
}
