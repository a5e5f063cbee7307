// The API's Prometheus series (prom-client): requests, latency and errors per route template
// (the path a route was declared with in the Routes table, never the raw URL, so a member id
// does not become a label value), requests in flight, and the Postgres pool's usage and waits.
// Served on GET /metrics (createApp) or on METRICS_PORT (main.ts); see docs/OPERATIONS.md.
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '@unionpoint/db';
import { METRIC_NAMES, createRegistry, instrumentPool } from '@unionpoint/worker';

export interface ApiMetrics {
  registry: Registry;
  /** First middleware: times every request and counts it under its route template on finish. */
  middleware: RequestHandler;
}

/** Routes outside the Routes table, by their fixed paths; everything else unmatched is one label. */
function templateOf(req: Request, res: Response): string {
  const declared = res.locals.routeTemplate as string | undefined;
  if (declared) return declared;
  const p = req.path;
  if (p === '/healthz' || p === '/readyz' || p === '/metrics' || p === '/v1/openapi.json') return p;
  if (p === '/docs' || p.startsWith('/docs/')) return '/docs';
  if (p.startsWith('/admin/queues')) return '/admin/queues';
  return 'unmatched';
}

export function createApiMetrics(db: Db, options: { processMetrics?: boolean; registry?: Registry } = {}): ApiMetrics {
  const registry = options.registry ?? createRegistry('api', { processMetrics: options.processMetrics ?? false });
  instrumentPool(registry, db.pool, 'main');
  const requests = new Counter({
    name: METRIC_NAMES.httpRequests,
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: METRIC_NAMES.httpDuration,
    help: 'Time from request to the end of the response in seconds, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: METRIC_NAMES.httpErrors,
    help: 'Requests answered with an error (problem+json), by method, route template, status and class (client: 4xx, server: 5xx)',
    labelNames: ['method', 'route', 'status', 'class'],
    registers: [registry],
  });
  const inFlight = new Gauge({ name: METRIC_NAMES.httpInFlight, help: 'Requests being served', registers: [registry] });

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    inFlight.inc();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight.dec();
      const route = templateOf(req, res);
      const method = req.method;
      // A response cut before it was sent (client gone) counts as 499, as proxies log it.
      const status = res.writableFinished ? res.statusCode : 499;
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
      if (status >= 400) errors.inc({ method, route, status: String(status), class: status >= 500 ? 'server' : 'client' });
    };
    // 'close' ends every response, after 'finish' when it was sent whole (Node ≥ 16).
    res.once('close', finish);
    next();
  };
  return { registry, middleware };
}
