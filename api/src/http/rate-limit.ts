import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@unionpoint/core';
import type { ApiDeps } from './deps.ts';

/** Per-key limits in Redis, shared by all API processes; in memory when Redis is down or absent. */
export function rateLimit(deps: ApiDeps, keyPrefix = 'up:rl') {
  const points = deps.config.rateLimitPerMinute;
  const memory = new RateLimiterMemory({ points, duration: 60, keyPrefix });
  const limiter = deps.redis
    ? new RateLimiterRedis({ storeClient: deps.redis, points, duration: 60, keyPrefix, insuranceLimiter: memory, rejectIfRedisNotReady: true })
    : memory;
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
