import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '@unionpoint/core';
import type { ApiDeps } from './deps.ts';
import { withDeadline } from './redis.ts';

/**
 * Consumes from Redis (shared by all API processes) and falls back to this process's memory
 * when Redis is absent, disconnected, failing or silent for REDIS_DEADLINE_MS: fail open per
 * process, never hang. A RateLimiterRes rejection (over the limit) is passed on as is.
 */
export function resilientLimiter(
  redis: ApiDeps['redis'],
  opts: { points: number; duration: number; keyPrefix: string },
  /** Count in memory on every call, not only when Redis fails, so the limit holds through an outage. */
  { alwaysInMemory = false } = {},
) {
  const memory = new RateLimiterMemory(opts);
  const shared: RateLimiterAbstract | null = redis ? new RateLimiterRedis({ storeClient: redis, ...opts, rejectIfRedisNotReady: true }) : null;
  const viaMemory = <T>(e: unknown, fallback: () => Promise<T>): Promise<T> => {
    if (e instanceof RateLimiterRes) throw e;
    return fallback();
  };
  return {
    memory,
    async consume(key: string, points = 1): Promise<RateLimiterRes> {
      if (!shared) return memory.consume(key, points);
      if (alwaysInMemory) {
        const local = await memory.consume(key, points);
        return withDeadline(shared.consume(key, points)).catch((e) => viaMemory(e, async () => local));
      }
      return withDeadline(shared.consume(key, points)).catch((e) => viaMemory(e, () => memory.consume(key, points)));
    },
    async delete(key: string): Promise<void> {
      await Promise.allSettled([memory.delete(key), shared ? withDeadline(shared.delete(key)) : null]);
    },
    async reward(key: string, points = 1): Promise<void> {
      await Promise.allSettled([memory.reward(key, points), shared ? withDeadline(shared.reward(key, points)) : null]);
    },
  };
}

/** Per-key limits in Redis, shared by all API processes; in memory when Redis is down, slow or absent. */
export function rateLimit(deps: ApiDeps, keyPrefix = 'up:rl') {
  const points = deps.config.rateLimitPerMinute;
  const limiter = resilientLimiter(deps.redis, { points, duration: 60, keyPrefix });
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.principal?.rateKey;
    if (!key) return next();
    try {
      const r = await limiter.consume(key, 1);
      res.setHeader('RateLimit-Limit', String(points));
      res.setHeader('RateLimit-Remaining', String(r.remainingPoints));
      next();
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        const retry = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(retry));
        return next(new AppError('rate_limited', `Rate limit of ${points} requests a minute reached; retry in ${retry} s`));
      }
      next(e);
    }
  };
}
