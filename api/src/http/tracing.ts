// The HTTP server span of each request (tracing on: OTEL_EXPORTER_OTLP_ENDPOINT, see
// @unionpoint/db's telemetry). It continues a caller's `traceparent`, is named by the route
// template once the route is known (`POST /v1/orders`), and is the parent of the route's use
// case span, its tenant transactions and their SQL.
import type { RequestHandler } from 'express';
import { markSpanError, startServerSpan } from '@unionpoint/db';

export const traceRequests: RequestHandler = (req, res, next) => {
  const server = startServerSpan(req.method, req.headers, { 'http.request.method': req.method, 'url.path': req.path });
  if (!server) {
    next();
    return;
  }
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = (res.locals.routeTemplate as string | undefined) ?? null;
    if (route) {
      server.span.updateName(`${req.method} ${route}`);
      server.span.setAttribute('http.route', route);
    }
    const status = res.writableFinished ? res.statusCode : 499;
    server.span.setAttribute('http.response.status_code', status);
    if (status >= 500) markSpanError(server.span, `HTTP ${status}`);
    server.span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  server.run(() => next());
};
