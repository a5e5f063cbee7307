import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@unionpoint/core';
import type { ApiDeps } from './deps.ts';
import { resilientLimiter } from './rate-limit.ts';

/**
 * Login attempts per fixed 15-minute window, counted before the password is checked (argon2 at
 * 64 MiB is what an attacker would spend): 10 per email and client IP, 50 per email from any
 * IP, 100 per IP over any emails. A successful login clears its email's counts (and gives its
 * attempt back to the IP). The per-email cap is a window, never a permanent lock: the owner
 * gets in from another address while one address is blocked, and from anywhere after the window.
 */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perEmailAndIp: 10, perEmail: 50, perIp: 100 } as const;

export interface LoginLimiter {
  /** Counts one attempt; throws 429 rate_limited (with Retry-After) when over a limit. */
  attempt(email: string, ip: string): Promise<void>;
  succeeded(email: string, ip: string): Promise<void>;
}

/** Counted in Redis (shared by every API process) and in this process, so it holds with Redis down. */
export function loginLimiter(redis: ApiDeps['redis'], limits = LOGIN_LIMITS): LoginLimiter {
  const duration = limits.windowSeconds;
  const mk = (points: number, name: string) => resilientLimiter(redis, { points, duration, keyPrefix: `up:login:${name}` }, { alwaysInMemory: true });
  const pair = mk(limits.perEmailAndIp, 'pair');
  const account = mk(limits.perEmail, 'email');
  const address = mk(limits.perIp, 'ip');
  const norm = (email: string) => email.trim().toLowerCase();
  return {
    async attempt(email, ip) {
      const e = norm(email);
      const results = await Promise.allSettled([pair.consume(`${e}|${ip}`), account.consume(e), address.consume(ip)]);
      const over = results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof RateLimiterRes ? [r.reason] : []));
      const failed = results.find((r) => r.status === 'rejected' && !(r.reason instanceof RateLimiterRes));
      if (over.length) {
        const retryAfter = Math.max(1, Math.ceil(Math.max(...over.map((r) => r.msBeforeNext)) / 1000));
        throw new AppError('rate_limited', `Too many login attempts; retry in ${retryAfter} s`, { extra: { headers: { 'Retry-After': String(retryAfter) } } });
      }
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
    async succeeded(email, ip) {
      const e = norm(email);
      await Promise.all([pair.delete(`${e}|${ip}`), account.delete(e), address.reward(ip)]);
    },
  };
}
