import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type pino from 'pino';
import { pinoHttp, type Options } from 'pino-http';

/** Log paths that carry credentials: API keys, session cookies, the CSRF token. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** `GET /v1/members 200 12ms`: the request line without its query (searches and cursors stay out of the logs). */
export function requestLine(req: IncomingMessage, res: ServerResponse, ms: number): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return `${req.method} ${url.split('?')[0]} ${res.statusCode} ${Math.round(ms)}ms`;
}

/**
 * The request logger: one short line per request at `info` (method, path, status, ms, and
 * the request id), the full request and response (headers redacted) only at `debug`. 5xx and
 * thrown errors log at `error`, 4xx at `info` like the rest.
 */
export function requestLogger(logger: pino.Logger, options: { genReqId: Options['genReqId']; autoLogging: boolean }): RequestHandler {
  // A silent logger writes nothing: no per-request child logger to build, only req.log (the
  // error paths call it) and the request id.
  if (logger.level === 'silent') {
    const genReqId = options.genReqId;
    return (req, res, next) => {
      const r = req as IncomingMessage & { id?: unknown; log?: pino.Logger };
      if (genReqId) r.id = genReqId(req, res);
      r.log = logger;
      (res as ServerResponse & { log?: pino.Logger }).log = logger;
      next();
    };
  }
  const detailed = logger.isLevelEnabled('debug');
  return pinoHttp({
    logger,
    genReqId: options.genReqId,
    autoLogging: options.autoLogging,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res, ms) => requestLine(req, res, ms),
    customErrorMessage: (req, res) => requestLine(req, res, 0),
    customAttributeKeys: { responseTime: 'ms' },
    customProps: (req) => ({ requestId: req.id }),
    ...(detailed ? {} : { serializers: { req: () => undefined, res: () => undefined } }),
  });
}
