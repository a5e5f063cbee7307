import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { AppError, ERROR_DOCS, errorDocPath } from '@unionpoint/core';
import { registerCoreExtensions } from '@unionpoint/core/extensions';
import { ApiKeyCache } from './http/api-key-cache.ts';
import { authenticate, configurePassport } from './http/auth.ts';
import type { ApiDeps } from './http/deps.ts';
import { mountOpenApi } from './http/openapi.ts';
import { requestLogger } from './http/logging.ts';
import { problemHandler, sendProblem } from './http/problem.ts';
import { rateLimit } from './http/rate-limit.ts';
import { loginLimiter } from './http/login-limit.ts';
import { routeHandler, type Routes } from './http/route.ts';
import { buildRoutes } from './routes/index.ts';
import { mountQueueBoard, QUEUE_BOARD_PATH } from './http/queue-board.ts';
import { createApiMetrics } from './http/metrics.ts';
import { traceRequests } from './http/tracing.ts';
import { API_HELMET, securityHeaders } from './http/security-headers.ts';
import { metricsAuthorized } from '@unionpoint/worker';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function createApp(deps: ApiDeps, routes: Routes = buildRoutes()): Express {
  registerCoreExtensions();
  const app = express();
  deps.apiKeyCache ??= new ApiKeyCache();
  app.locals.deps = deps;
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');
  // No ETags: the API's reads are per caller and change with every write, and nothing in the
  // contract offers conditional requests (If-None-Match); hashing every body was pure cost.
  app.set('etag', false);

  deps.metrics ??= createApiMetrics(deps.db);
  const metrics = deps.metrics;
  app.use(metrics.middleware);
  app.use(traceRequests);
  app.use((req, res, next) => {
    const given = req.headers['x-request-id'];
    req.requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    next();
  });
  app.use(
    requestLogger(deps.logger, { genReqId: (req) => (req as express.Request).requestId, autoLogging: deps.config.logLevel !== 'silent' }),
  );
  app.use(securityHeaders(API_HELMET));

  // /metrics on the API's own port unless METRICS_PORT moves it to an internal one; production
  // serves it here only behind METRICS_TOKEN (docs/OPERATIONS.md, "Metrics").
  if (deps.config.metricsPort === null && (deps.config.metricsToken || !deps.config.production)) {
    app.get('/metrics', (req, res, next) => {
      if (!metricsAuthorized(req.headers.authorization, deps.config.metricsToken)) {
        sendProblem(res, 'unauthenticated', 'The metrics need Authorization: Bearer <METRICS_TOKEN>');
        return;
      }
      metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).send(text), next);
    });
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready while Postgres answers: without it nothing can be served. Redis is reported but does
  // not decide (the rate limiter falls back to an in-process one): a load balancer must not pull
  // every instance because Redis is down or frozen. Each check answers within its own bound.
  app.get('/readyz', async (_req, res) => {
    const within = (ms: number, check: () => Promise<unknown>) =>
      new Promise<'ok' | 'down'>((resolve) => {
        const timer = setTimeout(() => resolve('down'), ms);
        check().then(
          () => (clearTimeout(timer), resolve('ok')),
          () => (clearTimeout(timer), resolve('down')),
        );
      });
    const [postgres, redis] = await Promise.all([
      within(2_000, () => deps.db.pool.query('SELECT 1')),
      deps.redis ? within(250, () => deps.redis!.ping()) : null,
    ]);
    const checks: Record<string, 'ok' | 'down' | 'behind'> = { postgres };
    if (redis) checks.redis = redis;
    // The replica never decides either: while it is behind or down, the primary serves its reads.
    if (deps.replica) checks.replica = deps.replica.fresh() ? 'ok' : deps.replica.lagMs() === Number.POSITIVE_INFINITY ? 'down' : 'behind';
    const ok = postgres === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  mountOpenApi(app, routes);

  app.use(express.json({ limit: '1mb', strict: true, type: ['application/json', 'application/*+json'] }));

  const PgStore = connectPgSimple(session);
  const sessions = session({
    name: 'up.sid',
    secret: deps.config.sessionSecret,
    store: new PgStore({ pool: deps.db.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: deps.config.cookieSecure, maxAge: 12 * 3600 * 1000 },
  });
  const passport = configurePassport(deps);
  app.locals.passport = passport;
  app.locals.loginLimiter = loginLimiter(deps.redis);
  // Passport's request helpers (req.logIn / logOut / isAuthenticated) and the session come
  // together, only where a session is used: a keyed request without a cookie never needs them.
  const passportInit = passport.initialize();
  const passportSession = passport.session();
  const withSession: express.RequestHandler = (req, res, next) =>
    passportInit(req, res, () => sessions(req, res, (err?: unknown) => (err ? next(err) : passportSession(req, res, next))));
  // A keyed request without a cookie has no session to load or refresh, and on key-scoped
  // routes the key decides alone: skip the session machinery for it (it would only build and
  // drop an empty session). Requests with a cookie, and public routes, go through it as before.
  const keyedWithoutCookie = (req: express.Request) => !req.headers.cookie && /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
  const sessionUnlessKeyed: express.RequestHandler = (req, res, next) => (keyedWithoutCookie(req) ? next() : withSession(req, res, next));

  const limiter = rateLimit(deps);
  // Routes are grouped by their first two segments (`/v1/members`, `/v1/me`, …), one router
  // each, found by the request's own prefix: a request is matched against its group's routes
  // only, not against every route registered before it (the order within a group is kept).
  // Matching stays case-insensitive with an optional trailing slash, as Express's own.
  const groups = new Map<string, express.Router>();
  const prefixOf = (path: string): string => {
    const p = path.toLowerCase();
    const second = p.indexOf('/', 1);
    const third = second < 0 ? -1 : p.indexOf('/', second + 1);
    return third < 0 ? p : p.slice(0, third);
  };
  const groupOf = (path: string): express.Router => {
    const prefix = prefixOf(path);
    let group = groups.get(prefix);
    if (!group) groups.set(prefix, (group = express.Router()));
    return group;
  };
  app.use((req, res, next) => {
    const group = groups.get(prefixOf(req.path));
    if (group) group(req, res, next);
    else next();
  });
  for (const def of routes.list) {
    const handler = routeHandler(def, deps);
    const chain =
      def.scope === 'tenant' || def.scope === 'platform' || def.scope === 'member'
        ? [sessionUnlessKeyed, authenticate(passport, def.scope, deps.now), limiter, handler]
        : [withSession, handler];
    const path = def.path;
    const template: express.RequestHandler = (_req, res, next) => {
      res.locals.routeTemplate = path;
      next();
    };
    groupOf(def.path)[def.method](def.path, template, ...chain);
  }

  app.use(QUEUE_BOARD_PATH, sessionUnlessKeyed);
  mountQueueBoard(app, deps, passport);

  app.use((req, res) => sendProblem(res, 'not_found', `No route ${req.method} ${req.path}`));
  app.use(problemHandler);
  void AppError;
  return app;
}

/**
 * A request Node's HTTP parser refuses before Express sees it (headers over the size limit,
 * an invalid header or request line) gets problem+json like every other error, not Node's bare
 * `431`/`400` without a body.
 */
export function clientErrorResponse(err: NodeJS.ErrnoException): string {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const code = tooLarge ? ('headers_too_large' as const) : ('malformed_request' as const);
  const body = JSON.stringify({
    // No request to take the origin from: a reference relative to the API's own origin.
    type: errorDocPath(code),
    title: ERROR_DOCS[code].title,
    status,
    code,
    detail: tooLarge ? 'The request line and headers are larger than the server accepts' : 'The request could not be parsed as HTTP',
  });
  return [
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** The HTTP server for an app (main.ts and the tests that need a real socket). */
export function listen(app: Express, port: number, onListening?: () => void): Server {
  const server = createServer(app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err));
  });
  server.listen(port, onListening);
  return server;
}
