import type { Express, NextFunction, Request, Response } from 'express';
import type passport from 'passport';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { QUEUE_NAMES, createQueueBackend, loadWorkerConfig } from '@unionpoint/worker';
import { authenticate } from './auth.ts';
import type { ApiDeps } from './deps.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * bull-board over the worker's queues, for platform staff only (the platform key, or a
 * platform_admin dashboard session; changes from a session need its CSRF token like every
 * other write). The queue connections open on first use, with the worker's own backend choice
 * (REDIS_CLUSTER_NODES, else REDIS_URL, else BullMQ's PostgreSQL backend).
 */
export function mountQueueBoard(app: Express, deps: ApiDeps, p: passport.PassportStatic): void {
  let router: ReturnType<ExpressAdapter['getRouter']> | null = null;
  const board = () => {
    if (router) return router;
    const backend = createQueueBackend({ ...loadWorkerConfig(), redisUrl: deps.config.queueRedisUrl, redisClusterNodes: deps.config.redisClusterNodes });
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullMQAdapter(backend.queue(name))), serverAdapter: adapter });
    router = adapter.getRouter();
    return router;
  };
  app.use(
    QUEUE_BOARD_PATH,
    authenticate(p, 'platform'),
    (_req: Request, res: Response, next: NextFunction) => {
      // The board's page carries its own inline bootstrap script.
      res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:");
      next();
    },
    (req: Request, res: Response, next: NextFunction) => board()(req, res, next),
  );
}
